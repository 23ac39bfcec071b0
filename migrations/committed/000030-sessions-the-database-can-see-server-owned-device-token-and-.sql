--! Previous: sha1:59576ad3a335d323326c7625ae2b538a4899c52c
--! Hash: sha1:b0b1f50e71fa459e957e18600a1533c334598053
--! Message: Sessions the database can see; server-owned device, token and pairing state; system settings checked per key

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
