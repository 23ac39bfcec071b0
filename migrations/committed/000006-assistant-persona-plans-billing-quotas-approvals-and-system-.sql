--! Previous: sha1:c1b0947d9c6abcfeec76ef7754b394949fe3adc6
--! Hash: sha1:9d3f120a75c46f92792726a528713351869102ae
--! Message: assistant persona, plans, billing, quotas, approvals and system configuration

-- Global: plans. Everyone may read the active ones; admins manage them.
create table app_public.plans (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name text not null check (char_length(name) between 1 and 100),
  description text not null default '' check (char_length(description) <= 2000),
  price_cents int not null default 0 check (price_cents >= 0),
  currency text not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
  billing_interval text not null default 'month' check (billing_interval in ('month', 'year')),
  max_devices int not null check (max_devices >= 0),
  monthly_messages int not null check (monthly_messages >= 0),
  monthly_tokens bigint not null check (monthly_tokens >= 0),
  storage_bytes bigint not null check (storage_bytes >= 0),
  allowed_models text[] not null default '{}' check (cardinality(allowed_models) <= 100),
  is_active boolean not null default true,
  is_default boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index plans_one_default on app_public.plans (is_default) where is_default;
create index plans_is_active_idx on app_public.plans (is_active);
create trigger _100_timestamps before update on app_public.plans
  for each row execute function app_private.tg__set_updated_at();
alter table app_public.plans enable row level security;
alter table app_public.plans force row level security;
create policy select_active on app_public.plans for select to openclaw_anonymous, openclaw_user using (is_active);
create policy select_all on app_public.plans for select to openclaw_admin using (true);
create policy insert_admin on app_public.plans for insert to openclaw_admin with check (true);
create policy update_admin on app_public.plans for update to openclaw_admin using (true) with check (true);
create policy delete_admin on app_public.plans for delete to openclaw_admin using (true);
grant select on app_public.plans to openclaw_anonymous, openclaw_user;
grant insert (slug, name, description, price_cents, currency, billing_interval, max_devices, monthly_messages, monthly_tokens,
              storage_bytes, allowed_models, is_active, is_default),
      update (slug, name, description, price_cents, currency, billing_interval, max_devices, monthly_messages, monthly_tokens,
              storage_bytes, allowed_models, is_active, is_default),
      delete on app_public.plans to openclaw_admin;
create trigger _900_audit after insert or update or delete on app_public.plans
  for each row execute function app_private.tg__audit_change();

-- The assistant's persona, one row per user.
create table app_public.user_assistant_configs (
  user_id uuid primary key default app_public.current_user_id() references app_public.users on delete cascade,
  assistant_name text not null default 'Claw' check (char_length(assistant_name) between 1 and 50),
  tone text not null default 'friendly' check (char_length(tone) between 1 and 200),
  language text not null default 'auto' check (language ~ '^(auto|[a-z]{2,3}(-[A-Za-z0-9]{2,8})*)$'),
  instructions text not null default '' check (char_length(instructions) <= 4000),
  provider text check (provider is null or provider in ('local', 'openai', 'anthropic')),
  model text check (model is null or char_length(model) <= 200),
  updated_at timestamptz not null default now()
);
comment on table app_public.user_assistant_configs is 'A user''s assistant persona: name, tone, language, standing instructions and model.';
create trigger _100_timestamps before update on app_public.user_assistant_configs
  for each row execute function app_private.tg__set_updated_at();
alter table app_public.user_assistant_configs enable row level security;
alter table app_public.user_assistant_configs force row level security;
create policy select_own on app_public.user_assistant_configs for select to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy insert_own on app_public.user_assistant_configs for insert to openclaw_user with check (user_id = (select app_public.current_user_id()));
create policy update_own on app_public.user_assistant_configs for update to openclaw_user
  using (user_id = (select app_public.current_user_id())) with check (user_id = (select app_public.current_user_id()));
create policy delete_own on app_public.user_assistant_configs for delete to openclaw_user using (user_id = (select app_public.current_user_id()));
grant select, delete on app_public.user_assistant_configs to openclaw_user;
grant insert (assistant_name, tone, language, instructions, provider, model),
      update (assistant_name, tone, language, instructions, provider, model) on app_public.user_assistant_configs to openclaw_user;

-- Global: coupons. Only admins list them; users redeem by code through a function (API issue).
create table app_public.coupons (
  id uuid primary key default gen_random_uuid(),
  code text not null unique check (code ~ '^[A-Z0-9-]{3,40}$'),
  percent_off int check (percent_off is null or percent_off between 1 and 100),
  amount_off_cents int check (amount_off_cents is null or amount_off_cents > 0),
  plan_id uuid references app_public.plans on delete cascade,
  max_redemptions int check (max_redemptions is null or max_redemptions > 0),
  redeemed_count int not null default 0 check (redeemed_count >= 0),
  valid_from timestamptz not null default now(),
  valid_until timestamptz,
  created_at timestamptz not null default now(),
  check ((percent_off is null) <> (amount_off_cents is null)),
  check (valid_until is null or valid_until > valid_from)
);
create index coupons_plan_id_idx on app_public.coupons (plan_id);
alter table app_public.coupons enable row level security;
alter table app_public.coupons force row level security;
create policy select_admin on app_public.coupons for select to openclaw_admin using (true);
create policy insert_admin on app_public.coupons for insert to openclaw_admin with check (true);
create policy update_admin on app_public.coupons for update to openclaw_admin using (true) with check (true);
create policy delete_admin on app_public.coupons for delete to openclaw_admin using (true);
grant select on app_public.coupons to openclaw_admin;
grant insert (code, percent_off, amount_off_cents, plan_id, max_redemptions, valid_from, valid_until),
      update (percent_off, amount_off_cents, plan_id, max_redemptions, valid_from, valid_until),
      delete on app_public.coupons to openclaw_admin;
create trigger _900_audit after insert or update or delete on app_public.coupons
  for each row execute function app_private.tg__audit_change();

create type app_public.subscription_status as enum ('trialing', 'active', 'canceled', 'expired');

create table app_public.subscriptions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_public.users on delete cascade,
  plan_id uuid not null references app_public.plans on delete restrict,
  status app_public.subscription_status not null default 'active',
  current_period_start timestamptz not null default now(),
  current_period_end timestamptz not null,
  canceled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (current_period_end > current_period_start)
);
comment on table app_public.subscriptions is 'Which plan a user is on. Granted, extended and canceled by admins or by paid orders.';
create index subscriptions_user_id_idx on app_public.subscriptions (user_id, current_period_end desc);
create index subscriptions_plan_id_idx on app_public.subscriptions (plan_id);
create unique index subscriptions_one_current on app_public.subscriptions (user_id) where status in ('trialing', 'active');
create trigger _100_timestamps before update on app_public.subscriptions
  for each row execute function app_private.tg__set_updated_at();
