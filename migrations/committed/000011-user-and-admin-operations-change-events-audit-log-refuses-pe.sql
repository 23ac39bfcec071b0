--! Previous: sha1:7f4adb4dc404e7968ab11160e485e4f0e398c9fb
--! Hash: sha1:ebe32eb7a8bd31898f8f902027533f1370117552
--! Message: user and admin operations, change events, audit log refuses per statement

-- User and admin operations for the API, and the change events the gateway listens to.

------------------------------------------------------------------------------------------------
-- Events: row changes the running gateways must react to are announced with NOTIFY on channel
-- openclaw_events (sent at commit, so only committed changes are announced). The API relays them
-- to Redis (api/events-relay.ts). Payloads carry ids only, never content.
create function app_private.tg__announce() returns trigger
  language plpgsql volatile as $$
declare
  v_row jsonb := to_jsonb(coalesce(new, old));
  v_type text := tg_argv[0];
begin
  if v_type = 'skill.changed' then
    v_type := case tg_op when 'INSERT' then 'skill.installed' when 'DELETE' then 'skill.removed' else 'skill.updated' end;
  end if;
  perform pg_notify('openclaw_events', jsonb_build_object(
    'id', gen_random_uuid(),
    'type', v_type,
    'userId', coalesce(v_row ->> 'user_id', v_row ->> 'id'),
    'subjectId', coalesce(v_row ->> 'id', v_row ->> 'user_id')
  )::text);
  return null;
end;
$$;

create trigger _800_announce after insert or update on app_public.user_assistant_configs
  for each row execute function app_private.tg__announce('persona.changed');
create trigger _800_announce after insert or update or delete on app_public.installed_skills
  for each row execute function app_private.tg__announce('skill.changed');
create trigger _800_announce_revoked after update of status on app_public.devices
  for each row when (new.status = 'revoked' and old.status is distinct from 'revoked')
  execute function app_private.tg__announce('device.revoked');
create trigger _800_announce_deleted after delete on app_public.devices
  for each row execute function app_private.tg__announce('device.revoked');
create trigger _800_announce_suspended after update of status on app_public.users
  for each row when (new.status = 'suspended' and old.status is distinct from 'suspended')
  execute function app_private.tg__announce('user.suspended');
create trigger _800_announce_node_token after update of revoked_at on app_public.node_tokens
  for each row when (new.revoked_at is not null and old.revoked_at is null)
  execute function app_private.tg__announce('node_token.revoked');

------------------------------------------------------------------------------------------------
-- Persona: the model must be one the user's plan allows (the active subscription's plan, or the
-- default plan without one). Checked as the user, so it reads only what the user may read.
create function app_public.allowed_models() returns text[]
  language sql stable
  set search_path = pg_catalog, pg_temp
as $$
  select coalesce(
    (select p.allowed_models from app_public.subscriptions s join app_public.plans p on p.id = s.plan_id
      where s.user_id = app_public.current_user_id() and s.status in ('trialing', 'active') and s.current_period_end > now()
      order by s.current_period_end desc limit 1),
    (select p.allowed_models from app_public.plans p where p.is_default and p.is_active limit 1),
    '{}')
$$;
comment on function app_public.allowed_models() is 'The models the signed-in user''s plan lets the assistant use.';
grant execute on function app_public.allowed_models() to openclaw_user;

create function app_private.tg_user_assistant_configs__check_model() returns trigger
  language plpgsql volatile as $$
begin
  if new.model is not null and not (new.model = any (app_public.allowed_models())) then
    raise exception 'model "%" is not included in your plan', new.model using errcode = 'PLANM';
  end if;
  return new;
end;
$$;
create trigger _200_check_model before insert or update of model on app_public.user_assistant_configs
  for each row execute function app_private.tg_user_assistant_configs__check_model();

------------------------------------------------------------------------------------------------
-- Pairing codes and node tokens: made by the signed-in user, shown once, stored hashed.
comment on table app_public.device_pairing_codes is E'@behavior -insert';
comment on table app_public.node_tokens is E'@behavior -insert\nTokens a user gives their node hosts to enroll; a new device under one binds or asks for approval.';

create type app_public.issued_secret as (id uuid, secret text, expires_at timestamptz);

create function app_public.issue_pairing_code() returns app_public.issued_secret
  language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
  v_me uuid := app_public.current_user_id();
  v_code text;
  v_row app_public.device_pairing_codes;
begin
  if v_me is null then
    raise exception 'sign in to pair a device' using errcode = '42501';
  end if;
  -- 10 characters from an alphabet without look-alikes (about 50 bits), grouped for reading.
  select string_agg(substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + (get_byte(b, i) % 32), 1), '' order by i)
    into v_code from gen_random_bytes(10) b, generate_series(0, 9) i;
  v_code := substr(v_code, 1, 5) || '-' || substr(v_code, 6, 5);
  insert into app_public.device_pairing_codes (user_id) values (v_me) returning * into v_row;
  insert into app_private.device_pairing_code_secrets (pairing_code_id, code_hash) values (v_row.id, digest(v_code, 'sha256'));
  return (v_row.id, v_code, v_row.expires_at)::app_public.issued_secret;
