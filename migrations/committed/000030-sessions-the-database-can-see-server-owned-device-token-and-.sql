--! Previous: sha1:59576ad3a335d323326c7625ae2b538a4899c52c
--! Hash: sha1:1115bfef1564ff9fe848542248e24ac70124ce37
--! Message: Sessions the database can see; server-owned device, token and pairing state; settings checked per key; billing and plan limits enforced

-- Authority that can be taken back. Sessions the database can see (every access token names
-- one; logout, password changes, suspension and role changes end them), and server-owned state
-- (revocation, use marks, pairing decisions, what a node reported) that users change only
-- through functions allowing one-way transitions.

------------------------------------------------------------------------------------------------
-- Sessions: one per sign-in. The refresh-token family is the session (family_id = sessions.id),
-- and access tokens carry its id (claim sid). Whether a session is live, and the role and status
-- of its user, is read here by the API and the gateway (app_hidden.session_identity).
create table app_private.sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_public.users on delete cascade,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  revoked_reason text check (revoked_reason is null or revoked_reason ~ '^[a-z_]{1,32}$')
);
comment on table app_private.sessions is 'One per sign-in; revoked_at ends it everywhere (the API and gateways check it on each use).';
create index sessions_user_id_idx on app_private.sessions (user_id);
alter table app_private.sessions enable row level security;
alter table app_private.sessions force row level security;
create policy auth_all on app_private.sessions for all to openclaw_auth using (true) with check (true);
create policy maintenance_purge on app_private.sessions for select to openclaw_maintenance using (true);
create policy maintenance_delete on app_private.sessions for delete to openclaw_maintenance using (true);
grant select, insert, update, delete on app_private.sessions to openclaw_auth;
grant select, delete on app_private.sessions to openclaw_maintenance;

-- Existing sign-ins become sessions (the owner has no policy of its own: lift FORCE meanwhile).
alter table app_private.refresh_tokens no force row level security;
alter table app_private.sessions no force row level security;
insert into app_private.sessions (id, user_id, created_at, revoked_at, revoked_reason)
  select t.family_id, min(t.user_id::text)::uuid, min(t.created_at),
         case when bool_and(t.revoked_at is not null) then max(t.revoked_at) end,
         case when bool_and(t.revoked_at is not null) then 'logout' end
    from app_private.refresh_tokens t group by t.family_id
  on conflict (id) do nothing;
alter table app_private.refresh_tokens force row level security;
alter table app_private.sessions force row level security;
alter table app_private.refresh_tokens
  add constraint refresh_tokens_family_id_fkey foreign key (family_id) references app_private.sessions on delete cascade;

-- Ends sessions: one (only), or all of a user's but one (keep). Their refresh tokens stop too.
-- Called by the auth functions below and by the users trigger; never exposed.
create function app_private.end_sessions(user_id uuid, reason text, only_session uuid default null, keep uuid default null)
  returns int
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_count int;
begin
  update app_private.sessions s set revoked_at = now(), revoked_reason = reason
   where s.user_id = end_sessions.user_id and s.revoked_at is null
     and (only_session is null or s.id = only_session) and (keep is null or s.id <> keep);
  get diagnostics v_count = row_count;
  update app_private.refresh_tokens t set revoked_at = coalesce(t.revoked_at, now())
   where t.user_id = end_sessions.user_id and t.revoked_at is null
     and (only_session is null or t.family_id = only_session) and (keep is null or t.family_id <> keep);
  return v_count;
end;
$$;
comment on function app_private.end_sessions(uuid, text, uuid, uuid) is
  'Ends a user''s sessions (one, or all but one) and their refresh tokens; announces each (session.revoked).';

create type app_hidden.session_state as (user_id uuid, role app_public.user_role, status app_public.user_status, live boolean);

-- One indexed lookup: is this sign-in still live, and who is it now? (Called before identity is set.)
create function app_hidden.session_identity(session_id uuid) returns app_hidden.session_state
  language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select u.id, u.role, u.status, s.revoked_at is null and u.status = 'active'
    from app_private.sessions s join app_public.users u on u.id = s.user_id
   where s.id = session_id
$$;
comment on function app_hidden.session_identity(uuid) is
  'The live state of a sign-in: its user, that user''s current role and status, and whether it may still act.';

alter type app_hidden.auth_identity add attribute session_id uuid;

-- The auth functions are replaced as their owner, the auth role.
grant create on schema app_hidden to openclaw_auth;
set local role openclaw_auth;
create or replace function app_hidden.auth_login(email text, password text, refresh_hash bytea, refresh_ttl interval)
  returns app_hidden.auth_identity
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_id uuid := app_private.verify_password(auth_login.email, auth_login.password);
  v_user app_public.users;
  v_session uuid;
begin
  if v_id is null then
    return null;
  end if;
  select u.* into v_user from app_public.users u where u.id = v_id;
  insert into app_private.sessions (user_id) values (v_user.id) returning id into v_session;
  insert into app_private.refresh_tokens (user_id, family_id, token_hash, expires_at)
    values (v_user.id, v_session, refresh_hash, now() + refresh_ttl);
  update app_public.users set last_seen_at = now() where id = v_user.id;
  return (v_user.id, v_user.role, v_session)::app_hidden.auth_identity;
end;
$$;

create or replace function app_hidden.auth_refresh(old_hash bytea, new_hash bytea, refresh_ttl interval)
  returns app_hidden.auth_identity
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_token app_private.refresh_tokens;
  v_user app_public.users;
  v_session app_private.sessions;
begin
  select t.* into v_token from app_private.refresh_tokens t where t.token_hash = old_hash for update;
  if v_token.id is null then
    return null;
  end if;
  select u.* into v_user from app_public.users u where u.id = v_token.user_id;
  select s.* into v_session from app_private.sessions s where s.id = v_token.family_id for update;
  if v_session.revoked_at is not null then
    return null;
  end if;
  if v_token.used_at is not null or v_token.revoked_at is not null or v_user.status <> 'active' then
    -- Reuse of a rotated token (or a suspended account): the whole sign-in ends.
    perform app_private.end_sessions(v_token.user_id, case when v_user.status <> 'active' then 'suspended' else 'refresh_reuse' end,
      only_session => v_token.family_id);
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
  return (v_user.id, v_user.role, v_token.family_id)::app_hidden.auth_identity;
end;
$$;