alter table app_public.subscriptions enable row level security;
alter table app_public.subscriptions force row level security;
create policy select_own on app_public.subscriptions for select to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy select_all on app_public.subscriptions for select to openclaw_admin using (true);
create policy insert_admin on app_public.subscriptions for insert to openclaw_admin with check (true);
create policy update_admin on app_public.subscriptions for update to openclaw_admin using (true) with check (true);
grant select on app_public.subscriptions to openclaw_user;
grant insert (user_id, plan_id, status, current_period_start, current_period_end),
      update (plan_id, status, current_period_end, canceled_at) on app_public.subscriptions to openclaw_admin;
create trigger _900_audit after insert or update on app_public.subscriptions
  for each row execute function app_private.tg__audit_change();

create type app_public.order_status as enum ('pending', 'paid', 'canceled', 'refunded');

create table app_public.orders (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  plan_id uuid not null references app_public.plans on delete restrict,
  coupon_id uuid references app_public.coupons on delete set null,
  amount_cents int not null check (amount_cents >= 0),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  status app_public.order_status not null default 'pending',
  created_at timestamptz not null default now(),
  paid_at timestamptz,
  updated_at timestamptz not null default now(),
  check (status <> 'paid' or paid_at is not null)
);
create index orders_user_id_idx on app_public.orders (user_id, created_at desc);
create index orders_plan_id_idx on app_public.orders (plan_id);
create index orders_coupon_id_idx on app_public.orders (coupon_id);
create trigger _100_timestamps before update on app_public.orders
  for each row execute function app_private.tg__set_updated_at();
alter table app_public.orders enable row level security;
alter table app_public.orders force row level security;
create policy select_own on app_public.orders for select to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy select_all on app_public.orders for select to openclaw_admin using (true);
create policy update_admin on app_public.orders for update to openclaw_admin using (true) with check (true);
grant select on app_public.orders to openclaw_user;
grant update (status, paid_at) on app_public.orders to openclaw_admin;
create trigger _900_audit after update of status on app_public.orders
  for each row execute function app_private.tg__audit_change();

-- Usage: one quota row per user and period; events are the itemised ledger.
create table app_public.usage_quotas (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_public.users on delete cascade,
  period_start timestamptz not null,
  period_end timestamptz not null,
  messages_limit int not null check (messages_limit >= 0),
  tokens_limit bigint not null check (tokens_limit >= 0),
  storage_bytes_limit bigint not null check (storage_bytes_limit >= 0),
  devices_limit int not null check (devices_limit >= 0),
  messages_used int not null default 0 check (messages_used >= 0),
  tokens_used bigint not null default 0 check (tokens_used >= 0),
  storage_bytes_used bigint not null default 0 check (storage_bytes_used >= 0),
  updated_at timestamptz not null default now(),
  check (period_end > period_start),
  unique (user_id, period_start)
);
create trigger _100_timestamps before update on app_public.usage_quotas
  for each row execute function app_private.tg__set_updated_at();
alter table app_public.usage_quotas enable row level security;
alter table app_public.usage_quotas force row level security;
create policy select_own on app_public.usage_quotas for select to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy select_all on app_public.usage_quotas for select to openclaw_admin using (true);
create policy insert_admin on app_public.usage_quotas for insert to openclaw_admin with check (true);
create policy update_all on app_public.usage_quotas for update to openclaw_admin using (true) with check (true);
-- Users read their counters but cannot change them (a user must not be able to reset a quota).
grant select on app_public.usage_quotas to openclaw_user;
grant insert (user_id, period_start, period_end, messages_limit, tokens_limit, storage_bytes_limit, devices_limit),
      update (messages_limit, tokens_limit, storage_bytes_limit, devices_limit) on app_public.usage_quotas to openclaw_admin;