end;
$$;
comment on function app_public.issue_pairing_code() is 'A single-use code (valid 10 minutes) that pairs a new device to the signed-in user. Shown only once.';

create function app_public.issue_node_token(label text, auto_approve boolean default false) returns app_public.issued_secret
  language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
  v_me uuid := app_public.current_user_id();
  v_token text := 'oc_node_' || encode(gen_random_bytes(24), 'hex');
  v_row app_public.node_tokens;
begin
  if v_me is null then
    raise exception 'sign in to create a node token' using errcode = '42501';
  end if;
  insert into app_public.node_tokens (user_id, label, auto_approve) values (v_me, label, coalesce(auto_approve, false)) returning * into v_row;
  insert into app_private.node_token_secrets (node_token_id, user_id, token_hash) values (v_row.id, v_me, digest(v_token, 'sha256'));
  return (v_row.id, v_token, v_row.expires_at)::app_public.issued_secret;
end;
$$;
comment on function app_public.issue_node_token(text, boolean) is 'A token your node hosts use to enroll devices. Shown only once; revoke it by setting revokedAt.';

-- The auth role writes these rows on the user's behalf (its policies: exactly these inserts).
create policy auth_issue on app_public.device_pairing_codes for insert to openclaw_auth
  with check (user_id = (select app_public.current_user_id()));
create policy auth_issue on app_public.node_tokens for insert to openclaw_auth
  with check (user_id = (select app_public.current_user_id()));
grant insert (user_id) on app_public.device_pairing_codes to openclaw_auth;
grant insert (user_id, label, auto_approve) on app_public.node_tokens to openclaw_auth;
grant execute on function app_public.issue_pairing_code(), app_public.issue_node_token(text, boolean) to openclaw_user;
grant create on schema app_public to openclaw_auth;
alter function app_public.issue_pairing_code() owner to openclaw_auth;
alter function app_public.issue_node_token(text, boolean) owner to openclaw_auth;
revoke create on schema app_public from openclaw_auth;

------------------------------------------------------------------------------------------------
-- Admin operations. SECURITY INVOKER: they run as openclaw_admin under its policies, and the
-- row triggers write the audit trail. Only the admin role may execute them.
create function app_public.admin_search_users(query text default null, status app_public.user_status default null)
  returns setof app_public.users
  language sql stable
  set search_path = pg_catalog, pg_temp
as $$
  select u.* from app_public.users u
  where (query is null or strpos(u.email, lower(query)) > 0 or strpos(lower(u.display_name), lower(query)) > 0)
    and (admin_search_users.status is null or u.status = admin_search_users.status)
  order by u.created_at desc
$$;

create function app_public.admin_set_user_status(user_id uuid, status app_public.user_status, reason text default null)
  returns app_public.users
  language sql volatile
  set search_path = pg_catalog, pg_temp
as $$
  update app_public.users u
     set status = admin_set_user_status.status,
         suspended_reason = case when admin_set_user_status.status = 'suspended' then reason end
   where u.id = admin_set_user_status.user_id
  returning u.*
$$;

create function app_public.admin_set_user_role(user_id uuid, role app_public.user_role) returns app_public.users
  language sql volatile
  set search_path = pg_catalog, pg_temp
as $$
  update app_public.users u set role = admin_set_user_role.role where u.id = admin_set_user_role.user_id returning u.*
$$;

create function app_public.admin_grant_subscription(user_id uuid, plan_id uuid, days int default 30)
  returns app_public.subscriptions
  language plpgsql volatile
  set search_path = pg_catalog, pg_temp
as $$
declare
  v_row app_public.subscriptions;
begin
  if days is null or days < 1 or days > 3660 then
    raise exception 'days must be between 1 and 3660' using errcode = '22023';
  end if;
  update app_public.subscriptions s set status = 'canceled', canceled_at = now()
   where s.user_id = admin_grant_subscription.user_id and s.status in ('trialing', 'active');
  insert into app_public.subscriptions (user_id, plan_id, status, current_period_start, current_period_end)
    values (admin_grant_subscription.user_id, admin_grant_subscription.plan_id, 'active', now(), now() + make_interval(days => days))
    returning * into v_row;
  return v_row;
end;
$$;

create function app_public.admin_extend_subscription(subscription_id uuid, days int) returns app_public.subscriptions
  language plpgsql volatile
  set search_path = pg_catalog, pg_temp
as $$
declare
  v_row app_public.subscriptions;
begin
  if days is null or days < 1 or days > 3660 then
    raise exception 'days must be between 1 and 3660' using errcode = '22023';
  end if;
  update app_public.subscriptions s
     set current_period_end = greatest(s.current_period_end, now()) + make_interval(days => days),
         status = case when s.status = 'expired' then 'active' else s.status end
   where s.id = subscription_id
  returning * into v_row;
  return v_row;
end;
$$;

