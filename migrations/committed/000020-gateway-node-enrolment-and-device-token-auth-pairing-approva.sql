--! Previous: sha1:862c136c313a3b69a03f31f9ba19f905a06a7897
--! Hash: sha1:99b4585df402aae48fb7a00e9ead869117af0a38
--! Message: Gateway node enrolment and device-token auth, pairing approval, per-user node command allowlist

-- Gateway identity for nodes. The gateway calls these before it knows who is connecting (as the
-- anonymous role); they resolve a presented node token, pairing code or device token to its
-- owner, and are owned by the NOLOGIN auth role whose policies below allow exactly this work.

create type app_hidden.node_auth_result as (
  -- 'paired' | 'pairing_required' | 'token_invalid' | 'device_token_invalid' | 'device_key_conflict' | 'user_suspended'
  outcome text,
  user_id uuid,
  device_id uuid,
  -- the node token or pairing code used (revoking it closes the connections it opened)
  credential_id uuid,
  -- a fresh device token, returned once in hello-ok; only its hash is stored
  device_token text,
  pairing_request_id uuid
);

create function app_hidden.gateway_node_enroll(
  token text, device_key_id text, public_key text, name text, platform text, device_family text,
  client_id text, client_version text, caps text[], commands text[], remote_address inet
) returns app_hidden.node_auth_result
  language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
#variable_conflict use_column
declare
  v_hash bytea := digest(token, 'sha256');
  v_token app_public.node_tokens;
  v_code app_public.device_pairing_codes;
  v_user_id uuid;
  v_credential uuid;
  v_auto boolean;
  v_device app_public.devices;
  v_secret text;
  v_request uuid;
begin
  select t.* into v_token from app_private.node_token_secrets s
    join app_public.node_tokens t on t.id = s.node_token_id where s.token_hash = v_hash;
  if found then
    if v_token.revoked_at is not null or (v_token.expires_at is not null and v_token.expires_at <= now()) then
      return ('token_invalid', null, null, null, null, null)::app_hidden.node_auth_result;
    end if;
    v_user_id := v_token.user_id;
    v_credential := v_token.id;
    v_auto := v_token.auto_approve;
  else
    select c.* into v_code from app_private.device_pairing_code_secrets s
      join app_public.device_pairing_codes c on c.id = s.pairing_code_id where s.code_hash = v_hash
      for update of c;
    if not found then
      return ('token_invalid', null, null, null, null, null)::app_hidden.node_auth_result;
    end if;
    v_user_id := v_code.user_id;
    v_credential := v_code.id;
    v_auto := true;
  end if;

  if not exists (select 1 from app_public.users u where u.id = v_user_id and u.status = 'active') then
    return ('user_suspended', v_user_id, null, v_credential, null, null)::app_hidden.node_auth_result;
  end if;

  select d.* into v_device from app_public.devices d
    where d.user_id = v_user_id and d.device_key_id = gateway_node_enroll.device_key_id for update;
  if found and v_device.public_key <> gateway_node_enroll.public_key then
    return ('device_key_conflict', v_user_id, v_device.id, v_credential, null, null)::app_hidden.node_auth_result;
  end if;

  -- A pairing code pairs exactly one device: unused and unexpired, or already used by this one.
  if v_code.id is not null then
    if v_code.used_at is not null and (v_device.id is null or v_code.device_id is distinct from v_device.id) then
      return ('token_invalid', null, null, null, null, null)::app_hidden.node_auth_result;
    end if;
    if v_code.used_at is null and v_code.expires_at <= now() then
      return ('token_invalid', null, null, null, null, null)::app_hidden.node_auth_result;
    end if;
  end if;

  -- A revoked device comes back only through an explicit approval, never by auto-approval.
  if v_device.status is distinct from 'paired' and (not v_auto or v_device.status = 'revoked') then
    update app_public.device_pairing_requests r set status = 'expired'
      where r.user_id = v_user_id and r.status = 'pending' and r.expires_at <= now();
    insert into app_public.device_pairing_requests as r
      (user_id, node_token_id, device_key_id, public_key, name, platform, caps, commands, remote_address)
      values (v_user_id, v_token.id, gateway_node_enroll.device_key_id, gateway_node_enroll.public_key,
              gateway_node_enroll.name, gateway_node_enroll.platform, gateway_node_enroll.caps,
              gateway_node_enroll.commands, gateway_node_enroll.remote_address)
      on conflict (user_id, device_key_id) where status = 'pending' do update
        set name = excluded.name, platform = excluded.platform, caps = excluded.caps, commands = excluded.commands,
            remote_address = excluded.remote_address, node_token_id = excluded.node_token_id,
            expires_at = now() + interval '10 minutes'
      returning r.id into v_request;
    return ('pairing_required', v_user_id, v_device.id, v_credential, null, v_request)::app_hidden.node_auth_result;
  end if;

  if v_device.id is null or v_device.status <> 'paired' then
    insert into app_public.devices as d (user_id, device_key_id, public_key, name, platform, device_family,
        client_id, client_version, caps, commands, status, paired_at, last_seen_at)
      values (v_user_id, gateway_node_enroll.device_key_id, gateway_node_enroll.public_key, gateway_node_enroll.name,
              gateway_node_enroll.platform, gateway_node_enroll.device_family, gateway_node_enroll.client_id,
              gateway_node_enroll.client_version, gateway_node_enroll.caps, gateway_node_enroll.commands,
              'paired', now(), now())
      on conflict (user_id, device_key_id) do update
        set status = 'paired', paired_at = now(), revoked_at = null, last_seen_at = now()
      returning d.* into v_device;
  end if;

  if v_code.id is not null and v_code.used_at is null then
    update app_public.device_pairing_codes c set used_at = now(), device_id = v_device.id where c.id = v_code.id;
  end if;
  if v_token.id is not null then
    update app_public.node_tokens t set last_used_at = now() where t.id = v_token.id;
  end if;

  v_secret := 'oc_dev_' || encode(gen_random_bytes(32), 'hex');
  insert into app_private.device_token_secrets (device_id, user_id, token_hash)
    values (v_device.id, v_user_id, digest(v_secret, 'sha256'))
    on conflict (device_id) do update set token_hash = excluded.token_hash, issued_at = now();
  return ('paired', v_user_id, v_device.id, v_credential, v_secret, null)::app_hidden.node_auth_result;
