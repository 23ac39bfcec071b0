--! Previous: sha1:0c3e0faa6ba96645960e07f68fa85a69fe994a5b
--! Hash: sha1:cbbf72a4e2198aa970a21cb92eecbc5405f4ac99
--! Message: retention deletes dead refresh tokens: maintenance policies on app_private.refresh_tokens

-- Retention can delete dead refresh tokens: the maintenance role had select and delete grants on
-- app_private.refresh_tokens but no policy under its forced RLS, so the sweep deleted nothing.
drop policy if exists maintenance_purge on app_private.refresh_tokens;
create policy maintenance_purge on app_private.refresh_tokens for select to openclaw_maintenance using (true);
drop policy if exists maintenance_delete on app_private.refresh_tokens;
create policy maintenance_delete on app_private.refresh_tokens for delete to openclaw_maintenance using (true);
