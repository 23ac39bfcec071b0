--! Previous: sha1:e3d9331a6b9718e9a2457630a7bba037ba775806
--! Hash: sha1:38875a1feddeda23cf1f8fbd8a4381fa399ec0a7
--! Message: billing: orders with coupons, payment confirmation with replay protection, manual provider

-- Billing: orders move pending → paid (a payment provider confirms) → the subscription is active
-- with fresh quotas. The functions are SECURITY DEFINER, owned by openclaw_billing, whose
-- policies below are exactly what billing may read and write across tenants.
create table app_private.payment_events (
  provider text not null check (provider ~ '^[a-z][a-z0-9_-]{0,31}$'),
  event_id text not null check (char_length(event_id) between 1 and 200),
  order_id uuid not null references app_public.orders on delete cascade,
  received_at timestamptz not null default now(),
  primary key (provider, event_id)
);
comment on table app_private.payment_events is 'Every payment confirmation applied, so a replayed webhook is refused.';
create index payment_events_order_id_idx on app_private.payment_events (order_id);
alter table app_private.payment_events enable row level security;
alter table app_private.payment_events force row level security;
create policy billing_all on app_private.payment_events for all to openclaw_billing using (true) with check (true);
grant select, insert on app_private.payment_events to openclaw_billing;

grant usage on schema app_public, app_hidden, app_private to openclaw_billing;
grant execute on function app_public.current_user_id() to openclaw_billing;
grant select on app_public.plans, app_public.coupons, app_public.orders, app_public.subscriptions to openclaw_billing;
grant insert (user_id, plan_id, coupon_id, amount_cents, currency) , update (status, paid_at) on app_public.orders to openclaw_billing;
grant update (redeemed_count) on app_public.coupons to openclaw_billing;
grant insert (user_id, plan_id, status, current_period_start, current_period_end), update (status, canceled_at)
  on app_public.subscriptions to openclaw_billing;
grant select, insert (user_id, period_start, period_end, messages_limit, tokens_limit, storage_bytes_limit, devices_limit)
  on app_public.usage_quotas to openclaw_billing;
create policy billing_all on app_public.plans for select to openclaw_billing using (true);
create policy billing_all on app_public.coupons for all to openclaw_billing using (true) with check (true);
create policy billing_all on app_public.orders for all to openclaw_billing using (true) with check (true);
create policy billing_all on app_public.subscriptions for all to openclaw_billing using (true) with check (true);
create policy billing_all on app_public.usage_quotas for all to openclaw_billing using (true) with check (true);

-- A user orders a plan, optionally with a coupon; the price is computed here, never trusted from the client.
create function app_public.create_order(plan_id uuid, coupon_code text default null) returns app_public.orders
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_me uuid := app_public.current_user_id();
  v_plan app_public.plans;
  v_coupon app_public.coupons;
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
comment on function app_public.create_order(uuid, text) is 'Orders a plan for the signed-in user (optionally with a coupon); a payment provider then confirms it.';

-- A provider confirmed payment: checks amount and currency, refuses replays, marks the order paid,
-- activates the subscription for one billing interval and opens that period's quotas. Idempotent
-- per (provider, event id).
create function app_hidden.billing_confirm_payment(provider text, event_id text, order_id uuid, amount_cents int, currency text)
  returns app_public.orders
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_order app_public.orders;
  v_plan app_public.plans;
  v_start timestamptz := now();
  v_end timestamptz;
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
  select p.* into v_plan from app_public.plans p where p.id = v_order.plan_id;
  v_end := v_start + case v_plan.billing_interval when 'year' then interval '1 year' else interval '1 month' end;
  update app_public.orders o set status = 'paid', paid_at = now() where o.id = v_order.id returning * into v_order;
  if v_order.coupon_id is not null then
    update app_public.coupons c set redeemed_count = c.redeemed_count + 1 where c.id = v_order.coupon_id;
  end if;
  update app_public.subscriptions s set status = 'canceled', canceled_at = now()
   where s.user_id = v_order.user_id and s.status in ('trialing', 'active');
  insert into app_public.subscriptions (user_id, plan_id, status, current_period_start, current_period_end)
    values (v_order.user_id, v_plan.id, 'active', v_start, v_end);
  insert into app_public.usage_quotas (user_id, period_start, period_end, messages_limit, tokens_limit, storage_bytes_limit, devices_limit)
    values (v_order.user_id, v_start, v_end, v_plan.monthly_messages, v_plan.monthly_tokens, v_plan.storage_bytes, v_plan.max_devices);
  perform app_private.audit('billing.payment_confirmed', 'app_public.orders', v_order.id::text,
    jsonb_build_object('provider', provider, 'event_id', event_id));
  return v_order;
end;
$$;

-- The manual provider: an admin marks an order paid (e.g. after a bank transfer).
create function app_public.admin_mark_order_paid(order_id uuid, reference text) returns app_public.orders
  language sql volatile
  set search_path = pg_catalog, pg_temp
as $$
  select * from app_hidden.billing_confirm_payment('manual', 'manual:' || order_id || ':' || coalesce(nullif(trim(reference), ''), 'paid'),
    order_id, (select o.amount_cents from app_public.orders o where o.id = admin_mark_order_paid.order_id),
    (select o.currency from app_public.orders o where o.id = admin_mark_order_paid.order_id))
$$;
comment on function app_public.admin_mark_order_paid(uuid, text) is 'Manual payment provider: confirms a pending order as paid (audited).';

grant execute on function app_public.create_order(uuid, text) to openclaw_user;
grant execute on function app_hidden.billing_confirm_payment(text, text, uuid, int, text) to openclaw_anonymous, openclaw_admin;
grant execute on function app_public.admin_mark_order_paid(uuid, text) to openclaw_admin;
set local role openclaw_auditor;
grant execute on function app_private.audit(text, text, text, jsonb) to openclaw_billing;
reset role;
grant create on schema app_public, app_hidden to openclaw_billing;
alter function app_public.create_order(uuid, text) owner to openclaw_billing;
alter function app_hidden.billing_confirm_payment(text, text, uuid, int, text) owner to openclaw_billing;
revoke create on schema app_public, app_hidden from openclaw_billing;
