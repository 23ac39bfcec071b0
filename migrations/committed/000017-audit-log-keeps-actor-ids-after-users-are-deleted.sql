--! Previous: sha1:8c58b670b84f49994715bda605fcee2ac693bdec
--! Hash: sha1:860a82ca33f8db5f3096d153f0915e6d474970df
--! Message: audit log keeps actor ids after users are deleted

-- The audit log outlives the people in it: actor_id is a historical fact, not a reference that
-- follows users (with ON DELETE SET NULL, deleting anyone who ever acted was refused, because
-- the log refuses every UPDATE).
alter table app_public.audit_log drop constraint audit_log_actor_id_fkey;
comment on column app_public.audit_log.actor_id is 'The user who acted (kept after that user is deleted).';
