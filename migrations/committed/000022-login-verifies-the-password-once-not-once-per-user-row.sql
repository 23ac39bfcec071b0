--! Previous: sha1:d0d09e43c68bc036bedc785c0d633fa53027d0eb
--! Hash: sha1:3a7f269e1a606b0e0eb15e41135fb052709ea98c
--! Message: Login verifies the password once, not once per user row

-- Login checked the password inside a WHERE clause: verify_password is volatile, so it ran once
-- per row of users (one bcrypt and, for a wrong password, one failed_logins increment per row).
-- Check it once, then read the user by id. (Replaced as its owner, the auth role.)
grant create on schema app_hidden to openclaw_auth;
set local role openclaw_auth;
create or replace function app_hidden.auth_login(email text, password text, refresh_hash bytea, refresh_ttl interval)
  returns app_hidden.auth_identity
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_id uuid := app_private.verify_password(auth_login.email, auth_login.password);
  v_user app_public.users;
begin
  if v_id is null then
    return null;
  end if;
  select u.* into v_user from app_public.users u where u.id = v_id;
  insert into app_private.refresh_tokens (user_id, family_id, token_hash, expires_at)
    values (v_user.id, gen_random_uuid(), refresh_hash, now() + refresh_ttl);
  update app_public.users set last_seen_at = now() where id = v_user.id;
  return (v_user.id, v_user.role)::app_hidden.auth_identity;
end;
$$;
reset role;
revoke create on schema app_hidden from openclaw_auth;