create type app_public.usage_kind as enum ('message', 'tokens', 'storage', 'device_invoke');

create table app_public.usage_events (
  id bigint generated always as identity primary key,
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  kind app_public.usage_kind not null,
  amount bigint not null,
  details jsonb not null default '{}' check (jsonb_typeof(details) = 'object' and pg_column_size(details) <= 4096),
  created_at timestamptz not null default now()
);
create index usage_events_user_id_idx on app_public.usage_events (user_id, created_at);
create index usage_events_created_at_idx on app_public.usage_events (created_at);
alter table app_public.usage_events enable row level security;
alter table app_public.usage_events force row level security;
create policy select_own on app_public.usage_events for select to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy insert_own on app_public.usage_events for insert to openclaw_user with check (user_id = (select app_public.current_user_id()));
create policy select_all on app_public.usage_events for select to openclaw_admin using (true);
grant select on app_public.usage_events to openclaw_user;
grant insert (kind, amount, details) on app_public.usage_events to openclaw_user;

-- Sensitive device commands wait here for the user's decision.
create type app_public.approval_status as enum ('pending', 'approved', 'denied', 'expired');

create table app_public.approvals (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  device_id uuid,
  conversation_id uuid,
  run_id text check (run_id is null or char_length(run_id) <= 200),
  command text not null check (char_length(command) between 1 and 200),
  params jsonb not null default '{}' check (pg_column_size(params) <= 65536),
  status app_public.approval_status not null default 'pending',
  reason text check (reason is null or char_length(reason) <= 1000),
  requested_at timestamptz not null default now(),
  expires_at timestamptz not null default now() + interval '2 minutes',
  decided_at timestamptz,
  check (status = 'pending' or decided_at is not null),
  foreign key (device_id, user_id) references app_public.devices (id, user_id) on delete set null (device_id),
  foreign key (conversation_id, user_id) references app_public.conversations (id, user_id) on delete set null (conversation_id)
);
comment on table app_public.approvals is 'Confirmations of sensitive device commands: every request and decision.';
create index approvals_user_id_idx on app_public.approvals (user_id, status);
create index approvals_device_idx on app_public.approvals (device_id, user_id);
create index approvals_conversation_idx on app_public.approvals (conversation_id, user_id);
alter table app_public.approvals enable row level security;
alter table app_public.approvals force row level security;
create policy select_own on app_public.approvals for select to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy insert_own on app_public.approvals for insert to openclaw_user with check (user_id = (select app_public.current_user_id()));
create policy decide_own on app_public.approvals for update to openclaw_user
  using (user_id = (select app_public.current_user_id()) and status = 'pending')
  with check (user_id = (select app_public.current_user_id()));
create policy select_all on app_public.approvals for select to openclaw_admin using (true);
grant select on app_public.approvals to openclaw_user;
grant insert (device_id, conversation_id, run_id, command, params, expires_at) on app_public.approvals to openclaw_user;
grant update (status, reason, decided_at) on app_public.approvals to openclaw_user;

-- Global: settings. Public ones are readable by everyone; admins read and write all.
create table app_public.system_configs (
  key text primary key check (key ~ '^[a-z][a-z0-9_.]{0,99}$'),
  value jsonb not null check (pg_column_size(value) <= 65536),
  description text not null default '' check (char_length(description) <= 1000),
  is_public boolean not null default false,
  updated_at timestamptz not null default now()
);
create index system_configs_is_public_idx on app_public.system_configs (is_public);
create trigger _100_timestamps before update on app_public.system_configs
  for each row execute function app_private.tg__set_updated_at();
alter table app_public.system_configs enable row level security;
alter table app_public.system_configs force row level security;
create policy select_public on app_public.system_configs for select to openclaw_anonymous, openclaw_user using (is_public);
create policy select_all on app_public.system_configs for select to openclaw_admin using (true);
create policy insert_admin on app_public.system_configs for insert to openclaw_admin with check (true);
create policy update_admin on app_public.system_configs for update to openclaw_admin using (true) with check (true);
create policy delete_admin on app_public.system_configs for delete to openclaw_admin using (true);
grant select on app_public.system_configs to openclaw_anonymous, openclaw_user;
grant insert (key, value, description, is_public), update (value, description, is_public), delete
  on app_public.system_configs to openclaw_admin;
create trigger _900_audit after insert or update or delete on app_public.system_configs
  for each row execute function app_private.tg__audit_change();

-- The worker's login role uses the job queue directly (graphile-worker's schema, installed by the owner).
grant usage on schema graphile_worker to openclaw_worker;
grant select, insert, update, delete on all tables in schema graphile_worker to openclaw_worker;
grant usage, select on all sequences in schema graphile_worker to openclaw_worker;
grant execute on all functions in schema graphile_worker to openclaw_worker;