end;
$$;
comment on function app_hidden.gateway_node_enroll(text, text, text, text, text, text, text, text, text[], text[], inet) is
  'Resolves a node token or pairing code: binds the device (auto-approve or pairing code), or opens a pairing request.';

create function app_hidden.gateway_device_auth(device_token text, device_key_id text) returns app_hidden.node_auth_result
  language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
declare
  v_device app_public.devices;
begin
  select d.* into v_device from app_private.device_token_secrets s
    join app_public.devices d on d.id = s.device_id and d.user_id = s.user_id
    where s.token_hash = digest(device_token, 'sha256');
  if not found or v_device.device_key_id <> gateway_device_auth.device_key_id or v_device.status <> 'paired' then
    return ('device_token_invalid', null, null, null, null, null)::app_hidden.node_auth_result;
  end if;
  if not exists (select 1 from app_public.users u where u.id = v_device.user_id and u.status = 'active') then
    return ('user_suspended', v_device.user_id, v_device.id, null, null, null)::app_hidden.node_auth_result;
  end if;
  return ('paired', v_device.user_id, v_device.id, null, null, null)::app_hidden.node_auth_result;
end;
$$;
comment on function app_hidden.gateway_device_auth(text, text) is
  'Resolves a device token presented with its device id to the paired device and its owner.';

-- What the auth role may do for these two functions, and nothing more.
create policy auth_enroll on app_public.devices for insert to openclaw_auth with check (status = 'paired');
create policy auth_pair on app_public.devices for update to openclaw_auth using (true) with check (status = 'paired');
grant insert (user_id, device_key_id, public_key, name, platform, device_family, client_id, client_version, caps, commands,
  status, paired_at, last_seen_at), update (status, paired_at, revoked_at, last_seen_at) on app_public.devices to openclaw_auth;
create policy auth_lookup on app_public.device_pairing_requests for select to openclaw_auth using (true);
create policy auth_request on app_public.device_pairing_requests for insert to openclaw_auth with check (status = 'pending');
create policy auth_refresh on app_public.device_pairing_requests for update to openclaw_auth using (status = 'pending')
  with check (status in ('pending', 'expired'));
grant select on app_public.device_pairing_requests to openclaw_auth;
grant insert (user_id, node_token_id, device_key_id, public_key, name, platform, caps, commands, remote_address),
  update (name, platform, caps, commands, remote_address, node_token_id, expires_at, status)
  on app_public.device_pairing_requests to openclaw_auth;