create or replace function app_hidden.auth_logout(refresh_hash bytea) returns boolean
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_token app_private.refresh_tokens;
begin
  select t.* into v_token from app_private.refresh_tokens t where t.token_hash = refresh_hash;
  if v_token.id is null then
    return false;
  end if;
  perform app_private.end_sessions(v_token.user_id, 'logout', only_session => v_token.family_id);
  return true;
end;
$$;

-- The caller changes their own password; every other sign-in of theirs ends (keep_session is the
-- caller's own, from its verified token).
drop function app_hidden.auth_change_password(text, text);
create function app_hidden.auth_change_password(old_password text, new_password text, keep_session uuid) returns boolean
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
  perform app_private.end_sessions(v_me, 'password_changed', keep => keep_session);
  perform app_private.audit('auth.password_changed', 'app_public.users', v_me::text, '{}');
  return true;
end;
$$;

revoke all on function app_hidden.auth_change_password(text, text, uuid) from public;
grant execute on function app_hidden.auth_change_password(text, text, uuid) to openclaw_user;
reset role;
revoke create on schema app_hidden from openclaw_auth;

-- An administrator (admin CLI) sets a new password: every sign-in ends.
create function app_private.reset_password(user_id uuid, new_password text) returns void
  language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
begin
  update app_private.user_secrets s set password_hash = crypt(new_password, gen_salt('bf', 10)), password_changed_at = now()
   where s.user_id = reset_password.user_id;
  perform app_private.end_sessions(reset_password.user_id, 'password_reset');
end;
$$;
comment on function app_private.reset_password(uuid, text) is 'Admin CLI: a new password, and every sign-in of the user ends.';

-- Suspension and role changes end every sign-in: the next request is refused, open sockets close.
create function app_private.tg_users__end_sessions() returns trigger
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
begin
  perform app_private.end_sessions(new.id, tg_argv[0]);
  return null;
end;
$$;

revoke all on function app_private.end_sessions(uuid, text, uuid, uuid), app_hidden.session_identity(uuid),
  app_private.reset_password(uuid, text),
  app_private.tg_users__end_sessions() from public;
grant execute on function app_hidden.session_identity(uuid) to openclaw_anonymous;
grant create on schema app_private, app_hidden to openclaw_auth;
alter function app_private.end_sessions(uuid, text, uuid, uuid) owner to openclaw_auth;
alter function app_hidden.session_identity(uuid) owner to openclaw_auth;
alter function app_private.reset_password(uuid, text) owner to openclaw_auth;
alter function app_private.tg_users__end_sessions() owner to openclaw_auth;
revoke create on schema app_private, app_hidden from openclaw_auth;
set local role openclaw_auth;
grant execute on function app_private.tg_users__end_sessions() to openclaw_owner;
reset role;

create trigger _700_end_sessions_suspended after update of status on app_public.users
  for each row when (new.status = 'suspended' and old.status is distinct from 'suspended')
  execute function app_private.tg_users__end_sessions('suspended');
create trigger _700_end_sessions_role after update of role on app_public.users
  for each row when (new.role is distinct from old.role)
  execute function app_private.tg_users__end_sessions('role_changed');
create trigger _800_announce_revoked after update of revoked_at on app_private.sessions
  for each row when (new.revoked_at is not null and old.revoked_at is null)
  execute function app_private.tg__announce('session.revoked');

-- Retention: ended sessions go with their refresh tokens.
create function app_hidden.retention_sweep_sessions(expired_keep interval) returns int
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_count int;
begin
  delete from app_private.sessions s
   where s.revoked_at <= now() - expired_keep
      or (s.created_at <= now() - expired_keep
          and not exists (select 1 from app_private.refresh_tokens t where t.family_id = s.id and t.expires_at > now() - expired_keep));
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
comment on function app_hidden.retention_sweep_sessions(interval) is 'Scheduled: deletes sign-ins that ended or whose refresh tokens all expired.';
grant select on app_private.refresh_tokens to openclaw_maintenance;
revoke all on function app_hidden.retention_sweep_sessions(interval) from public;
grant execute on function app_hidden.retention_sweep_sessions(interval) to openclaw_worker;
grant create on schema app_hidden to openclaw_maintenance;
alter function app_hidden.retention_sweep_sessions(interval) owner to openclaw_maintenance;
revoke create on schema app_hidden from openclaw_maintenance;

------------------------------------------------------------------------------------------------
-- Server-owned state. A device's pairing state and what its node reported, a node token's use
-- and revocation, a pairing code's use and a pairing request's decision change only through the
-- functions below, each a one-way transition. A user may revoke, never un-revoke.
revoke insert on app_public.devices from openclaw_user;
revoke update on app_public.devices from openclaw_user, openclaw_admin;
grant update (name) on app_public.devices to openclaw_user;
revoke update on app_public.node_tokens from openclaw_user;
grant update (label, auto_approve) on app_public.node_tokens to openclaw_user;
revoke update on app_public.device_pairing_codes from openclaw_user;
revoke update on app_public.device_pairing_requests from openclaw_user;
revoke insert on app_public.device_pairing_requests from openclaw_user;
comment on table app_public.devices is
  E'@behavior -insert\nA user''s device nodes (OpenClaw node hosts). Presence lives in Redis; this is the durable roster.';
comment on table app_public.device_pairing_requests is E'@behavior -insert -update';
comment on table app_public.device_pairing_codes is E'@behavior -insert -update';

-- What the auth role (owner of the functions below) may additionally write.
grant update (name, caps, commands, platform, device_family, client_id, client_version) on app_public.devices to openclaw_auth;
grant update (revoked_at) on app_public.node_tokens to openclaw_auth;
grant update (decided_at) on app_public.device_pairing_requests to openclaw_auth;
create policy auth_revoke on app_public.devices for update to openclaw_auth using (true) with check (status = 'revoked');
-- (USING stays true, 000021: the functions narrow by user and pending status themselves.)
drop policy auth_refresh on app_public.device_pairing_requests;
create policy auth_refresh on app_public.device_pairing_requests for update to openclaw_auth using (true)
  with check (status in ('pending', 'expired', 'approved', 'rejected'));

-- A revoked device's token is gone for good: a device comes back only by enrolling again.
create function app_private.tg_devices__forget_token() returns trigger
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
begin
  delete from app_private.device_token_secrets s where s.device_id = old.id;
  return null;
end;
$$;

-- The owner revokes one of their devices; an admin revokes anyone's (admin_revoke_device).
create function app_public.revoke_device(device_id uuid) returns app_public.devices
  language plpgsql volatile strict security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_row app_public.devices;
begin
  update app_public.devices d set status = 'revoked', revoked_at = coalesce(d.revoked_at, now())
   where d.id = device_id and d.user_id = app_public.current_user_id() and d.status <> 'revoked'
   returning d.* into v_row;
  if v_row.id is null then
    select d.* into v_row from app_public.devices d where d.id = device_id and d.user_id = app_public.current_user_id();
    if v_row.id is null then
      raise exception 'device not found' using errcode = 'P0002';
    end if;
  end if;
  return v_row;
end;
$$;
comment on function app_public.revoke_device(uuid) is
  'Revokes one of your devices: its connections close at once and its token stops working for good.';

create function app_public.admin_revoke_device(device_id uuid) returns app_public.devices
  language plpgsql volatile strict security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_row app_public.devices;
begin
  update app_public.devices d set status = 'revoked', revoked_at = coalesce(d.revoked_at, now())
   where d.id = device_id and d.status <> 'revoked' returning d.* into v_row;
  if v_row.id is null then
    select d.* into v_row from app_public.devices d where d.id = device_id;
    if v_row.id is null then
      raise exception 'device not found' using errcode = 'P0002';
    end if;
  end if;
  perform app_private.audit('devices.revoked_by_admin', 'app_public.devices', device_id::text,
    jsonb_build_object('user_id', v_row.user_id));
  return v_row;
end;
$$;
comment on function app_public.admin_revoke_device(uuid) is 'Admin: revokes any device (audited).';

create function app_public.revoke_node_token(node_token_id uuid) returns app_public.node_tokens
  language plpgsql volatile strict security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_row app_public.node_tokens;
begin
  update app_public.node_tokens t set revoked_at = coalesce(t.revoked_at, now())
   where t.id = node_token_id and t.user_id = app_public.current_user_id()
   returning t.* into v_row;
  if v_row.id is null then
    raise exception 'node token not found' using errcode = 'P0002';
  end if;
  return v_row;
end;
$$;
comment on function app_public.revoke_node_token(uuid) is
  'Revokes one of your node tokens: no new enrolment with it, and the connections it opened close.';

-- What a connected node reported, and when it was last seen (called by the gateway as the owner).
create function app_hidden.record_device_connection(device_id uuid, caps text[], commands text[], platform text,
    device_family text, client_id text, client_version text) returns void
  language sql volatile security definer set search_path = pg_catalog, pg_temp as $$
  update app_public.devices d
     set caps = record_device_connection.caps, commands = record_device_connection.commands,
         platform = record_device_connection.platform, device_family = record_device_connection.device_family,
         client_id = record_device_connection.client_id, client_version = record_device_connection.client_version,
         last_seen_at = now()
   where d.id = device_id and d.user_id = app_public.current_user_id() and d.status = 'paired'
$$;
create function app_hidden.record_device_seen(device_id uuid) returns void
  language sql volatile security definer set search_path = pg_catalog, pg_temp as $$
  update app_public.devices d set last_seen_at = now()
   where d.id = device_id and d.user_id = app_public.current_user_id() and d.status = 'paired'
$$;

-- Pairing decisions: only the owner's own pending requests, once.
create or replace function app_public.approve_device_pairing(request_id uuid) returns app_public.devices
  language plpgsql volatile strict security definer set search_path = pg_catalog, public, pg_temp as $$
#variable_conflict use_column
declare
  v_request app_public.device_pairing_requests;
  v_device app_public.devices;
begin
  select r.* into v_request from app_public.device_pairing_requests r
   where r.id = request_id and r.user_id = app_public.current_user_id() for update;
  if not found then
    raise exception 'pairing request not found' using errcode = 'P0002';
  end if;
  if v_request.status <> 'pending' or v_request.expires_at <= now() then
    raise exception 'the pairing request is no longer pending' using errcode = 'PAIRX';
  end if;
  update app_public.device_pairing_requests r set status = 'approved', decided_at = now() where r.id = v_request.id;
  insert into app_public.devices as d (user_id, device_key_id, public_key, name, platform, caps, commands, status, paired_at)
    values (v_request.user_id, v_request.device_key_id, v_request.public_key, v_request.name, v_request.platform, v_request.caps,
            v_request.commands, 'paired', now())
    on conflict (user_id, device_key_id) do update
      set status = 'paired', paired_at = now(), revoked_at = null, name = excluded.name
    returning d.* into v_device;
  return v_device;
end;
$$;

create or replace function app_public.reject_device_pairing(request_id uuid) returns app_public.device_pairing_requests
  language plpgsql volatile strict security definer set search_path = pg_catalog, public, pg_temp as $$
declare
  v_request app_public.device_pairing_requests;
begin
  update app_public.device_pairing_requests r set status = 'rejected', decided_at = now()
    where r.id = request_id and r.user_id = app_public.current_user_id() and r.status = 'pending' returning r.* into v_request;
  if not found then
    if exists (select 1 from app_public.device_pairing_requests r where r.id = request_id and r.user_id = app_public.current_user_id()) then
      raise exception 'the pairing request is no longer pending' using errcode = 'PAIRX';
    end if;
    raise exception 'pairing request not found' using errcode = 'P0002';
  end if;
  return v_request;
end;
$$;

revoke all on function app_private.tg_devices__forget_token(), app_public.revoke_device(uuid), app_public.admin_revoke_device(uuid),
  app_public.revoke_node_token(uuid), app_hidden.record_device_connection(uuid, text[], text[], text, text, text, text),
  app_hidden.record_device_seen(uuid) from public;
grant execute on function app_public.revoke_device(uuid), app_public.revoke_node_token(uuid),
  app_hidden.record_device_connection(uuid, text[], text[], text, text, text, text), app_hidden.record_device_seen(uuid)
  to openclaw_user;
grant execute on function app_public.admin_revoke_device(uuid) to openclaw_admin;
grant create on schema app_private, app_hidden, app_public to openclaw_auth;
alter function app_private.tg_devices__forget_token() owner to openclaw_auth;
alter function app_public.revoke_device(uuid) owner to openclaw_auth;
alter function app_public.admin_revoke_device(uuid) owner to openclaw_auth;
alter function app_public.revoke_node_token(uuid) owner to openclaw_auth;
alter function app_hidden.record_device_connection(uuid, text[], text[], text, text, text, text) owner to openclaw_auth;
alter function app_hidden.record_device_seen(uuid) owner to openclaw_auth;
alter function app_public.approve_device_pairing(uuid) owner to openclaw_auth;
alter function app_public.reject_device_pairing(uuid) owner to openclaw_auth;
revoke create on schema app_private, app_hidden, app_public from openclaw_auth;
set local role openclaw_auth;
grant execute on function app_private.tg_devices__forget_token() to openclaw_owner;
reset role;
create trigger _700_forget_token after update of status on app_public.devices
  for each row when (new.status = 'revoked' and old.status is distinct from 'revoked')
  execute function app_private.tg_devices__forget_token();

-- A decided confirmation stays decided, whoever writes (the gateway works as the user).
create function app_private.tg_approvals__decided_once() returns trigger
  language plpgsql volatile as $$
begin
  if old.status <> 'pending' then
    raise exception 'this confirmation was already decided' using errcode = '55000';
  end if;
  return new;
end;
$$;
revoke all on function app_private.tg_approvals__decided_once() from public;
create trigger _200_decided_once before update on app_public.approvals
  for each row execute function app_private.tg_approvals__decided_once();

------------------------------------------------------------------------------------------------
-- System settings are checked against a JSON schema per key (a small subset: type, items,
-- maxItems, maxLength, pattern, minimum, maximum, enum). Every setting the platform reads has
-- one; a key without a schema (nothing reads it) is free-form.
create table app_hidden.system_config_schemas (
  key text primary key check (key ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
  schema jsonb not null check (jsonb_typeof(schema) = 'object')
);
comment on table app_hidden.system_config_schemas is 'The JSON schema each system setting''s value must satisfy.';
alter table app_hidden.system_config_schemas enable row level security;
alter table app_hidden.system_config_schemas force row level security;
create policy select_all on app_hidden.system_config_schemas for select to openclaw_admin using (true);
grant select on app_hidden.system_config_schemas to openclaw_admin;

create function app_private.json_schema_problem(schema jsonb, value jsonb, path text) returns text
  language plpgsql immutable set search_path = pg_catalog, pg_temp as $$
declare
  v_type text := schema ->> 'type';
  v_actual text := jsonb_typeof(value);
  v_problem text;
  v_item jsonb;
  v_i int := 0;
begin
  if v_type is not null and not (v_actual = v_type or (v_type = 'integer' and v_actual = 'number' and value::text ~ '^-?[0-9]+$')) then
    return format('%s must be %s %s', path, case when v_type in ('array', 'integer', 'object') then 'an' else 'a' end, v_type);
  end if;
  if schema ? 'enum' and not (schema -> 'enum') @> jsonb_build_array(value) then
    return format('%s must be one of %s', path, schema -> 'enum');
  end if;
  if v_actual = 'string' then
    if schema ? 'maxLength' and char_length(value #>> '{}') > (schema ->> 'maxLength')::int then
      return format('%s must be at most %s characters', path, schema ->> 'maxLength');
    end if;
    if schema ? 'pattern' and (value #>> '{}') !~ (schema ->> 'pattern') then
      return format('%s must match %s', path, schema ->> 'pattern');
    end if;
  elsif v_actual = 'number' then
    if schema ? 'minimum' and value::numeric < (schema ->> 'minimum')::numeric then
      return format('%s must be at least %s', path, schema ->> 'minimum');
    end if;
    if schema ? 'maximum' and value::numeric > (schema ->> 'maximum')::numeric then
      return format('%s must be at most %s', path, schema ->> 'maximum');
    end if;
  elsif v_actual = 'array' then
    if schema ? 'maxItems' and jsonb_array_length(value) > (schema ->> 'maxItems')::int then
      return format('%s must have at most %s items', path, schema ->> 'maxItems');
    end if;
    if schema ? 'items' then
      for v_item in select e from jsonb_array_elements(value) e loop
        v_problem := app_private.json_schema_problem(schema -> 'items', v_item, format('%s[%s]', path, v_i));
        if v_problem is not null then
          return v_problem;
        end if;
        v_i := v_i + 1;
      end loop;
    end if;
  end if;
  return null;
end;
$$;

create function app_private.tg_system_configs__check_value() returns trigger
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_schema jsonb;
  v_problem text;
begin
  select s.schema into v_schema from app_hidden.system_config_schemas s where s.key = new.key;
  v_problem := app_private.json_schema_problem(v_schema, new.value, new.key);
  if v_problem is not null then
    raise exception 'invalid setting: %', v_problem using errcode = 'CFGIN';
  end if;
  return new;
end;
$$;
create policy check_values on app_hidden.system_config_schemas for select to openclaw_maintenance using (true);
grant usage on schema app_hidden to openclaw_maintenance;
grant select on app_hidden.system_config_schemas to openclaw_maintenance;
revoke all on function app_private.tg_system_configs__check_value(), app_private.json_schema_problem(jsonb, jsonb, text) from public;
grant create on schema app_private to openclaw_maintenance;
alter function app_private.tg_system_configs__check_value() owner to openclaw_maintenance;
revoke create on schema app_private from openclaw_maintenance;
grant execute on function app_private.json_schema_problem(jsonb, jsonb, text) to openclaw_maintenance;
set local role openclaw_maintenance;
grant execute on function app_private.tg_system_configs__check_value() to openclaw_owner;
reset role;

alter table app_hidden.system_config_schemas no force row level security;
insert into app_hidden.system_config_schemas (key, schema) values
  ('gateway.denied_commands', '{"type": "array", "maxItems": 500, "items": {"type": "string", "maxLength": 200, "pattern": "^[A-Za-z0-9][A-Za-z0-9._:-]*$"}}'),
  ('agent.sensitive_commands', '{"type": "array", "maxItems": 500, "items": {"type": "string", "maxLength": 200, "pattern": "^[A-Za-z0-9][A-Za-z0-9._:-]*$"}}')
  on conflict (key) do update set schema = excluded.schema;
alter table app_hidden.system_config_schemas force row level security;
create trigger _200_check_value before insert or update of key, value on app_public.system_configs
  for each row execute function app_private.tg_system_configs__check_value();

------------------------------------------------------------------------------------------------
-- Billing and plan limits that hold. Runs as openclaw_owner inside one transaction; idempotent.
--
-- Coupons: a coupon's max_redemptions is checked, and its redemption counted, when an order is
--   paid, under a row lock on the coupon, so payments arriving together cannot all take the last
--   use. A payment for an order whose coupon ran out in the meantime is NOT applied at the
--   discounted price: the payment event is recorded (a replay is still refused), the order becomes
--   'canceled' with cancel_reason 'coupon_exhausted', nothing is activated, and the audit log gets
--   'billing.payment_refused' (provider, event, amount) so an operator refunds it. create_order
--   still refuses a coupon that is already used up.
-- Downgrades: buying a plan that costs less per month than the user's active subscription is
--   refused. create_order raises DOWNG (API: DOWNGRADE_NOT_ALLOWED, with the date the dearer plan
--   ends; the cheaper plan can be ordered after that). A cheaper order made earlier and paid while
--   a dearer plan is active is refused at payment like an exhausted coupon (cancel_reason
--   'downgrade_refused', audited, refund due): a dearer plan is never cancelled by a cheaper one.
--   A dearer or equally priced plan replaces the current one at once (no proration); paying again
--   for the plan one is on extends it by one billing interval instead of restarting it.
-- Quotas: a subscription's every change (admin grant, extend, cancel, paid order, expiry) sets the
--   limits of the user's current usage_quotas period to those of their plan now (the active
--   subscription's, else the default plan's), keeping what was used. agent/quota.ts reads the limit
--   from Postgres on every turn (Redis only counts usage, per period start, which this keeps), so
--   the next turn obeys the new plan.
-- Storage: a file counts against the storage quota from the moment it is confirmed (status
--   'uploaded') until it is deleted (row deleted or status 'deleted'); user_files.stored_bytes
--   says what each file counts. Confirming beyond the limit raises PLANS (API:
--   STORAGE_QUOTA_EXCEEDED with limit, used, requested). usage_quotas.storage_bytes_used is the sum,
--   kept on the current and later periods; a new period starts with it.
-- Devices: a device becoming 'paired' (node enrolment, pairing approval, anything else) beyond the
--   plan's devices_limit raises PLAND (API and gateway: DEVICE_LIMIT_REACHED with limit, paired).
--   Devices paired before a downgrade stay paired; only new pairings are refused.
-- Enforcement counts under a per-user transaction lock (app_private.lock_user_plan), so two
-- confirms, enrolments or payments at once are decided one after the other.

------------------------------------------------------------------------------------------------
-- What the maintenance role (owner of the quota functions) and billing role may newly touch.
grant update (storage_bytes_used, messages_limit, tokens_limit, storage_bytes_limit, devices_limit)
  on app_public.usage_quotas to openclaw_maintenance;
grant select on app_public.devices to openclaw_maintenance;
drop policy if exists maintenance_read on app_public.devices;
create policy maintenance_read on app_public.devices for select to openclaw_maintenance using (true);

alter table app_public.orders add column if not exists cancel_reason text
  check (cancel_reason is null or cancel_reason in ('coupon_exhausted', 'downgrade_refused'));
comment on column app_public.orders.cancel_reason is
  'Why a paid order was not applied: coupon_exhausted or downgrade_refused (its payment is due back).';
grant update (cancel_reason) on app_public.orders to openclaw_billing;
-- Paying again for the current plan extends it.
grant update (current_period_end) on app_public.subscriptions to openclaw_billing;

alter table app_public.user_files add column if not exists stored_bytes bigint not null default 0 check (stored_bytes >= 0);
comment on column app_public.user_files.stored_bytes is
  'Bytes this file counts against your storage quota: its size from confirmation until it is deleted.';

-- Files confirmed before this migration count from now (FORCE lifted: the owner has no policy).
alter table app_public.user_files no force row level security;
alter table app_public.usage_quotas no force row level security;
alter table app_public.user_files disable trigger _100_timestamps;
update app_public.user_files set stored_bytes = size_bytes
 where status in ('uploaded', 'processing', 'ready') and stored_bytes = 0;
alter table app_public.user_files enable trigger _100_timestamps;
update app_public.usage_quotas q
   set storage_bytes_used = coalesce((select sum(f.stored_bytes) from app_public.user_files f where f.user_id = q.user_id), 0)
 where q.period_end > now();
alter table app_public.user_files force row level security;
alter table app_public.usage_quotas force row level security;

------------------------------------------------------------------------------------------------
-- The quota functions, owned by the maintenance role. The helpers are SECURITY INVOKER and run
-- only inside the SECURITY DEFINER functions and triggers of the maintenance and billing roles.
grant create on schema app_private, app_hidden to openclaw_maintenance;
set local role openclaw_maintenance;

-- One lock per user for every plan-limit decision and billing change, held to commit.
create or replace function app_private.lock_user_plan(user_id uuid) returns void
  language sql volatile set search_path = pg_catalog, pg_temp as $$
  select pg_advisory_xact_lock(hashtextextended('openclaw.plan:' || lock_user_plan.user_id::text, 0))
$$;
comment on function app_private.lock_user_plan(uuid) is
  'Serialises plan-limit checks and billing changes of one user until the transaction ends.';

-- The plan a user is on now: the active (or trialing) subscription's, else the default plan.
create or replace function app_private.effective_plan(user_id uuid) returns app_public.plans
  language sql stable set search_path = pg_catalog, pg_temp as $$
  select p.* from app_public.plans p
   where p.id = coalesce(
     (select s.plan_id from app_public.subscriptions s
       where s.user_id = effective_plan.user_id and s.status in ('trialing', 'active') and s.current_period_end > now()
       order by s.current_period_end desc limit 1),
     (select d.id from app_public.plans d where d.is_default limit 1))
$$;
comment on function app_private.effective_plan(uuid) is
  'The plan whose limits apply to the user now (active subscription, else the default plan; null if neither).';

-- The user's quota row for now, made from their plan if there is none yet (a new account, or the
-- hourly rollover has not run). A period follows on from the previous one; after a gap it starts
-- on the same day of the month as the subscription (or the account). Null without any plan.
create or replace function app_private.current_quota(user_id uuid) returns app_public.usage_quotas
  language plpgsql volatile set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  v_user uuid := current_quota.user_id;
  v_row app_public.usage_quotas;
  v_plan app_public.plans;
  v_anchor timestamptz;
  v_last_end timestamptz;
  v_start timestamptz;
  v_steps int := 0;
begin
  select q.* into v_row from app_public.usage_quotas q
   where q.user_id = v_user and q.period_start <= now() and q.period_end > now()
   order by q.period_start desc limit 1;
  if found then
    return v_row;
  end if;
  perform app_private.lock_user_plan(v_user);
  v_plan := app_private.effective_plan(v_user);
  if v_plan.id is null then
    return null;
  end if;
  select coalesce(s.current_period_start, u.created_at) into v_anchor
    from app_public.users u
    left join app_public.subscriptions s
      on s.user_id = u.id and s.status in ('trialing', 'active') and s.current_period_end > now()
   where u.id = v_user
   order by s.current_period_end desc nulls last limit 1;
  if v_anchor is null then
    return null;
  end if;
  select max(q.period_end) into v_last_end from app_public.usage_quotas q where q.user_id = v_user and q.period_end <= now();
  v_start := least(greatest(coalesce(v_last_end, v_anchor), v_anchor), now());
  while v_start + interval '1 month' <= now() and v_steps < 1200 loop
    v_start := v_start + interval '1 month';
    v_steps := v_steps + 1;
  end loop;
  insert into app_public.usage_quotas (user_id, period_start, period_end, messages_limit, tokens_limit, storage_bytes_limit, devices_limit)
    values (v_user, v_start,
            least(v_start + interval '1 month',
                  coalesce((select min(q.period_start) from app_public.usage_quotas q where q.user_id = v_user and q.period_start > v_start),
                           'infinity')),
            v_plan.monthly_messages, v_plan.monthly_tokens, v_plan.storage_bytes, v_plan.max_devices)
    on conflict (user_id, period_start) do nothing;
  select q.* into v_row from app_public.usage_quotas q
   where q.user_id = v_user and q.period_start <= now() and q.period_end > now()
   order by q.period_start desc limit 1;
  return v_row;
end;
$$;
comment on function app_private.current_quota(uuid) is
  'The user''s usage_quotas row for now, created from their plan when missing.';

-- The current (and any later) period takes the limits of the plan the user is on now; usage stays.
create or replace function app_private.sync_quota_limits(user_id uuid) returns void
  language plpgsql volatile set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  v_user uuid := sync_quota_limits.user_id;
  v_plan app_public.plans;
begin
  perform app_private.lock_user_plan(v_user);
  v_plan := app_private.effective_plan(v_user);
  if v_plan.id is null then
    return;
  end if;
  update app_public.usage_quotas q
     set messages_limit = v_plan.monthly_messages, tokens_limit = v_plan.monthly_tokens,
         storage_bytes_limit = v_plan.storage_bytes, devices_limit = v_plan.max_devices
   where q.user_id = v_user and q.period_end > now()
     and (q.messages_limit, q.tokens_limit, q.storage_bytes_limit, q.devices_limit)
         is distinct from (v_plan.monthly_messages, v_plan.monthly_tokens, v_plan.storage_bytes, v_plan.max_devices);
  perform app_private.current_quota(v_user);
end;
$$;
comment on function app_private.sync_quota_limits(uuid) is
  'Sets the user''s current quota period to their plan''s limits (creating the period if missing); usage is kept.';

create or replace function app_private.tg_subscriptions__sync_quota() returns trigger
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
begin
  perform app_private.sync_quota_limits(new.user_id);
  return null;
end;
$$;
comment on function app_private.tg_subscriptions__sync_quota() is
  'A subscription changed: the user''s current quota period takes the limits of their plan now.';

-- Storage: what a file counts, and the check when that grows. A file counts its size once it is
-- confirmed ('uploaded', or later states reached from it) and nothing while pending, once
-- deleted, or when it failed before it was ever confirmed (its upload was removed).
create or replace function app_private.tg_user_files__charge_storage() returns trigger
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_before bigint := 0;
  v_charge bigint := 0;
  v_quota app_public.usage_quotas;
  v_used bigint;
begin
  if tg_op = 'UPDATE' then
    v_before := old.stored_bytes;
  end if;
  if new.status in ('pending_upload', 'deleted') then
    v_charge := 0;
  elsif v_before > 0 or new.status in ('uploaded', 'processing', 'ready') then
    v_charge := new.size_bytes;
  end if;
  if v_charge > v_before then
    perform app_private.lock_user_plan(new.user_id);
    v_quota := app_private.current_quota(new.user_id);
    if v_quota.id is not null then
      select coalesce(sum(f.stored_bytes), 0) into v_used from app_public.user_files f
       where f.user_id = new.user_id and f.id <> new.id;
      if v_used + v_charge > v_quota.storage_bytes_limit then
        raise exception 'storage quota exceeded: % of % bytes used, this file needs %', v_used, v_quota.storage_bytes_limit, v_charge
          using errcode = 'PLANS',
                detail = json_build_object('limit', v_quota.storage_bytes_limit, 'used', v_used, 'requested', v_charge)::text,
                hint = 'Delete files or upgrade your plan.';
      end if;
    end if;
  end if;
  new.stored_bytes := v_charge;
  return new;
end;
$$;
comment on function app_private.tg_user_files__charge_storage() is
  'Sets what a file counts against storage, refusing a confirmation beyond the plan''s storage limit (PLANS).';

-- The quota rows show the sum (current and later periods).
create or replace function app_private.tg_user_files__count_storage() returns trigger
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_user uuid;
begin
  if tg_op = 'DELETE' then
    v_user := old.user_id;
    -- The whole account is being deleted: its quota rows go too.
    if not exists (select 1 from app_public.users u where u.id = v_user) then
      return null;
    end if;
  else
    v_user := new.user_id;
  end if;
  perform app_private.lock_user_plan(v_user);
  update app_public.usage_quotas q
     set storage_bytes_used = (select coalesce(sum(f.stored_bytes), 0) from app_public.user_files f where f.user_id = v_user)
   where q.user_id = v_user and q.period_end > now();
  return null;
end;
$$;
comment on function app_private.tg_user_files__count_storage() is
  'Keeps usage_quotas.storage_bytes_used (current and later periods) equal to what the user''s files count.';

-- A new period starts with the bytes already stored.
create or replace function app_private.tg_usage_quotas__seed_storage_used() returns trigger
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
begin
  new.storage_bytes_used := (select coalesce(sum(f.stored_bytes), 0) from app_public.user_files f where f.user_id = new.user_id);
  return new;
end;
$$;
comment on function app_private.tg_usage_quotas__seed_storage_used() is
  'A new quota period starts with the storage the user''s files already take.';

-- Devices: a device becoming paired beyond the plan's devices_limit is refused (PLAND). The
-- device itself (same key) is not counted, so re-pairing a paired device always works.
create or replace function app_private.tg_devices__enforce_device_limit() returns trigger
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_quota app_public.usage_quotas;
  v_paired int;
begin
  if new.status <> 'paired' or (tg_op = 'UPDATE' and old.status = 'paired') then
    return new;
  end if;
  perform app_private.lock_user_plan(new.user_id);
  v_quota := app_private.current_quota(new.user_id);
  if v_quota.id is null then
    return new;
  end if;
  select count(*) into v_paired from app_public.devices d
   where d.user_id = new.user_id and d.status = 'paired' and d.device_key_id <> new.device_key_id;
  if v_paired >= v_quota.devices_limit then
    raise exception 'device limit reached: your plan allows % paired device(s)', v_quota.devices_limit
      using errcode = 'PLAND',
            detail = json_build_object('limit', v_quota.devices_limit, 'paired', v_paired)::text,
            hint = 'Revoke a device or upgrade your plan.';
  end if;
  return new;
end;
$$;
comment on function app_private.tg_devices__enforce_device_limit() is
  'Refuses pairing a device beyond the plan''s devices limit (PLAND), counted under the user''s plan lock.';

-- The turn quota reads (and if need be makes) the current row through current_quota.
create or replace function app_hidden.turn_quota()
  returns table (period_start timestamptz, period_end timestamptz, messages_limit int, tokens_limit bigint,
                 messages_used int, tokens_used bigint)
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_user uuid := app_public.current_user_id();
  v_row app_public.usage_quotas;
begin
  if v_user is null then
    raise exception 'no user' using errcode = '42501';
  end if;
  v_row := app_private.current_quota(v_user);
  if v_row.id is not null then
    period_start := v_row.period_start;
    period_end := v_row.period_end;
    messages_limit := v_row.messages_limit;
    tokens_limit := v_row.tokens_limit;
    messages_used := v_row.messages_used;
    tokens_used := v_row.tokens_used;
    return next;
  end if;
end;
$$;

-- The hourly rollover: subscriptions past their end expire (their users' current periods take the
-- default plan's limits through the subscriptions trigger), and every user gets a current period.
create or replace function app_hidden.quota_rollover() returns table (expired_subscriptions int, quota_periods int)
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_expired int;
  v_created int := 0;
  v_user uuid;
begin
  update app_public.subscriptions s set status = 'expired'
   where s.status in ('trialing', 'active') and s.current_period_end <= now();
  get diagnostics v_expired = row_count;
  for v_user in
    select u.id from app_public.users u
     where not exists (select 1 from app_public.usage_quotas q
                        where q.user_id = u.id and q.period_start <= now() and q.period_end > now())
  loop
    if (app_private.current_quota(v_user)).id is not null then
      v_created := v_created + 1;
    end if;
  end loop;
  return query select v_expired, v_created;
end;
$$;

revoke all on function app_private.lock_user_plan(uuid), app_private.effective_plan(uuid), app_private.current_quota(uuid),
  app_private.sync_quota_limits(uuid), app_private.tg_subscriptions__sync_quota(), app_private.tg_user_files__charge_storage(),
  app_private.tg_user_files__count_storage(), app_private.tg_usage_quotas__seed_storage_used(),
  app_private.tg_devices__enforce_device_limit(), app_hidden.turn_quota(), app_hidden.quota_rollover() from public;
grant execute on function app_hidden.turn_quota() to openclaw_user;
grant execute on function app_private.lock_user_plan(uuid) to openclaw_billing;
-- The table owner attaches the triggers.
grant execute on function app_private.tg_subscriptions__sync_quota(), app_private.tg_user_files__charge_storage(),
  app_private.tg_user_files__count_storage(), app_private.tg_usage_quotas__seed_storage_used(),
  app_private.tg_devices__enforce_device_limit() to openclaw_owner;
reset role;
revoke create on schema app_private, app_hidden from openclaw_maintenance;

drop trigger if exists _600_sync_quota on app_public.subscriptions;
create trigger _600_sync_quota after insert or update of plan_id, status, current_period_end on app_public.subscriptions
  for each row execute function app_private.tg_subscriptions__sync_quota();

drop trigger if exists _300_charge_storage on app_public.user_files;
create trigger _300_charge_storage before insert or update on app_public.user_files
  for each row execute function app_private.tg_user_files__charge_storage();
drop trigger if exists _600_count_storage_inserted on app_public.user_files;
create trigger _600_count_storage_inserted after insert on app_public.user_files
  for each row when (new.stored_bytes > 0) execute function app_private.tg_user_files__count_storage();
drop trigger if exists _600_count_storage_updated on app_public.user_files;
create trigger _600_count_storage_updated after update on app_public.user_files
  for each row when (new.stored_bytes <> old.stored_bytes) execute function app_private.tg_user_files__count_storage();
drop trigger if exists _600_count_storage_deleted on app_public.user_files;
create trigger _600_count_storage_deleted after delete on app_public.user_files
  for each row when (old.stored_bytes > 0) execute function app_private.tg_user_files__count_storage();

drop trigger if exists _200_seed_storage_used on app_public.usage_quotas;
create trigger _200_seed_storage_used before insert on app_public.usage_quotas
  for each row execute function app_private.tg_usage_quotas__seed_storage_used();

drop trigger if exists _300_device_limit on app_public.devices;
create trigger _300_device_limit before insert or update of status on app_public.devices
  for each row execute function app_private.tg_devices__enforce_device_limit();

------------------------------------------------------------------------------------------------
-- Billing, replaced as its owner, the billing role.
grant create on schema app_public, app_hidden, app_private to openclaw_billing;
set local role openclaw_billing;

-- The user's active subscription when it costs more per month than the given plan (else null).
create or replace function app_private.dearer_active_subscription(user_id uuid, plan_id uuid) returns app_public.subscriptions
  language sql stable set search_path = pg_catalog, pg_temp as $$
  select s.* from app_public.subscriptions s
    join app_public.plans cp on cp.id = s.plan_id
    join app_public.plans np on np.id = dearer_active_subscription.plan_id
   where s.user_id = dearer_active_subscription.user_id and s.status = 'active' and s.current_period_end > now()
     and np.price_cents::numeric / case np.billing_interval when 'year' then 12 else 1 end
       < cp.price_cents::numeric / case cp.billing_interval when 'year' then 12 else 1 end
   order by s.current_period_end desc limit 1
$$;
comment on function app_private.dearer_active_subscription(uuid, uuid) is
  'The user''s active subscription if it costs more per month than the given plan: buying that plan would be a downgrade.';

create or replace function app_public.create_order(plan_id uuid, coupon_code text default null) returns app_public.orders
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_me uuid := app_public.current_user_id();
  v_plan app_public.plans;
  v_coupon app_public.coupons;
  v_dearer app_public.subscriptions;
  v_amount int;
  v_order app_public.orders;
begin
  if v_me is null then
    raise exception 'sign in to order' using errcode = '42501';
  end if;
  select p.* into v_plan from app_public.plans p where p.id = create_order.plan_id and p.is_active;
  if v_plan.id is null then
    raise exception 'no such plan' using errcode = 'P0002';
  end if;
  v_dearer := app_private.dearer_active_subscription(v_me, v_plan.id);
  if v_dearer.id is not null then
    raise exception 'your current plan costs more and runs until %; a cheaper plan can be ordered once it ends',
        to_char(v_dearer.current_period_end at time zone 'UTC', 'YYYY-MM-DD')
      using errcode = 'DOWNG',
            detail = json_build_object('currentPlanId', v_dearer.plan_id, 'currentPeriodEnd', v_dearer.current_period_end)::text;
  end if;
  v_amount := v_plan.price_cents;
  if nullif(trim(coupon_code), '') is not null then
    select c.* into v_coupon from app_public.coupons c where c.code = upper(trim(coupon_code)) for update;
    if v_coupon.id is null or v_coupon.valid_from > now() or (v_coupon.valid_until is not null and v_coupon.valid_until <= now())
       or (v_coupon.max_redemptions is not null and v_coupon.redeemed_count >= v_coupon.max_redemptions)
       or (v_coupon.plan_id is not null and v_coupon.plan_id <> v_plan.id) then
      raise exception 'the coupon is not valid for this plan' using errcode = 'COUPN';
    end if;
    v_amount := greatest(0, case when v_coupon.percent_off is not null
      then v_amount - (v_amount * v_coupon.percent_off / 100) else v_amount - v_coupon.amount_off_cents end);
  end if;
  insert into app_public.orders (user_id, plan_id, coupon_id, amount_cents, currency)
    values (v_me, v_plan.id, v_coupon.id, v_amount, v_plan.currency) returning * into v_order;
  return v_order;
end;
$$;

-- A provider confirmed payment: checks amount and currency, refuses replays, then either applies
-- the order (marks it paid, counts its coupon, activates or extends the subscription; the quota
-- period follows by trigger) or, when its coupon ran out or it would replace a dearer plan,
-- cancels it with the reason and records the refused payment for a refund (see the top of this
-- migration). Idempotent per (provider, event id).
create or replace function app_hidden.billing_confirm_payment(provider text, event_id text, order_id uuid, amount_cents int, currency text)
  returns app_public.orders
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_order app_public.orders;
  v_plan app_public.plans;
  v_coupon app_public.coupons;
  v_current app_public.subscriptions;
  v_interval interval;
  v_refusal text;
begin
  select o.* into v_order from app_public.orders o where o.id = billing_confirm_payment.order_id for update;
  if v_order.id is null then
    raise exception 'no such order' using errcode = 'P0002';
  end if;
  begin
    insert into app_private.payment_events (provider, event_id, order_id) values (provider, event_id, v_order.id);
  exception when unique_violation then
    raise exception 'payment event % was already applied', event_id using errcode = 'REPLY';
  end;
  if v_order.status <> 'pending' then
    raise exception 'order is %, not pending', v_order.status using errcode = 'ORDST';
  end if;
  if v_order.amount_cents <> billing_confirm_payment.amount_cents or v_order.currency <> upper(billing_confirm_payment.currency) then
    raise exception 'payment amount does not match the order' using errcode = 'ORDAM';
  end if;
  -- Lock order: the order row, then the user's plan lock, then the coupon row.
  perform app_private.lock_user_plan(v_order.user_id);
  select p.* into v_plan from app_public.plans p where p.id = v_order.plan_id;
  v_interval := case v_plan.billing_interval when 'year' then interval '1 year' else interval '1 month' end;

  if (app_private.dearer_active_subscription(v_order.user_id, v_plan.id)).id is not null then
    v_refusal := 'downgrade_refused';
  elsif v_order.coupon_id is not null then
    select c.* into v_coupon from app_public.coupons c where c.id = v_order.coupon_id for update;
    if v_coupon.max_redemptions is not null and v_coupon.redeemed_count >= v_coupon.max_redemptions then
      v_refusal := 'coupon_exhausted';
    else
      update app_public.coupons c set redeemed_count = c.redeemed_count + 1 where c.id = v_coupon.id;
    end if;
  end if;

  if v_refusal is not null then
    update app_public.orders o set status = 'canceled', cancel_reason = v_refusal where o.id = v_order.id returning * into v_order;
    perform app_private.audit('billing.payment_refused', 'app_public.orders', v_order.id::text,
      jsonb_build_object('reason', v_refusal, 'provider', provider, 'event_id', event_id, 'user_id', v_order.user_id,
                         'amount_cents', billing_confirm_payment.amount_cents, 'currency', upper(billing_confirm_payment.currency),
                         'coupon_id', v_order.coupon_id, 'refund_due', true));
    return v_order;
  end if;

  update app_public.orders o set status = 'paid', paid_at = now() where o.id = v_order.id returning * into v_order;
  select s.* into v_current from app_public.subscriptions s
   where s.user_id = v_order.user_id and s.status = 'active' and s.current_period_end > now()
   order by s.current_period_end desc limit 1;
  if v_current.plan_id = v_plan.id then
    update app_public.subscriptions s set current_period_end = s.current_period_end + v_interval where s.id = v_current.id;
  else
    update app_public.subscriptions s set status = 'canceled', canceled_at = now()
     where s.user_id = v_order.user_id and s.status in ('trialing', 'active');
    insert into app_public.subscriptions (user_id, plan_id, status, current_period_start, current_period_end)
      values (v_order.user_id, v_plan.id, 'active', now(), now() + v_interval);
  end if;
  perform app_private.audit('billing.payment_confirmed', 'app_public.orders', v_order.id::text,
    jsonb_build_object('provider', provider, 'event_id', event_id));
  return v_order;
end;
$$;

revoke all on function app_private.dearer_active_subscription(uuid, uuid) from public;
reset role;
revoke create on schema app_public, app_hidden, app_private from openclaw_billing;
