--! Previous: -
--! Hash: sha1:5cab72659699104ab6fcad6f6f52e4ec4f7cc230
--! Message: schemas, identity helper, users and their secrets, audit log

-- Schemas by exposure: app_public is the GraphQL API, app_hidden is usable by the runtime
-- roles but not exposed, app_private holds secrets and internals no runtime role can reach.
create schema app_public;
create schema app_hidden;
create schema app_private;
revoke all on schema app_public, app_hidden, app_private from public;
grant usage on schema app_public to openclaw_anonymous, openclaw_user;
grant usage on schema app_hidden to openclaw_user;
grant usage on schema app_public, app_hidden, app_private to openclaw_auth, openclaw_auditor, openclaw_jobs;

-- The caller's user id: set per transaction from a verified token (set_config('app.user_id', id, true)).
-- Inlinable (SQL, STABLE, invoker, no SET) so policies can wrap it in (select ...) and evaluate it once.
create function app_public.current_user_id() returns uuid
  language sql stable parallel safe as $$
  select nullif(current_setting('app.user_id', true), '')::uuid
$$;
comment on function app_public.current_user_id() is 'The signed-in user''s id (from the verified token), or null.';
grant execute on function app_public.current_user_id()
  to openclaw_anonymous, openclaw_user, openclaw_auth, openclaw_auditor, openclaw_jobs;

create function app_private.tg__set_updated_at() returns trigger
  language plpgsql volatile as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

------------------------------------------------------------------------------------------------
-- users: one row per person; a user sees and edits only their own row.
create type app_public.user_role as enum ('user', 'admin');
create type app_public.user_status as enum ('active', 'suspended');

