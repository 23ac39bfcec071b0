--! Previous: sha1:e51deca8672653ffa5a641e23963bd1b15e109e8
--! Hash: sha1:aa1596d6b541e544d05b5bda9980ea2a4073c2fc
--! Message: auth functions: register, login with refresh token families, refresh with reuse detection, logout, change password

-- Auth for the API. The API's code calls these (never GraphQL: app_hidden is not exposed);
-- they are SECURITY DEFINER, owned by openclaw_auth, whose policies let it find users by email
-- and manage refresh tokens. Refresh tokens are random strings made by the API; only their
-- SHA-256 is stored. A token is single use: refreshing marks it used and stores its successor
-- in the same family; presenting a used or revoked token revokes the whole family (theft).
grant usage on schema app_hidden to openclaw_anonymous;

create type app_hidden.auth_identity as (user_id uuid, role app_public.user_role);

create function app_hidden.auth_register(email text, password text, display_name text) returns uuid
  language sql volatile security definer set search_path = pg_catalog, pg_temp as $$
  select app_private.register_user(email, password, display_name)
$$;

create function app_hidden.auth_login(email text, password text, refresh_hash bytea, refresh_ttl interval)
  returns app_hidden.auth_identity
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_user app_public.users;
begin
  select u.* into v_user from app_public.users u
    where u.id = app_private.verify_password(auth_login.email, auth_login.password);
  if v_user.id is null then
    return null;
  end if;
  insert into app_private.refresh_tokens (user_id, family_id, token_hash, expires_at)
    values (v_user.id, gen_random_uuid(), refresh_hash, now() + refresh_ttl);
  update app_public.users set last_seen_at = now() where id = v_user.id;
  return (v_user.id, v_user.role)::app_hidden.auth_identity;
end;
$$;

create function app_hidden.auth_refresh(old_hash bytea, new_hash bytea, refresh_ttl interval)
  returns app_hidden.auth_identity
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_token app_private.refresh_tokens;
  v_user app_public.users;
begin
  select t.* into v_token from app_private.refresh_tokens t where t.token_hash = old_hash for update;
  if v_token.id is null then
    return null;
  end if;
  select u.* into v_user from app_public.users u where u.id = v_token.user_id;
  if v_token.used_at is not null or v_token.revoked_at is not null or v_user.status <> 'active' then
    -- Reuse of a rotated token (or a suspended account): the whole family stops working.
    update app_private.refresh_tokens set revoked_at = coalesce(revoked_at, now())
      where family_id = v_token.family_id;
    perform app_private.audit('auth.refresh_family_revoked', 'app_private.refresh_tokens', v_token.family_id::text,
      jsonb_build_object('user_id', v_token.user_id, 'reason', case when v_user.status <> 'active' then 'suspended' else 'reuse' end));
    return null;
  end if;
  if v_token.expires_at <= now() then
    return null;
  end if;
  update app_private.refresh_tokens set used_at = now() where id = v_token.id;
  insert into app_private.refresh_tokens (user_id, family_id, token_hash, expires_at)
    values (v_token.user_id, v_token.family_id, new_hash, now() + refresh_ttl);
  update app_public.users set last_seen_at = now() where id = v_user.id;
  return (v_user.id, v_user.role)::app_hidden.auth_identity;
end;
$$;

create function app_hidden.auth_logout(refresh_hash bytea) returns boolean
  language sql volatile security definer set search_path = pg_catalog, pg_temp as $$
  with target as (select family_id from app_private.refresh_tokens where token_hash = refresh_hash),
  revoked as (
    update app_private.refresh_tokens t set revoked_at = coalesce(t.revoked_at, now())
    from target where t.family_id = target.family_id returning 1
  )
  select exists (select 1 from revoked)
$$;

-- The caller changes their own password (identity from the verified token, not a parameter);
-- every refresh token of theirs stops working.
create function app_hidden.auth_change_password(old_password text, new_password text) returns boolean
  language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
  v_me uuid := app_public.current_user_id();
  v_hash text;
begin
  if v_me is null then
    raise exception 'not signed in' using errcode = '42501';
  end if;
  if new_password is null or char_length(new_password) < 8 or char_length(new_password) > 200 then
    raise exception 'password must be 8 to 200 characters' using errcode = 'WEAKP';
  end if;
  select password_hash into v_hash from app_private.user_secrets where user_id = v_me;
  if v_hash is null or crypt(old_password, v_hash) <> v_hash then
    return false;
  end if;
  update app_private.user_secrets set password_hash = crypt(new_password, gen_salt('bf', 10)), password_changed_at = now()
    where user_id = v_me;
  update app_private.refresh_tokens set revoked_at = coalesce(revoked_at, now()) where user_id = v_me;
  perform app_private.audit('auth.password_changed', 'app_public.users', v_me::text, '{}');
  return true;
end;
$$;

grant execute on function app_hidden.auth_register(text, text, text), app_hidden.auth_login(text, text, bytea, interval),
  app_hidden.auth_refresh(bytea, bytea, interval), app_hidden.auth_logout(bytea) to openclaw_anonymous;
grant execute on function app_hidden.auth_change_password(text, text) to openclaw_user;
grant create on schema app_hidden to openclaw_auth;
alter function app_hidden.auth_register(text, text, text) owner to openclaw_auth;
alter function app_hidden.auth_login(text, text, bytea, interval) owner to openclaw_auth;
alter function app_hidden.auth_refresh(bytea, bytea, interval) owner to openclaw_auth;
alter function app_hidden.auth_logout(bytea) owner to openclaw_auth;
alter function app_hidden.auth_change_password(text, text) owner to openclaw_auth;
revoke create on schema app_hidden from openclaw_auth;