create policy auth_touch on app_public.node_tokens for update to openclaw_auth using (true) with check (true);
grant update (last_used_at) on app_public.node_tokens to openclaw_auth;

revoke all on function app_hidden.gateway_node_enroll(text, text, text, text, text, text, text, text, text[], text[], inet),
  app_hidden.gateway_device_auth(text, text) from public;
grant execute on function app_hidden.gateway_node_enroll(text, text, text, text, text, text, text, text, text[], text[], inet),
  app_hidden.gateway_device_auth(text, text) to openclaw_anonymous;
grant create on schema app_hidden to openclaw_auth;
alter function app_hidden.gateway_node_enroll(text, text, text, text, text, text, text, text, text[], text[], inet) owner to openclaw_auth;
alter function app_hidden.gateway_device_auth(text, text) owner to openclaw_auth;
revoke create on schema app_hidden from openclaw_auth;

------------------------------------------------------------------------------------------------
-- Pairing decisions, made by the signed-in user (GraphQL or an operator method on the gateway).
-- SECURITY INVOKER: RLS keeps them to the user's own requests and devices.
create function app_public.approve_device_pairing(request_id uuid) returns app_public.devices
  language plpgsql volatile strict set search_path = pg_catalog, public, pg_temp as $$
#variable_conflict use_column
declare
  v_request app_public.device_pairing_requests;
  v_device app_public.devices;
begin
  select r.* into v_request from app_public.device_pairing_requests r where r.id = request_id for update;
  if not found then
    raise exception 'pairing request not found' using errcode = 'P0002';
  end if;
  if v_request.status <> 'pending' or v_request.expires_at <= now() then
    raise exception 'the pairing request is no longer pending' using errcode = 'PAIRX';
  end if;
  update app_public.device_pairing_requests r set status = 'approved', decided_at = now() where r.id = v_request.id;
  insert into app_public.devices as d (device_key_id, public_key, name, platform, caps, commands, status, paired_at)
    values (v_request.device_key_id, v_request.public_key, v_request.name, v_request.platform, v_request.caps,
            v_request.commands, 'paired', now())
    on conflict (user_id, device_key_id) do update
      set status = 'paired', paired_at = now(), revoked_at = null, name = excluded.name
    returning d.* into v_device;
  return v_device;
end;
$$;
comment on function app_public.approve_device_pairing(uuid) is
  'Approves a pending pairing request: the device joins your roster and its node connects on its next retry.';

create function app_public.reject_device_pairing(request_id uuid) returns app_public.device_pairing_requests
  language plpgsql volatile strict set search_path = pg_catalog, public, pg_temp as $$
declare
  v_request app_public.device_pairing_requests;
begin
  update app_public.device_pairing_requests r set status = 'rejected', decided_at = now()
    where r.id = request_id and r.status = 'pending' returning r.* into v_request;
  if not found then
    if exists (select 1 from app_public.device_pairing_requests r where r.id = request_id) then
      raise exception 'the pairing request is no longer pending' using errcode = 'PAIRX';
    end if;
    raise exception 'pairing request not found' using errcode = 'P0002';
  end if;
  return v_request;
end;
$$;
comment on function app_public.reject_device_pairing(uuid) is 'Rejects a pending pairing request.';
revoke all on function app_public.approve_device_pairing(uuid), app_public.reject_device_pairing(uuid) from public;
grant execute on function app_public.approve_device_pairing(uuid), app_public.reject_device_pairing(uuid) to openclaw_user;

------------------------------------------------------------------------------------------------
-- The gateway's second gate on node commands: the user's own allowlist (null: everything the
-- node advertises) minus the admin's deny list in system config.
alter table app_public.user_assistant_configs add column allowed_node_commands text[]
  check (allowed_node_commands is null or cardinality(allowed_node_commands) <= 500);
comment on column app_public.user_assistant_configs.allowed_node_commands is
  'Node commands the assistant and your apps may invoke; null means every command your nodes advertise.';
grant insert (allowed_node_commands), update (allowed_node_commands) on app_public.user_assistant_configs to openclaw_user;

-- Seed data under forced RLS: the owner has no policy of its own, so lift FORCE for the insert.
alter table app_public.system_configs no force row level security;
insert into app_public.system_configs (key, value, description, is_public)
  values ('gateway.denied_commands', '[]'::jsonb, 'Node commands no user may invoke through the gateway (JSON array of names).', true)
  on conflict (key) do nothing;
alter table app_public.system_configs force row level security;
