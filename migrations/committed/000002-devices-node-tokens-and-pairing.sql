--! Previous: sha1:5cab72659699104ab6fcad6f6f52e4ec4f7cc230
--! Hash: sha1:0bfb12fc15ec9fcbed28ab4d23c3e0c6a5ac417d
--! Message: devices, node tokens and pairing

-- A device is one OpenClaw node host bound to one user. The same device key under two users
-- is two rows, each visible only to its owner (unique per user, not globally).
create type app_public.device_status as enum ('pending', 'paired', 'revoked');

create table app_public.devices (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  device_key_id text not null check (device_key_id ~ '^[A-Za-z0-9_-]{16,128}$'),
  public_key text not null check (char_length(public_key) between 32 and 200),
  name text not null check (char_length(name) between 1 and 100),
  platform text check (platform is null or char_length(platform) <= 64),
  device_family text check (device_family is null or char_length(device_family) <= 64),
  client_id text check (client_id is null or char_length(client_id) <= 100),
  client_version text check (client_version is null or char_length(client_version) <= 64),
  caps text[] not null default '{}' check (cardinality(caps) <= 100),
  commands text[] not null default '{}' check (cardinality(commands) <= 500),
  status app_public.device_status not null default 'pending',
  paired_at timestamptz,
  revoked_at timestamptz,
  last_seen_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id, device_key_id),
  unique (id, user_id)
);
comment on table app_public.devices is 'A user''s device nodes (OpenClaw node hosts). Presence lives in Redis; this is the durable roster.';
create index devices_user_id_idx on app_public.devices (user_id);
create trigger _100_timestamps before update on app_public.devices
  for each row execute function app_private.tg__set_updated_at();
alter table app_public.devices enable row level security;
alter table app_public.devices force row level security;
create policy select_own on app_public.devices for select to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy insert_own on app_public.devices for insert to openclaw_user with check (user_id = (select app_public.current_user_id()));
create policy update_own on app_public.devices for update to openclaw_user
  using (user_id = (select app_public.current_user_id())) with check (user_id = (select app_public.current_user_id()));
create policy delete_own on app_public.devices for delete to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy select_all on app_public.devices for select to openclaw_admin using (true);
create policy update_all on app_public.devices for update to openclaw_admin using (true) with check (true);
grant select, delete on app_public.devices to openclaw_user;
grant insert (device_key_id, public_key, name, platform, device_family, client_id, client_version, caps, commands, status, paired_at, last_seen_at)
  on app_public.devices to openclaw_user;
grant update (name, platform, device_family, client_id, client_version, caps, commands, status, paired_at, revoked_at, last_seen_at)
  on app_public.devices to openclaw_user;
grant update (status, revoked_at) on app_public.devices to openclaw_admin;

-- Per-user node enrollment tokens: shown once, stored hashed (app_private), revocable.
create table app_public.node_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  label text not null check (char_length(label) between 1 and 100),
  auto_approve boolean not null default false,
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now(),
  unique (id, user_id)
);
comment on table app_public.node_tokens is 'Tokens a user gives their node hosts to enroll; a new device under one binds or asks for approval.';
create index node_tokens_user_id_idx on app_public.node_tokens (user_id);
alter table app_public.node_tokens enable row level security;
alter table app_public.node_tokens force row level security;
create policy select_own on app_public.node_tokens for select to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy insert_own on app_public.node_tokens for insert to openclaw_user with check (user_id = (select app_public.current_user_id()));
create policy update_own on app_public.node_tokens for update to openclaw_user
  using (user_id = (select app_public.current_user_id())) with check (user_id = (select app_public.current_user_id()));
create policy delete_own on app_public.node_tokens for delete to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy select_all on app_public.node_tokens for select to openclaw_admin using (true);
grant select, delete on app_public.node_tokens to openclaw_user;
grant insert (label, auto_approve, expires_at) on app_public.node_tokens to openclaw_user;
grant update (label, auto_approve, last_used_at, revoked_at) on app_public.node_tokens to openclaw_user;

-- A device identity that showed up under a node token without auto-approve waits here.
create type app_public.pairing_status as enum ('pending', 'approved', 'rejected', 'expired');

create table app_public.device_pairing_requests (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  node_token_id uuid,
  device_key_id text not null check (device_key_id ~ '^[A-Za-z0-9_-]{16,128}$'),
  public_key text not null check (char_length(public_key) between 32 and 200),
  name text not null check (char_length(name) between 1 and 100),
  platform text check (platform is null or char_length(platform) <= 64),
  caps text[] not null default '{}' check (cardinality(caps) <= 100),
  commands text[] not null default '{}' check (cardinality(commands) <= 500),
  remote_address inet,
  status app_public.pairing_status not null default 'pending',
  created_at timestamptz not null default now(),
  expires_at timestamptz not null default now() + interval '10 minutes',
  decided_at timestamptz,
  foreign key (node_token_id, user_id) references app_public.node_tokens (id, user_id) on delete cascade
);
create index device_pairing_requests_user_id_idx on app_public.device_pairing_requests (user_id, status);
create index device_pairing_requests_node_token_idx on app_public.device_pairing_requests (node_token_id, user_id);
create unique index device_pairing_requests_one_pending on app_public.device_pairing_requests (user_id, device_key_id)
  where status = 'pending';