create function app_public.admin_cancel_subscription(subscription_id uuid) returns app_public.subscriptions
  language sql volatile
  set search_path = pg_catalog, pg_temp
as $$
  update app_public.subscriptions s set status = 'canceled', canceled_at = now()
   where s.id = subscription_id and s.status in ('trialing', 'active')
  returning s.*
$$;

create function app_public.admin_review_store_skill_version(version_id uuid, approve boolean, reason text default null)
  returns app_public.store_skill_versions
  language plpgsql volatile
  set search_path = pg_catalog, pg_temp
as $$
declare
  v_row app_public.store_skill_versions;
begin
  if not approve and nullif(trim(reason), '') is null then
    raise exception 'a rejection needs a reason' using errcode = '22023';
  end if;
  update app_public.store_skill_versions v
     set review_state = case when approve then 'approved' else 'rejected' end::app_public.review_state,
         review_reason = nullif(trim(reason), ''),
         reviewed_by = app_public.current_user_id(),
         reviewed_at = now()
   where v.id = version_id and v.review_state = 'pending'
  returning * into v_row;
  if v_row.id is null then
    raise exception 'no pending version with that id' using errcode = 'P0002';
  end if;
  if approve then
    update app_public.store_skills s set is_published = true where s.id = v_row.store_skill_id;
  end if;
  return v_row;
end;
$$;

-- Analytics and the dashboard read everyone's rows: they run as the admin under its policies.
create type app_public.daily_activity as (day date, active_users bigint, new_users bigint, messages bigint, tokens bigint);

create function app_public.admin_daily_activity(since date default (current_date - 29), until date default current_date)
  returns setof app_public.daily_activity
  language sql stable
  set search_path = pg_catalog, pg_temp
as $$
  select d::date,
    (select count(distinct m.user_id) from app_public.messages m where m.created_at >= d and m.created_at < d + interval '1 day'),
    (select count(*) from app_public.users u where u.created_at >= d and u.created_at < d + interval '1 day'),
    (select count(*) from app_public.messages m where m.created_at >= d and m.created_at < d + interval '1 day'),
    (select coalesce(sum(coalesce(m.prompt_tokens, 0) + coalesce(m.completion_tokens, 0)), 0)::bigint from app_public.messages m
      where m.created_at >= d and m.created_at < d + interval '1 day')
  from generate_series(since, least(until, since + 366), interval '1 day') d
  order by 1
$$;

create type app_public.dashboard as (
  users_total bigint, users_suspended bigint, active_users_today bigint, devices_total bigint, devices_paired bigint,
  messages_today bigint, tokens_this_month bigint, storage_bytes bigint, files_total bigint,
  active_subscriptions bigint, pending_skill_reviews bigint, orders_pending bigint
);

create function app_public.admin_dashboard() returns app_public.dashboard
  language sql stable
  set search_path = pg_catalog, pg_temp
as $$
  select
    (select count(*) from app_public.users),
    (select count(*) from app_public.users where status = 'suspended'),
    (select count(distinct user_id) from app_public.messages where created_at >= current_date),
    (select count(*) from app_public.devices),
    (select count(*) from app_public.devices where status = 'paired'),
    (select count(*) from app_public.messages where created_at >= current_date),
    (select coalesce(sum(coalesce(prompt_tokens, 0) + coalesce(completion_tokens, 0)), 0)::bigint from app_public.messages
      where created_at >= date_trunc('month', now())),
    (select coalesce(sum(size_bytes), 0)::bigint from app_public.user_files where status <> 'deleted'),
    (select count(*) from app_public.user_files where status <> 'deleted'),
    (select count(*) from app_public.subscriptions where status in ('trialing', 'active')),
    (select count(*) from app_public.store_skill_versions where review_state = 'pending'),
    (select count(*) from app_public.orders where status = 'pending')
$$;

grant execute on function
  app_public.admin_search_users(text, app_public.user_status),
  app_public.admin_set_user_status(uuid, app_public.user_status, text),
  app_public.admin_set_user_role(uuid, app_public.user_role),
  app_public.admin_grant_subscription(uuid, uuid, int),
  app_public.admin_extend_subscription(uuid, int),
  app_public.admin_cancel_subscription(uuid),
  app_public.admin_review_store_skill_version(uuid, boolean, text),
  app_public.admin_daily_activity(date, date),
  app_public.admin_dashboard()
to openclaw_admin;

-- Generated admin mutations stay, but users reach these tables only through the functions above.
comment on table app_public.subscriptions is E'@name plan_subscriptions\n@behavior -insert -delete\nWhich plan a user is on. Granted, extended and canceled by admins or by paid orders.';

-- audit_log: refuse UPDATE and DELETE per statement, so even a statement that would touch no
-- visible row (the owner under FORCE RLS sees none) fails loudly instead of "UPDATE 0".
drop trigger _100_append_only on app_public.audit_log;
create trigger _100_append_only before update or delete on app_public.audit_log
  for each statement execute function app_private.tg_audit_log__refuse_change();