create table app_public.users (
  id uuid primary key default gen_random_uuid(),
  email text not null unique
    check (char_length(email) <= 320 and email = lower(email) and email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  display_name text not null check (char_length(display_name) between 1 and 100),
  avatar_url text check (avatar_url is null or (char_length(avatar_url) <= 2000 and avatar_url ~ '^https://')),
  locale text not null default 'en' check (locale ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
  timezone text not null default 'UTC' check (char_length(timezone) between 1 and 64),
  role app_public.user_role not null default 'user',
  status app_public.user_status not null default 'active',
  suspended_reason text check (suspended_reason is null or char_length(suspended_reason) <= 1000),
  last_seen_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table app_public.users is 'A person on the platform. Created by app_private.register_user; each user sees only their own row.';
create trigger _100_timestamps before update on app_public.users
  for each row execute function app_private.tg__set_updated_at();
alter table app_public.users enable row level security;
alter table app_public.users force row level security;
create policy select_own on app_public.users for select to openclaw_user
  using (id = (select app_public.current_user_id()));
create policy update_own on app_public.users for update to openclaw_user
  using (id = (select app_public.current_user_id())) with check (id = (select app_public.current_user_id()));
create policy select_all on app_public.users for select to openclaw_admin using (true);
create policy update_all on app_public.users for update to openclaw_admin using (true) with check (true);
create policy delete_all on app_public.users for delete to openclaw_admin using (true);
grant select on app_public.users to openclaw_user;
grant update (display_name, avatar_url, locale, timezone) on app_public.users to openclaw_user;
grant update (role, status, suspended_reason) on app_public.users to openclaw_admin;
grant delete on app_public.users to openclaw_admin;

-- Secrets beside users, never exposed: password hash and refresh-token families.
create table app_private.user_secrets (
  user_id uuid primary key references app_public.users on delete cascade,
  password_hash text not null,
  password_changed_at timestamptz not null default now(),
  failed_logins int not null default 0 check (failed_logins >= 0),
  last_login_at timestamptz
);
create table app_private.refresh_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_public.users on delete cascade,
  family_id uuid not null,
  token_hash bytea not null unique check (octet_length(token_hash) = 32),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  revoked_at timestamptz
);
create index refresh_tokens_user_id_idx on app_private.refresh_tokens (user_id);
create index refresh_tokens_family_id_idx on app_private.refresh_tokens (family_id);

-- Only the auth role reaches the secrets, through its SECURITY DEFINER functions.
alter table app_private.user_secrets enable row level security;
alter table app_private.user_secrets force row level security;
alter table app_private.refresh_tokens enable row level security;
alter table app_private.refresh_tokens force row level security;
create policy auth_all on app_private.user_secrets for all to openclaw_auth using (true) with check (true);
create policy auth_all on app_private.refresh_tokens for all to openclaw_auth using (true) with check (true);
grant select, insert, update, delete on app_private.user_secrets, app_private.refresh_tokens to openclaw_auth;
-- Registration and login must find users by email across tenants: that is exactly this policy.
create policy auth_lookup on app_public.users for select to openclaw_auth using (true);
create policy auth_register on app_public.users for insert to openclaw_auth with check (role = 'user' and status = 'active');
create policy auth_touch on app_public.users for update to openclaw_auth using (true) with check (true);
grant select on app_public.users to openclaw_auth;
grant insert (email, display_name, locale, timezone), update (last_seen_at) on app_public.users to openclaw_auth;

-- register_user / verify_password: the only ways to create a user or check a password.
-- bcrypt (pgcrypto, cost 10). An unknown email still pays for one crypt() so timing does not tell.
create function app_private.register_user(email text, password text, display_name text) returns uuid
  language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
  v_id uuid;
begin
  if password is null or char_length(password) < 8 or char_length(password) > 200 then
    raise exception 'password must be 8 to 200 characters' using errcode = 'WEAKP';
  end if;
  insert into app_public.users (email, display_name)
    values (lower(trim(email)), coalesce(nullif(trim(display_name), ''), split_part(lower(trim(email)), '@', 1)))
    returning id into v_id;
  insert into app_private.user_secrets (user_id, password_hash) values (v_id, crypt(password, gen_salt('bf', 10)));
  return v_id;
end;
$$;
create function app_private.verify_password(email text, password text) returns uuid
  language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
  v_user app_public.users;
  v_hash text;
begin
  select u.* into v_user from app_public.users u where u.email = lower(trim(verify_password.email));
  select s.password_hash into v_hash from app_private.user_secrets s where s.user_id = v_user.id;
  if v_hash is null then
    perform crypt(coalesce(password, ''), gen_salt('bf', 10));
    return null;
  end if;
  if crypt(password, v_hash) <> v_hash then
    update app_private.user_secrets set failed_logins = failed_logins + 1 where user_id = v_user.id;
    return null;
  end if;
  if v_user.status <> 'active' then
    return null;
  end if;
  update app_private.user_secrets set failed_logins = 0, last_login_at = now() where user_id = v_user.id;
  return v_user.id;
end;
$$;
grant create on schema app_private to openclaw_auth;
alter function app_private.register_user(text, text, text) owner to openclaw_auth;
alter function app_private.verify_password(text, text) owner to openclaw_auth;
revoke create on schema app_private from openclaw_auth;

------------------------------------------------------------------------------------------------
-- audit_log: append-only. Written only by app_private.audit() (owned by openclaw_auditor);
-- readable only by admins; no role has UPDATE or DELETE, and a trigger refuses them anyway.
create table app_public.audit_log (
  id bigint generated always as identity primary key,
  created_at timestamptz not null default now(),
  actor_id uuid references app_public.users on delete set null,
  actor_role text not null check (char_length(actor_role) <= 63),
  action text not null check (action ~ '^[a-z][a-z0-9_.:-]{0,99}$'),
  target_table text check (target_table is null or char_length(target_table) <= 127),
  target_id text check (target_id is null or char_length(target_id) <= 200),
  details jsonb not null default '{}'::jsonb check (jsonb_typeof(details) = 'object' and pg_column_size(details) <= 16384)
);
comment on table app_public.audit_log is 'Append-only record of admin and security-relevant actions.';
create index audit_log_created_at_idx on app_public.audit_log (created_at desc);
create index audit_log_actor_id_idx on app_public.audit_log (actor_id);
create index audit_log_action_idx on app_public.audit_log (action);
alter table app_public.audit_log enable row level security;
alter table app_public.audit_log force row level security;
create policy select_all on app_public.audit_log for select to openclaw_admin using (true);
create policy append on app_public.audit_log for insert to openclaw_auditor with check (true);
grant select on app_public.audit_log to openclaw_admin;
grant insert (actor_id, actor_role, action, target_table, target_id, details) on app_public.audit_log to openclaw_auditor;

create function app_private.tg_audit_log__refuse_change() returns trigger
  language plpgsql volatile as $$
begin
  raise exception 'audit_log is append-only' using errcode = '42501';
end;
$$;
create trigger _100_append_only before update or delete on app_public.audit_log
  for each row execute function app_private.tg_audit_log__refuse_change();
create trigger _100_append_only_truncate before truncate on app_public.audit_log
  for each statement execute function app_private.tg_audit_log__refuse_change();

create function app_private.audit(action text, target_table text, target_id text, details jsonb default '{}') returns void
  language sql volatile security definer set search_path = pg_catalog, pg_temp as $$
  insert into app_public.audit_log (actor_id, actor_role, action, target_table, target_id, details)
  values (app_public.current_user_id(), coalesce(nullif(current_setting('role', true), 'none'), session_user),
          action, target_table, target_id, coalesce(details, '{}'::jsonb));
$$;

-- Row-change audit for admin-managed tables: who changed what (ids and changed column names only).
create function app_private.tg__audit_change() returns trigger
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_row jsonb := to_jsonb(coalesce(new, old));
  v_changed text[];
begin
  if tg_op = 'UPDATE' then
    select array_agg(n.key order by n.key) into v_changed
      from jsonb_each(to_jsonb(new)) n join jsonb_each(to_jsonb(old)) o using (key)
      where n.value is distinct from o.value and n.key <> 'updated_at';
  end if;
  perform app_private.audit(lower(tg_table_name) || '.' || lower(tg_op), tg_table_schema || '.' || tg_table_name,
    coalesce(v_row ->> 'id', v_row ->> 'key', v_row ->> 'user_id'),
    case when v_changed is null then '{}'::jsonb else jsonb_build_object('changed', v_changed) end);
  return null;
end;
$$;
grant execute on function app_private.audit(text, text, text, jsonb) to openclaw_auth;
grant create on schema app_private to openclaw_auditor;
alter function app_private.audit(text, text, text, jsonb) owner to openclaw_auditor;
alter function app_private.tg__audit_change() owner to openclaw_auditor;
revoke create on schema app_private from openclaw_auditor;
-- The table owner attaches this trigger to admin-managed tables (here and in later migrations).
set local role openclaw_auditor;
grant execute on function app_private.tg__audit_change() to openclaw_owner;
reset role;

-- Changes to a user's role or status are always audited.
create trigger _900_audit after update of role, status on app_public.users
  for each row execute function app_private.tg__audit_change();