alter table app_public.device_pairing_requests enable row level security;
alter table app_public.device_pairing_requests force row level security;
create policy select_own on app_public.device_pairing_requests for select to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy insert_own on app_public.device_pairing_requests for insert to openclaw_user with check (user_id = (select app_public.current_user_id()));
create policy update_own on app_public.device_pairing_requests for update to openclaw_user
  using (user_id = (select app_public.current_user_id())) with check (user_id = (select app_public.current_user_id()));
create policy delete_own on app_public.device_pairing_requests for delete to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy select_all on app_public.device_pairing_requests for select to openclaw_admin using (true);
grant select, delete on app_public.device_pairing_requests to openclaw_user;
grant insert (node_token_id, device_key_id, public_key, name, platform, caps, commands, remote_address)
  on app_public.device_pairing_requests to openclaw_user;
grant update (status, decided_at) on app_public.device_pairing_requests to openclaw_user;

-- Short-lived single-use pairing codes (the code itself is only stored hashed, in app_private).
create table app_public.device_pairing_codes (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  expires_at timestamptz not null default now() + interval '10 minutes'
    check (expires_at <= created_at + interval '1 hour'),
  used_at timestamptz,
  device_id uuid,
  created_at timestamptz not null default now(),
  foreign key (device_id, user_id) references app_public.devices (id, user_id) on delete set null (device_id)
);
create index device_pairing_codes_user_id_idx on app_public.device_pairing_codes (user_id);
create index device_pairing_codes_device_idx on app_public.device_pairing_codes (device_id, user_id);
create index device_pairing_codes_expires_at_idx on app_public.device_pairing_codes (expires_at);
alter table app_public.device_pairing_codes enable row level security;
alter table app_public.device_pairing_codes force row level security;
create policy select_own on app_public.device_pairing_codes for select to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy insert_own on app_public.device_pairing_codes for insert to openclaw_user with check (user_id = (select app_public.current_user_id()));
create policy update_own on app_public.device_pairing_codes for update to openclaw_user
  using (user_id = (select app_public.current_user_id())) with check (user_id = (select app_public.current_user_id()));
create policy delete_own on app_public.device_pairing_codes for delete to openclaw_user using (user_id = (select app_public.current_user_id()));
grant select, delete on app_public.device_pairing_codes to openclaw_user;
grant insert (expires_at) on app_public.device_pairing_codes to openclaw_user;
grant update (used_at, device_id) on app_public.device_pairing_codes to openclaw_user;

-- Hashes of node tokens, pairing codes and per-device tokens: reachable only by the auth role,
-- whose SECURITY DEFINER functions (gateway issue) resolve a presented token to its owner.
create table app_private.node_token_secrets (
  node_token_id uuid primary key,
  user_id uuid not null,
  token_hash bytea not null unique check (octet_length(token_hash) = 32),
  foreign key (node_token_id, user_id) references app_public.node_tokens (id, user_id) on delete cascade
);
create index node_token_secrets_user_idx on app_private.node_token_secrets (user_id);
create table app_private.device_pairing_code_secrets (
  pairing_code_id uuid primary key references app_public.device_pairing_codes on delete cascade,
  code_hash bytea not null unique check (octet_length(code_hash) = 32)
);
create table app_private.device_token_secrets (
  device_id uuid primary key,
  user_id uuid not null,
  token_hash bytea not null unique check (octet_length(token_hash) = 32),
  issued_at timestamptz not null default now(),
  foreign key (device_id, user_id) references app_public.devices (id, user_id) on delete cascade
);
create index device_token_secrets_user_idx on app_private.device_token_secrets (user_id);
alter table app_private.node_token_secrets enable row level security;
alter table app_private.node_token_secrets force row level security;
alter table app_private.device_pairing_code_secrets enable row level security;
alter table app_private.device_pairing_code_secrets force row level security;
alter table app_private.device_token_secrets enable row level security;
alter table app_private.device_token_secrets force row level security;
create policy auth_all on app_private.node_token_secrets for all to openclaw_auth using (true) with check (true);
create policy auth_all on app_private.device_pairing_code_secrets for all to openclaw_auth using (true) with check (true);
create policy auth_all on app_private.device_token_secrets for all to openclaw_auth using (true) with check (true);
grant select, insert, update, delete on app_private.node_token_secrets, app_private.device_pairing_code_secrets,
  app_private.device_token_secrets to openclaw_auth;
-- Resolving a presented token to its device or node token crosses tenants by nature.
create policy auth_lookup on app_public.devices for select to openclaw_auth using (true);
create policy auth_lookup on app_public.node_tokens for select to openclaw_auth using (true);
create policy auth_lookup on app_public.device_pairing_codes for select to openclaw_auth using (true);
create policy auth_redeem on app_public.device_pairing_codes for update to openclaw_auth using (true) with check (true);
grant select on app_public.devices, app_public.node_tokens, app_public.device_pairing_codes to openclaw_auth;
grant update (used_at, device_id) on app_public.device_pairing_codes to openclaw_auth;
