-- db/schema.sql: the application's schemas as the migrations leave them. GENERATED: do not edit.
-- `npm run schema:export` writes it (with schema.graphql); test/db-schema.test.ts fails when it drifts.
-- Schemas app_public, app_hidden, app_private: types, tables, functions, triggers, row level security, policies,
-- grants, owners and comments. Roles: migrations/roles.sql. Extensions and default privileges:
-- migrations/afterReset.sql. The job queue (graphile_worker) is graphile-worker's own; the grants and
-- policies the migrations add to it are listed by `npm run policies`, with every table's tenancy rules.
-- Written by pg_dump 15 (--schema-only); version lines and the random \restrict key are removed.

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: app_hidden; Type: SCHEMA; Schema: -; Owner: openclaw_owner
--

CREATE SCHEMA app_hidden;


ALTER SCHEMA app_hidden OWNER TO openclaw_owner;

--
-- Name: app_private; Type: SCHEMA; Schema: -; Owner: openclaw_owner
--

CREATE SCHEMA app_private;


ALTER SCHEMA app_private OWNER TO openclaw_owner;

--
-- Name: app_public; Type: SCHEMA; Schema: -; Owner: openclaw_owner
--

CREATE SCHEMA app_public;


ALTER SCHEMA app_public OWNER TO openclaw_owner;

--
-- Name: user_role; Type: TYPE; Schema: app_public; Owner: openclaw_owner
--

CREATE TYPE app_public.user_role AS ENUM (
    'user',
    'admin'
);


ALTER TYPE app_public.user_role OWNER TO openclaw_owner;

--
-- Name: auth_identity; Type: TYPE; Schema: app_hidden; Owner: openclaw_owner
--

CREATE TYPE app_hidden.auth_identity AS (
	user_id uuid,
	role app_public.user_role,
	session_id uuid
);


ALTER TYPE app_hidden.auth_identity OWNER TO openclaw_owner;

--
-- Name: node_auth_result; Type: TYPE; Schema: app_hidden; Owner: openclaw_owner
--

CREATE TYPE app_hidden.node_auth_result AS (
	outcome text,
	user_id uuid,
	device_id uuid,
	credential_id uuid,
	device_token text,
	pairing_request_id uuid
);


ALTER TYPE app_hidden.node_auth_result OWNER TO openclaw_owner;

--
-- Name: user_status; Type: TYPE; Schema: app_public; Owner: openclaw_owner
--

CREATE TYPE app_public.user_status AS ENUM (
    'active',
    'suspended'
);


ALTER TYPE app_public.user_status OWNER TO openclaw_owner;

--
-- Name: session_state; Type: TYPE; Schema: app_hidden; Owner: openclaw_owner
--

CREATE TYPE app_hidden.session_state AS (
	user_id uuid,
	role app_public.user_role,
	status app_public.user_status,
	live boolean
);


ALTER TYPE app_hidden.session_state OWNER TO openclaw_owner;

--
-- Name: approval_status; Type: TYPE; Schema: app_public; Owner: openclaw_owner
--

CREATE TYPE app_public.approval_status AS ENUM (
    'pending',
    'approved',
    'denied',
    'expired'
);


ALTER TYPE app_public.approval_status OWNER TO openclaw_owner;

--
-- Name: daily_activity; Type: TYPE; Schema: app_public; Owner: openclaw_owner
--

CREATE TYPE app_public.daily_activity AS (
	day date,
	active_users bigint,
	new_users bigint,
	messages bigint,
	tokens bigint
);


ALTER TYPE app_public.daily_activity OWNER TO openclaw_owner;

--
-- Name: dashboard; Type: TYPE; Schema: app_public; Owner: openclaw_owner
--

CREATE TYPE app_public.dashboard AS (
	users_total bigint,
	users_suspended bigint,
	active_users_today bigint,
	devices_total bigint,
	devices_paired bigint,
	messages_today bigint,
	tokens_this_month bigint,
	storage_bytes bigint,
	files_total bigint,
	active_subscriptions bigint,
	pending_skill_reviews bigint,
	orders_pending bigint
);


ALTER TYPE app_public.dashboard OWNER TO openclaw_owner;

--
-- Name: device_status; Type: TYPE; Schema: app_public; Owner: openclaw_owner
--

CREATE TYPE app_public.device_status AS ENUM (
    'pending',
    'paired',
    'revoked'
);


ALTER TYPE app_public.device_status OWNER TO openclaw_owner;

--
-- Name: file_status; Type: TYPE; Schema: app_public; Owner: openclaw_owner
--

CREATE TYPE app_public.file_status AS ENUM (
    'pending_upload',
    'uploaded',
    'processing',
    'ready',
    'failed',
    'deleted'
);


ALTER TYPE app_public.file_status OWNER TO openclaw_owner;

--
-- Name: issued_secret; Type: TYPE; Schema: app_public; Owner: openclaw_owner
--

CREATE TYPE app_public.issued_secret AS (
	id uuid,
	secret text,
	expires_at timestamp with time zone
);


ALTER TYPE app_public.issued_secret OWNER TO openclaw_owner;

--
-- Name: memory_kind; Type: TYPE; Schema: app_public; Owner: openclaw_owner
--

CREATE TYPE app_public.memory_kind AS ENUM (
    'fact',
    'preference',
    'instruction',
    'note'
);


ALTER TYPE app_public.memory_kind OWNER TO openclaw_owner;

--
-- Name: message_role; Type: TYPE; Schema: app_public; Owner: openclaw_owner
--

CREATE TYPE app_public.message_role AS ENUM (
    'user',
    'assistant',
    'system',
    'tool'
);


ALTER TYPE app_public.message_role OWNER TO openclaw_owner;

--
-- Name: message_status; Type: TYPE; Schema: app_public; Owner: openclaw_owner
--

CREATE TYPE app_public.message_status AS ENUM (
    'complete',
    'streaming',
    'aborted',
    'failed'
);


ALTER TYPE app_public.message_status OWNER TO openclaw_owner;

--
-- Name: order_status; Type: TYPE; Schema: app_public; Owner: openclaw_owner
--

CREATE TYPE app_public.order_status AS ENUM (
    'pending',
    'paid',
    'canceled',
    'refunded'
);


ALTER TYPE app_public.order_status OWNER TO openclaw_owner;

--
-- Name: pairing_status; Type: TYPE; Schema: app_public; Owner: openclaw_owner
--

CREATE TYPE app_public.pairing_status AS ENUM (
    'pending',
    'approved',
    'rejected',
    'expired'
);


ALTER TYPE app_public.pairing_status OWNER TO openclaw_owner;

--
-- Name: review_state; Type: TYPE; Schema: app_public; Owner: openclaw_owner
--

CREATE TYPE app_public.review_state AS ENUM (
    'pending',
    'approved',
    'rejected',
    'withdrawn'
);


ALTER TYPE app_public.review_state OWNER TO openclaw_owner;

--
-- Name: skill_version_status; Type: TYPE; Schema: app_public; Owner: openclaw_owner
--

CREATE TYPE app_public.skill_version_status AS ENUM (
    'pending_upload',
    'uploaded',
    'validating',
    'valid',
    'invalid'
);


ALTER TYPE app_public.skill_version_status OWNER TO openclaw_owner;

--
-- Name: subscription_status; Type: TYPE; Schema: app_public; Owner: openclaw_owner
--

CREATE TYPE app_public.subscription_status AS ENUM (
    'trialing',
    'active',
    'canceled',
    'expired'
);


ALTER TYPE app_public.subscription_status OWNER TO openclaw_owner;

--
-- Name: usage_kind; Type: TYPE; Schema: app_public; Owner: openclaw_owner
--

CREATE TYPE app_public.usage_kind AS ENUM (
    'message',
    'tokens',
    'storage',
    'device_invoke'
);


ALTER TYPE app_public.usage_kind OWNER TO openclaw_owner;

--
-- Name: audit_admin_action(text, jsonb); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_auditor
--

CREATE FUNCTION app_hidden.audit_admin_action(action text, details jsonb DEFAULT '{}'::jsonb) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select app_private.audit('admin.' || action, null, null, coalesce(details, '{}'::jsonb))
$$;


ALTER FUNCTION app_hidden.audit_admin_action(action text, details jsonb) OWNER TO openclaw_auditor;

--
-- Name: auth_change_password(text, text, uuid); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_auth
--

CREATE FUNCTION app_hidden.auth_change_password(old_password text, new_password text, keep_session uuid) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_hidden.auth_change_password(old_password text, new_password text, keep_session uuid) OWNER TO openclaw_auth;

--
-- Name: auth_login(text, text, bytea, interval); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_auth
--

CREATE FUNCTION app_hidden.auth_login(email text, password text, refresh_hash bytea, refresh_ttl interval) RETURNS app_hidden.auth_identity
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_hidden.auth_login(email text, password text, refresh_hash bytea, refresh_ttl interval) OWNER TO openclaw_auth;

--
-- Name: auth_logout(bytea); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_auth
--

CREATE FUNCTION app_hidden.auth_logout(refresh_hash bytea) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_hidden.auth_logout(refresh_hash bytea) OWNER TO openclaw_auth;

--
-- Name: auth_refresh(bytea, bytea, interval); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_auth
--

CREATE FUNCTION app_hidden.auth_refresh(old_hash bytea, new_hash bytea, refresh_ttl interval) RETURNS app_hidden.auth_identity
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_hidden.auth_refresh(old_hash bytea, new_hash bytea, refresh_ttl interval) OWNER TO openclaw_auth;

--
-- Name: auth_register(text, text, text); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_auth
--

CREATE FUNCTION app_hidden.auth_register(email text, password text, display_name text) RETURNS uuid
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select app_private.register_user(email, password, display_name)
$$;


ALTER FUNCTION app_hidden.auth_register(email text, password text, display_name text) OWNER TO openclaw_auth;

--
-- Name: current_user_id(); Type: FUNCTION; Schema: app_public; Owner: openclaw_owner
--

CREATE FUNCTION app_public.current_user_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
  select nullif(current_setting('app.user_id', true), '')::uuid
$$;


ALTER FUNCTION app_public.current_user_id() OWNER TO openclaw_owner;

--
-- Name: FUNCTION current_user_id(); Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON FUNCTION app_public.current_user_id() IS 'The signed-in user''s id (from the verified token), or null.';


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: orders; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.orders (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    plan_id uuid NOT NULL,
    coupon_id uuid,
    amount_cents integer NOT NULL,
    currency text NOT NULL,
    status app_public.order_status DEFAULT 'pending'::app_public.order_status NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    paid_at timestamp with time zone,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    cancel_reason text,
    CONSTRAINT orders_amount_cents_check CHECK ((amount_cents >= 0)),
    CONSTRAINT orders_cancel_reason_check CHECK (((cancel_reason IS NULL) OR (cancel_reason = ANY (ARRAY['coupon_exhausted'::text, 'downgrade_refused'::text])))),
    CONSTRAINT orders_check CHECK (((status <> 'paid'::app_public.order_status) OR (paid_at IS NOT NULL))),
    CONSTRAINT orders_currency_check CHECK ((currency ~ '^[A-Z]{3}$'::text))
);

ALTER TABLE ONLY app_public.orders FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.orders OWNER TO openclaw_owner;

--
-- Name: COLUMN orders.cancel_reason; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.orders.cancel_reason IS 'Why a paid order was not applied: coupon_exhausted or downgrade_refused (its payment is due back).';


--
-- Name: billing_confirm_payment(text, text, uuid, integer, text); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_billing
--

CREATE FUNCTION app_hidden.billing_confirm_payment(provider text, event_id text, order_id uuid, amount_cents integer, currency text) RETURNS app_public.orders
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_hidden.billing_confirm_payment(provider text, event_id text, order_id uuid, amount_cents integer, currency text) OWNER TO openclaw_billing;

--
-- Name: files_to_purge(interval, integer); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_maintenance
--

CREATE FUNCTION app_hidden.files_to_purge(abandoned_after interval, max_rows integer) RETURNS TABLE(id uuid, user_id uuid, object_key text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select f.id, f.user_id, f.object_key from app_public.user_files f
   where f.status = 'deleted' or (f.status = 'pending_upload' and f.created_at < now() - abandoned_after)
   order by f.created_at
   limit max_rows
$$;


ALTER FUNCTION app_hidden.files_to_purge(abandoned_after interval, max_rows integer) OWNER TO openclaw_maintenance;

--
-- Name: FUNCTION files_to_purge(abandoned_after interval, max_rows integer); Type: COMMENT; Schema: app_hidden; Owner: openclaw_maintenance
--

COMMENT ON FUNCTION app_hidden.files_to_purge(abandoned_after interval, max_rows integer) IS 'Scheduled: files whose object the retention task removes (deleted, or uploads never confirmed).';


--
-- Name: forget_purged_files(uuid[], interval); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_maintenance
--

CREATE FUNCTION app_hidden.forget_purged_files(ids uuid[], abandoned_after interval) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_count int;
begin
  delete from app_public.user_files f
   where f.id = any (ids)
     and (f.status = 'deleted' or (f.status = 'pending_upload' and f.created_at < now() - abandoned_after));
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;


ALTER FUNCTION app_hidden.forget_purged_files(ids uuid[], abandoned_after interval) OWNER TO openclaw_maintenance;

--
-- Name: FUNCTION forget_purged_files(ids uuid[], abandoned_after interval); Type: COMMENT; Schema: app_hidden; Owner: openclaw_maintenance
--

COMMENT ON FUNCTION app_hidden.forget_purged_files(ids uuid[], abandoned_after interval) IS 'Scheduled: deletes the rows of purged files once their objects are removed.';


--
-- Name: gateway_device_auth(text, text); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_auth
--

CREATE FUNCTION app_hidden.gateway_device_auth(device_token text, device_key_id text) RETURNS app_hidden.node_auth_result
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_hidden.gateway_device_auth(device_token text, device_key_id text) OWNER TO openclaw_auth;

--
-- Name: FUNCTION gateway_device_auth(device_token text, device_key_id text); Type: COMMENT; Schema: app_hidden; Owner: openclaw_auth
--

COMMENT ON FUNCTION app_hidden.gateway_device_auth(device_token text, device_key_id text) IS 'Resolves a device token presented with its device id to the paired device and its owner.';


--
-- Name: gateway_node_enroll(text, text, text, text, text, text, text, text, text[], text[], inet); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_auth
--

CREATE FUNCTION app_hidden.gateway_node_enroll(token text, device_key_id text, public_key text, name text, platform text, device_family text, client_id text, client_version text, caps text[], commands text[], remote_address inet) RETURNS app_hidden.node_auth_result
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_hidden.gateway_node_enroll(token text, device_key_id text, public_key text, name text, platform text, device_family text, client_id text, client_version text, caps text[], commands text[], remote_address inet) OWNER TO openclaw_auth;

--
-- Name: FUNCTION gateway_node_enroll(token text, device_key_id text, public_key text, name text, platform text, device_family text, client_id text, client_version text, caps text[], commands text[], remote_address inet); Type: COMMENT; Schema: app_hidden; Owner: openclaw_auth
--

COMMENT ON FUNCTION app_hidden.gateway_node_enroll(token text, device_key_id text, public_key text, name text, platform text, device_family text, client_id text, client_version text, caps text[], commands text[], remote_address inet) IS 'Resolves a node token or pairing code: binds the device (auto-approve or pairing code), or opens a pairing request.';


--
-- Name: hybrid_search(text, text, public.vector, integer); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_owner
--

CREATE FUNCTION app_hidden.hybrid_search(source text, query_text text, query_embedding public.vector, match_count integer) RETURNS TABLE(id uuid, score double precision, vector_rank bigint, text_rank bigint)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET "hnsw.iterative_scan" TO 'strict_order'
    SET "hnsw.max_scan_tuples" TO '200000'
    SET "hnsw.ef_search" TO '200'
    AS $_$
declare
  v_me uuid := app_public.current_user_id();
  v_k int := least(greatest(coalesce(match_count, 10), 1), 100);
  v_candidates int := least(greatest(coalesce(match_count, 10), 1), 100) * 4;
  v_exact_limit bigint := coalesce(nullif(current_setting('app.search_exact_limit', true), '')::bigint, 50000);
  v_tenant_rows bigint;
  v_vector_sql text;
begin
  if source not in ('user_memories', 'file_chunks') then
    raise exception 'hybrid_search: unknown source %', source using errcode = '22023';
  end if;
  if v_me is null then
    return;
  end if;
  execute format('select count(*) from (select 1 from app_public.%I where user_id = $1 limit $2) s', source)
    into v_tenant_rows using v_me, v_exact_limit + 1;
  if v_tenant_rows <= v_exact_limit then
    v_vector_sql := format(
      'with mine as materialized (select id, embedding from app_public.%I where user_id = $1 and embedding is not null)
       select id, embedding <=> $3 as distance from mine where $3 is not null order by distance, id limit $4', source);
  else
    v_vector_sql := format(
      'select id, embedding <=> $3 as distance from app_public.%I
       where user_id = $1 and embedding is not null and $3 is not null order by embedding <=> $3 limit $4', source);
  end if;
  return query execute format($q$
    with vector_hits as (
      select v.id, row_number() over (order by v.distance, v.id) as r from (%s) v
    ),
    text_hits as (
      select t.id, row_number() over (order by t.rank desc, t.rank2 desc, t.id) as r
      from (
        select c.id, ts_rank(strip(c.tsv), q) as rank, ts_rank_cd(c.tsv, q) as rank2
        from app_public.%I c, app_hidden.search_query($2) q
        where c.user_id = $1 and c.tsv @@ q
        order by rank desc, rank2 desc, c.id
        limit $4
      ) t
    )
    select coalesce(v.id, t.id) as id,
           (coalesce(1.0 / (60 + v.r), 0) + coalesce(1.0 / (60 + t.r), 0))::double precision as score,
           v.r as vector_rank, t.r as text_rank
    from vector_hits v full join text_hits t on t.id = v.id
    order by score desc, vector_rank nulls last, text_rank nulls last, id
    limit $5
  $q$, v_vector_sql, source) using v_me, query_text, query_embedding, v_candidates, v_k;
end;
$_$;


ALTER FUNCTION app_hidden.hybrid_search(source text, query_text text, query_embedding public.vector, match_count integer) OWNER TO openclaw_owner;

--
-- Name: FUNCTION hybrid_search(source text, query_text text, query_embedding public.vector, match_count integer); Type: COMMENT; Schema: app_hidden; Owner: openclaw_owner
--

COMMENT ON FUNCTION app_hidden.hybrid_search(source text, query_text text, query_embedding public.vector, match_count integer) IS 'Ranks the caller''s user_memories or file_chunks by vector similarity fused with full-text rank (RRF).';


--
-- Name: quota_rollover(); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_maintenance
--

CREATE FUNCTION app_hidden.quota_rollover() RETURNS TABLE(expired_subscriptions integer, quota_periods integer)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_hidden.quota_rollover() OWNER TO openclaw_maintenance;

--
-- Name: FUNCTION quota_rollover(); Type: COMMENT; Schema: app_hidden; Owner: openclaw_maintenance
--

COMMENT ON FUNCTION app_hidden.quota_rollover() IS 'Scheduled: expires ended subscriptions and gives every user a usage_quotas row for the current period.';


--
-- Name: record_device_connection(uuid, text[], text[], text, text, text, text); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_auth
--

CREATE FUNCTION app_hidden.record_device_connection(device_id uuid, caps text[], commands text[], platform text, device_family text, client_id text, client_version text) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  update app_public.devices d
     set caps = record_device_connection.caps, commands = record_device_connection.commands,
         platform = record_device_connection.platform, device_family = record_device_connection.device_family,
         client_id = record_device_connection.client_id, client_version = record_device_connection.client_version,
         last_seen_at = now()
   where d.id = device_id and d.user_id = app_public.current_user_id() and d.status = 'paired'
$$;


ALTER FUNCTION app_hidden.record_device_connection(device_id uuid, caps text[], commands text[], platform text, device_family text, client_id text, client_version text) OWNER TO openclaw_auth;

--
-- Name: record_device_seen(uuid); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_auth
--

CREATE FUNCTION app_hidden.record_device_seen(device_id uuid) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  update app_public.devices d set last_seen_at = now()
   where d.id = device_id and d.user_id = app_public.current_user_id() and d.status = 'paired'
$$;


ALTER FUNCTION app_hidden.record_device_seen(device_id uuid) OWNER TO openclaw_auth;

--
-- Name: record_turn_usage(integer, bigint, jsonb); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_maintenance
--

CREATE FUNCTION app_hidden.record_turn_usage(p_messages integer, p_tokens bigint, p_details jsonb) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_user uuid := app_public.current_user_id();
begin
  if v_user is null then
    raise exception 'no user' using errcode = '42501';
  end if;
  if p_messages < 0 or p_tokens < 0 then
    raise exception 'usage only grows' using errcode = '22023';
  end if;
  update app_public.usage_quotas q
     set messages_used = q.messages_used + p_messages, tokens_used = q.tokens_used + p_tokens
   where q.user_id = v_user and q.period_start <= now() and q.period_end > now();
  if p_messages > 0 then
    insert into app_public.usage_events (user_id, kind, amount, details) values (v_user, 'message', p_messages, coalesce(p_details, '{}'));
  end if;
  if p_tokens > 0 then
    insert into app_public.usage_events (user_id, kind, amount, details) values (v_user, 'tokens', p_tokens, coalesce(p_details, '{}'));
  end if;
end;
$$;


ALTER FUNCTION app_hidden.record_turn_usage(p_messages integer, p_tokens bigint, p_details jsonb) OWNER TO openclaw_maintenance;

--
-- Name: FUNCTION record_turn_usage(p_messages integer, p_tokens bigint, p_details jsonb); Type: COMMENT; Schema: app_hidden; Owner: openclaw_maintenance
--

COMMENT ON FUNCTION app_hidden.record_turn_usage(p_messages integer, p_tokens bigint, p_details jsonb) IS 'Adds a turn''s messages and tokens to the calling user''s current quota row and the usage ledger.';


--
-- Name: retention_sweep(interval, interval); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_maintenance
--

CREATE FUNCTION app_hidden.retention_sweep(usage_events_keep interval, expired_keep interval) RETURNS TABLE(pairing_codes integer, pairing_requests integer, usage_events integer, refresh_tokens integer)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_codes int;
  v_requests int;
  v_usage int;
  v_refresh int;
begin
  update app_public.device_pairing_requests r set status = 'expired'
   where r.status = 'pending' and r.expires_at <= now();
  delete from app_public.device_pairing_codes c where c.expires_at <= now() - expired_keep;
  get diagnostics v_codes = row_count;
  delete from app_public.device_pairing_requests r
   where r.status <> 'pending' and r.expires_at <= now() - expired_keep;
  get diagnostics v_requests = row_count;
  delete from app_public.usage_events e where e.created_at < now() - usage_events_keep;
  get diagnostics v_usage = row_count;
  delete from app_private.refresh_tokens t
   where t.expires_at <= now() - expired_keep or t.revoked_at <= now() - expired_keep;
  get diagnostics v_refresh = row_count;
  return query select v_codes, v_requests, v_usage, v_refresh;
end;
$$;


ALTER FUNCTION app_hidden.retention_sweep(usage_events_keep interval, expired_keep interval) OWNER TO openclaw_maintenance;

--
-- Name: FUNCTION retention_sweep(usage_events_keep interval, expired_keep interval); Type: COMMENT; Schema: app_hidden; Owner: openclaw_maintenance
--

COMMENT ON FUNCTION app_hidden.retention_sweep(usage_events_keep interval, expired_keep interval) IS 'Scheduled: deletes expired pairing codes and requests, old usage events and dead refresh tokens.';


--
-- Name: retention_sweep_sessions(interval); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_maintenance
--

CREATE FUNCTION app_hidden.retention_sweep_sessions(expired_keep interval) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_hidden.retention_sweep_sessions(expired_keep interval) OWNER TO openclaw_maintenance;

--
-- Name: FUNCTION retention_sweep_sessions(expired_keep interval); Type: COMMENT; Schema: app_hidden; Owner: openclaw_maintenance
--

COMMENT ON FUNCTION app_hidden.retention_sweep_sessions(expired_keep interval) IS 'Scheduled: deletes sign-ins that ended or whose refresh tokens all expired.';


--
-- Name: search_document(text); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_owner
--

CREATE FUNCTION app_hidden.search_document(content text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select setweight(to_tsvector('english', g.terms), 'A') || to_tsvector('english', g.unigrams)
  from app_hidden.search_grams(content) g
$$;


ALTER FUNCTION app_hidden.search_document(content text) OWNER TO openclaw_owner;

--
-- Name: FUNCTION search_document(content text); Type: COMMENT; Schema: app_hidden; Owner: openclaw_owner
--

COMMENT ON FUNCTION app_hidden.search_document(content text) IS 'The full-text document of a memory or file chunk (the tsv columns).';


--
-- Name: search_grams(text); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_owner
--

CREATE FUNCTION app_hidden.search_grams(content text, OUT terms text, OUT unigrams text) RETURNS record
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_run text;
  v_len int;
  v_terms text[] := '{}';
  v_unigrams text[] := '{}';
begin
  for v_run in
    select m[1] from regexp_matches(normalize(content, nfkc),
      '([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+|[^\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+)', 'g') m
  loop
    v_len := char_length(v_run);
    if v_run !~ '^[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]' or v_len = 1 then
      v_terms := v_terms || v_run;
      continue;
    end if;
    for i in 1 .. v_len loop
      v_unigrams := v_unigrams || substr(v_run, i, 1);
      if i < v_len then
        v_terms := v_terms || substr(v_run, i, 2);
      end if;
    end loop;
  end loop;
  terms := array_to_string(v_terms, ' ');
  unigrams := array_to_string(v_unigrams, ' ');
end;
$$;


ALTER FUNCTION app_hidden.search_grams(content text, OUT terms text, OUT unigrams text) OWNER TO openclaw_owner;

--
-- Name: FUNCTION search_grams(content text, OUT terms text, OUT unigrams text); Type: COMMENT; Schema: app_hidden; Owner: openclaw_owner
--

COMMENT ON FUNCTION app_hidden.search_grams(content text, OUT terms text, OUT unigrams text) IS 'Text prepared for full-text search: words and CJK bigrams (terms), and the CJK unigrams apart.';


--
-- Name: search_query(text); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_owner
--

CREATE FUNCTION app_hidden.search_query(query_text text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select string_agg('''' || replace(replace(l, '\', '\\'), '''', '''''') || '''', ' | ')::tsquery
  from app_hidden.search_grams(query_text) g,
       unnest(tsvector_to_array(to_tsvector('english', g.terms || ' ' || g.unigrams))) l
$$;


ALTER FUNCTION app_hidden.search_query(query_text text) OWNER TO openclaw_owner;

--
-- Name: FUNCTION search_query(query_text text); Type: COMMENT; Schema: app_hidden; Owner: openclaw_owner
--

COMMENT ON FUNCTION app_hidden.search_query(query_text text) IS 'A search text as a full-text query: any of its words or CJK grams (OR), null if it has none.';


--
-- Name: session_identity(uuid); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_auth
--

CREATE FUNCTION app_hidden.session_identity(session_id uuid) RETURNS app_hidden.session_state
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select u.id, u.role, u.status, s.revoked_at is null and u.status = 'active'
    from app_private.sessions s join app_public.users u on u.id = s.user_id
   where s.id = session_id
$$;


ALTER FUNCTION app_hidden.session_identity(session_id uuid) OWNER TO openclaw_auth;

--
-- Name: FUNCTION session_identity(session_id uuid); Type: COMMENT; Schema: app_hidden; Owner: openclaw_auth
--

COMMENT ON FUNCTION app_hidden.session_identity(session_id uuid) IS 'The live state of a sign-in: its user, that user''s current role and status, and whether it may still act.';


--
-- Name: turn_quota(); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_maintenance
--

CREATE FUNCTION app_hidden.turn_quota() RETURNS TABLE(period_start timestamp with time zone, period_end timestamp with time zone, messages_limit integer, tokens_limit bigint, messages_used integer, tokens_used bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_hidden.turn_quota() OWNER TO openclaw_maintenance;

--
-- Name: FUNCTION turn_quota(); Type: COMMENT; Schema: app_hidden; Owner: openclaw_maintenance
--

COMMENT ON FUNCTION app_hidden.turn_quota() IS 'The calling user''s quota row for the current period (made from their plan if missing). Used by the agent before a turn.';


--
-- Name: unreferenced_object_keys(text[]); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_maintenance
--

CREATE FUNCTION app_hidden.unreferenced_object_keys(keys text[]) RETURNS SETOF text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select k from unnest(keys) k
   where not exists (select 1 from app_public.user_files f where f.object_key = k)
     and not exists (select 1 from app_public.user_custom_skill_versions v where v.object_key = k)
     and not exists (select 1 from app_public.store_skill_versions s where s.object_key = k)
$$;


ALTER FUNCTION app_hidden.unreferenced_object_keys(keys text[]) OWNER TO openclaw_maintenance;

--
-- Name: FUNCTION unreferenced_object_keys(keys text[]); Type: COMMENT; Schema: app_hidden; Owner: openclaw_maintenance
--

COMMENT ON FUNCTION app_hidden.unreferenced_object_keys(keys text[]) IS 'Scheduled: which of these stored objects no row refers to any more.';


--
-- Name: users_needing_reembed(text, integer); Type: FUNCTION; Schema: app_hidden; Owner: openclaw_maintenance
--

CREATE FUNCTION app_hidden.users_needing_reembed(model text, max_rows integer) RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select u.id from app_public.users u
   where exists (select 1 from app_public.user_memories m where m.user_id = u.id and m.embedding_model is distinct from model)
      or exists (select 1 from app_public.file_chunks c where c.user_id = u.id and c.embedding_model is distinct from model)
   limit max_rows
$$;


ALTER FUNCTION app_hidden.users_needing_reembed(model text, max_rows integer) OWNER TO openclaw_maintenance;

--
-- Name: FUNCTION users_needing_reembed(model text, max_rows integer); Type: COMMENT; Schema: app_hidden; Owner: openclaw_maintenance
--

COMMENT ON FUNCTION app_hidden.users_needing_reembed(model text, max_rows integer) IS 'Which users have embeddings not made by this model (the worker queues reembed for them at start).';


--
-- Name: audit(text, text, text, jsonb); Type: FUNCTION; Schema: app_private; Owner: openclaw_auditor
--

CREATE FUNCTION app_private.audit(action text, target_table text, target_id text, details jsonb DEFAULT '{}'::jsonb) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  insert into app_public.audit_log (actor_id, actor_role, action, target_table, target_id, details)
  values (app_public.current_user_id(), coalesce(nullif(current_setting('role', true), 'none'), session_user),
          action, target_table, target_id, coalesce(details, '{}'::jsonb));
$$;


ALTER FUNCTION app_private.audit(action text, target_table text, target_id text, details jsonb) OWNER TO openclaw_auditor;

--
-- Name: usage_quotas; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.usage_quotas (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    period_start timestamp with time zone NOT NULL,
    period_end timestamp with time zone NOT NULL,
    messages_limit integer NOT NULL,
    tokens_limit bigint NOT NULL,
    storage_bytes_limit bigint NOT NULL,
    devices_limit integer NOT NULL,
    messages_used integer DEFAULT 0 NOT NULL,
    tokens_used bigint DEFAULT 0 NOT NULL,
    storage_bytes_used bigint DEFAULT 0 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT usage_quotas_check CHECK ((period_end > period_start)),
    CONSTRAINT usage_quotas_devices_limit_check CHECK ((devices_limit >= 0)),
    CONSTRAINT usage_quotas_messages_limit_check CHECK ((messages_limit >= 0)),
    CONSTRAINT usage_quotas_messages_used_check CHECK ((messages_used >= 0)),
    CONSTRAINT usage_quotas_storage_bytes_limit_check CHECK ((storage_bytes_limit >= 0)),
    CONSTRAINT usage_quotas_storage_bytes_used_check CHECK ((storage_bytes_used >= 0)),
    CONSTRAINT usage_quotas_tokens_limit_check CHECK ((tokens_limit >= 0)),
    CONSTRAINT usage_quotas_tokens_used_check CHECK ((tokens_used >= 0))
);

ALTER TABLE ONLY app_public.usage_quotas FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.usage_quotas OWNER TO openclaw_owner;

--
-- Name: current_quota(uuid); Type: FUNCTION; Schema: app_private; Owner: openclaw_maintenance
--

CREATE FUNCTION app_private.current_quota(user_id uuid) RETURNS app_public.usage_quotas
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_private.current_quota(user_id uuid) OWNER TO openclaw_maintenance;

--
-- Name: FUNCTION current_quota(user_id uuid); Type: COMMENT; Schema: app_private; Owner: openclaw_maintenance
--

COMMENT ON FUNCTION app_private.current_quota(user_id uuid) IS 'The user''s usage_quotas row for now, created from their plan when missing.';


--
-- Name: subscriptions; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.subscriptions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    plan_id uuid NOT NULL,
    status app_public.subscription_status DEFAULT 'active'::app_public.subscription_status NOT NULL,
    current_period_start timestamp with time zone DEFAULT now() NOT NULL,
    current_period_end timestamp with time zone NOT NULL,
    canceled_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT subscriptions_check CHECK ((current_period_end > current_period_start))
);

ALTER TABLE ONLY app_public.subscriptions FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.subscriptions OWNER TO openclaw_owner;

--
-- Name: TABLE subscriptions; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON TABLE app_public.subscriptions IS '@name plan_subscriptions
@behavior -insert -delete
Which plan a user is on. Granted, extended and canceled by admins or by paid orders.';


--
-- Name: dearer_active_subscription(uuid, uuid); Type: FUNCTION; Schema: app_private; Owner: openclaw_billing
--

CREATE FUNCTION app_private.dearer_active_subscription(user_id uuid, plan_id uuid) RETURNS app_public.subscriptions
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select s.* from app_public.subscriptions s
    join app_public.plans cp on cp.id = s.plan_id
    join app_public.plans np on np.id = dearer_active_subscription.plan_id
   where s.user_id = dearer_active_subscription.user_id and s.status = 'active' and s.current_period_end > now()
     and np.price_cents::numeric / case np.billing_interval when 'year' then 12 else 1 end
       < cp.price_cents::numeric / case cp.billing_interval when 'year' then 12 else 1 end
   order by s.current_period_end desc limit 1
$$;


ALTER FUNCTION app_private.dearer_active_subscription(user_id uuid, plan_id uuid) OWNER TO openclaw_billing;

--
-- Name: FUNCTION dearer_active_subscription(user_id uuid, plan_id uuid); Type: COMMENT; Schema: app_private; Owner: openclaw_billing
--

COMMENT ON FUNCTION app_private.dearer_active_subscription(user_id uuid, plan_id uuid) IS 'The user''s active subscription if it costs more per month than the given plan: buying that plan would be a downgrade.';


--
-- Name: plans; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.plans (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    slug text NOT NULL,
    name text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    price_cents integer DEFAULT 0 NOT NULL,
    currency text DEFAULT 'USD'::text NOT NULL,
    billing_interval text DEFAULT 'month'::text NOT NULL,
    max_devices integer NOT NULL,
    monthly_messages integer NOT NULL,
    monthly_tokens bigint NOT NULL,
    storage_bytes bigint NOT NULL,
    allowed_models text[] DEFAULT '{}'::text[] NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    is_default boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT plans_allowed_models_check CHECK ((cardinality(allowed_models) <= 100)),
    CONSTRAINT plans_billing_interval_check CHECK ((billing_interval = ANY (ARRAY['month'::text, 'year'::text]))),
    CONSTRAINT plans_currency_check CHECK ((currency ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT plans_description_check CHECK ((char_length(description) <= 2000)),
    CONSTRAINT plans_max_devices_check CHECK ((max_devices >= 0)),
    CONSTRAINT plans_monthly_messages_check CHECK ((monthly_messages >= 0)),
    CONSTRAINT plans_monthly_tokens_check CHECK ((monthly_tokens >= 0)),
    CONSTRAINT plans_name_check CHECK (((char_length(name) >= 1) AND (char_length(name) <= 100))),
    CONSTRAINT plans_price_cents_check CHECK ((price_cents >= 0)),
    CONSTRAINT plans_slug_check CHECK ((slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'::text)),
    CONSTRAINT plans_storage_bytes_check CHECK ((storage_bytes >= 0))
);

ALTER TABLE ONLY app_public.plans FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.plans OWNER TO openclaw_owner;

--
-- Name: effective_plan(uuid); Type: FUNCTION; Schema: app_private; Owner: openclaw_maintenance
--

CREATE FUNCTION app_private.effective_plan(user_id uuid) RETURNS app_public.plans
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select p.* from app_public.plans p
   where p.id = coalesce(
     (select s.plan_id from app_public.subscriptions s
       where s.user_id = effective_plan.user_id and s.status in ('trialing', 'active') and s.current_period_end > now()
       order by s.current_period_end desc limit 1),
     (select d.id from app_public.plans d where d.is_default limit 1))
$$;


ALTER FUNCTION app_private.effective_plan(user_id uuid) OWNER TO openclaw_maintenance;

--
-- Name: FUNCTION effective_plan(user_id uuid); Type: COMMENT; Schema: app_private; Owner: openclaw_maintenance
--

COMMENT ON FUNCTION app_private.effective_plan(user_id uuid) IS 'The plan whose limits apply to the user now (active subscription, else the default plan; null if neither).';


--
-- Name: end_sessions(uuid, text, uuid, uuid); Type: FUNCTION; Schema: app_private; Owner: openclaw_auth
--

CREATE FUNCTION app_private.end_sessions(user_id uuid, reason text, only_session uuid DEFAULT NULL::uuid, keep uuid DEFAULT NULL::uuid) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_private.end_sessions(user_id uuid, reason text, only_session uuid, keep uuid) OWNER TO openclaw_auth;

--
-- Name: FUNCTION end_sessions(user_id uuid, reason text, only_session uuid, keep uuid); Type: COMMENT; Schema: app_private; Owner: openclaw_auth
--

COMMENT ON FUNCTION app_private.end_sessions(user_id uuid, reason text, only_session uuid, keep uuid) IS 'Ends a user''s sessions (one, or all but one) and their refresh tokens; announces each (session.revoked).';


--
-- Name: json_schema_problem(jsonb, jsonb, text); Type: FUNCTION; Schema: app_private; Owner: openclaw_owner
--

CREATE FUNCTION app_private.json_schema_problem(schema jsonb, value jsonb, path text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
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
$_$;


ALTER FUNCTION app_private.json_schema_problem(schema jsonb, value jsonb, path text) OWNER TO openclaw_owner;

--
-- Name: lock_user_plan(uuid); Type: FUNCTION; Schema: app_private; Owner: openclaw_maintenance
--

CREATE FUNCTION app_private.lock_user_plan(user_id uuid) RETURNS void
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select pg_advisory_xact_lock(hashtextextended('openclaw.plan:' || lock_user_plan.user_id::text, 0))
$$;


ALTER FUNCTION app_private.lock_user_plan(user_id uuid) OWNER TO openclaw_maintenance;

--
-- Name: FUNCTION lock_user_plan(user_id uuid); Type: COMMENT; Schema: app_private; Owner: openclaw_maintenance
--

COMMENT ON FUNCTION app_private.lock_user_plan(user_id uuid) IS 'Serialises plan-limit checks and billing changes of one user until the transaction ends.';


--
-- Name: register_user(text, text, text); Type: FUNCTION; Schema: app_private; Owner: openclaw_auth
--

CREATE FUNCTION app_private.register_user(email text, password text, display_name text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_private.register_user(email text, password text, display_name text) OWNER TO openclaw_auth;

--
-- Name: reset_password(uuid, text); Type: FUNCTION; Schema: app_private; Owner: openclaw_auth
--

CREATE FUNCTION app_private.reset_password(user_id uuid, new_password text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  update app_private.user_secrets s set password_hash = crypt(new_password, gen_salt('bf', 10)), password_changed_at = now()
   where s.user_id = reset_password.user_id;
  perform app_private.end_sessions(reset_password.user_id, 'password_reset');
end;
$$;


ALTER FUNCTION app_private.reset_password(user_id uuid, new_password text) OWNER TO openclaw_auth;

--
-- Name: FUNCTION reset_password(user_id uuid, new_password text); Type: COMMENT; Schema: app_private; Owner: openclaw_auth
--

COMMENT ON FUNCTION app_private.reset_password(user_id uuid, new_password text) IS 'Admin CLI: a new password, and every sign-in of the user ends.';


--
-- Name: sync_quota_limits(uuid); Type: FUNCTION; Schema: app_private; Owner: openclaw_maintenance
--

CREATE FUNCTION app_private.sync_quota_limits(user_id uuid) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_private.sync_quota_limits(user_id uuid) OWNER TO openclaw_maintenance;

--
-- Name: FUNCTION sync_quota_limits(user_id uuid); Type: COMMENT; Schema: app_private; Owner: openclaw_maintenance
--

COMMENT ON FUNCTION app_private.sync_quota_limits(user_id uuid) IS 'Sets the user''s current quota period to their plan''s limits (creating the period if missing); usage is kept.';


--
-- Name: tg__announce(); Type: FUNCTION; Schema: app_private; Owner: openclaw_owner
--

CREATE FUNCTION app_private.tg__announce() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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


ALTER FUNCTION app_private.tg__announce() OWNER TO openclaw_owner;

--
-- Name: tg__audit_change(); Type: FUNCTION; Schema: app_private; Owner: openclaw_auditor
--

CREATE FUNCTION app_private.tg__audit_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_private.tg__audit_change() OWNER TO openclaw_auditor;

--
-- Name: tg__notify_subscribers(); Type: FUNCTION; Schema: app_private; Owner: openclaw_owner
--

CREATE FUNCTION app_private.tg__notify_subscribers() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  perform pg_notify('postgraphile:' || tg_argv[0] || ':' || new.user_id,
    jsonb_build_object('event', tg_argv[1], 'id', new.id)::text);
  return null;
end;
$$;


ALTER FUNCTION app_private.tg__notify_subscribers() OWNER TO openclaw_owner;

--
-- Name: tg__set_updated_at(); Type: FUNCTION; Schema: app_private; Owner: openclaw_owner
--

CREATE FUNCTION app_private.tg__set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  new.updated_at := now();
  return new;
end;
$$;


ALTER FUNCTION app_private.tg__set_updated_at() OWNER TO openclaw_owner;

--
-- Name: tg_approvals__audit(); Type: FUNCTION; Schema: app_private; Owner: openclaw_auditor
--

CREATE FUNCTION app_private.tg_approvals__audit() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  if tg_op = 'UPDATE' and new.status is not distinct from old.status then
    return null;
  end if;
  perform app_private.audit('approvals.' || case when tg_op = 'INSERT' then 'requested' else new.status::text end,
    'app_public.approvals', new.id::text,
    jsonb_build_object('user_id', new.user_id, 'command', new.command, 'device_id', new.device_id, 'run_id', new.run_id,
                       'status', new.status, 'decided_by', new.decided_by, 'decided_at', new.decided_at));
  return null;
end;
$$;


ALTER FUNCTION app_private.tg_approvals__audit() OWNER TO openclaw_auditor;

--
-- Name: tg_approvals__decided_once(); Type: FUNCTION; Schema: app_private; Owner: openclaw_owner
--

CREATE FUNCTION app_private.tg_approvals__decided_once() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if old.status <> 'pending' then
    raise exception 'this confirmation was already decided' using errcode = '55000';
  end if;
  return new;
end;
$$;


ALTER FUNCTION app_private.tg_approvals__decided_once() OWNER TO openclaw_owner;

--
-- Name: tg_audit_log__refuse_change(); Type: FUNCTION; Schema: app_private; Owner: openclaw_owner
--

CREATE FUNCTION app_private.tg_audit_log__refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  raise exception 'audit_log is append-only' using errcode = '42501';
end;
$$;


ALTER FUNCTION app_private.tg_audit_log__refuse_change() OWNER TO openclaw_owner;

--
-- Name: tg_devices__enforce_device_limit(); Type: FUNCTION; Schema: app_private; Owner: openclaw_maintenance
--

CREATE FUNCTION app_private.tg_devices__enforce_device_limit() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_private.tg_devices__enforce_device_limit() OWNER TO openclaw_maintenance;

--
-- Name: FUNCTION tg_devices__enforce_device_limit(); Type: COMMENT; Schema: app_private; Owner: openclaw_maintenance
--

COMMENT ON FUNCTION app_private.tg_devices__enforce_device_limit() IS 'Refuses pairing a device beyond the plan''s devices limit (PLAND), counted under the user''s plan lock.';


--
-- Name: tg_devices__forget_token(); Type: FUNCTION; Schema: app_private; Owner: openclaw_auth
--

CREATE FUNCTION app_private.tg_devices__forget_token() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  delete from app_private.device_token_secrets s where s.device_id = old.id;
  return null;
end;
$$;


ALTER FUNCTION app_private.tg_devices__forget_token() OWNER TO openclaw_auth;

--
-- Name: tg_messages__queue_memory_jobs(); Type: FUNCTION; Schema: app_private; Owner: openclaw_jobs
--

CREATE FUNCTION app_private.tg_messages__queue_memory_jobs() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  if new.role = 'user' and new.status = 'complete' then
    perform graphile_worker.add_job(
      'extract_memories',
      json_build_object('user_id', new.user_id, 'message_id', new.id),
      job_key := 'extract_memories:' || new.id::text
    );
  end if;
  perform graphile_worker.add_job(
    'summarize_conversation',
    json_build_object('user_id', new.user_id, 'conversation_id', new.conversation_id),
    run_at := now() + interval '5 seconds',
    job_key := 'summarize_conversation:' || new.conversation_id::text,
    job_key_mode := 'preserve_run_at'
  );
  return null;
end;
$$;


ALTER FUNCTION app_private.tg_messages__queue_memory_jobs() OWNER TO openclaw_jobs;

--
-- Name: FUNCTION tg_messages__queue_memory_jobs(); Type: COMMENT; Schema: app_private; Owner: openclaw_jobs
--

COMMENT ON FUNCTION app_private.tg_messages__queue_memory_jobs() IS 'Queues extract_memories for a user''s message and (throttled) summarize_conversation for its conversation.';


--
-- Name: tg_subscriptions__sync_quota(); Type: FUNCTION; Schema: app_private; Owner: openclaw_maintenance
--

CREATE FUNCTION app_private.tg_subscriptions__sync_quota() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  perform app_private.sync_quota_limits(new.user_id);
  return null;
end;
$$;


ALTER FUNCTION app_private.tg_subscriptions__sync_quota() OWNER TO openclaw_maintenance;

--
-- Name: FUNCTION tg_subscriptions__sync_quota(); Type: COMMENT; Schema: app_private; Owner: openclaw_maintenance
--

COMMENT ON FUNCTION app_private.tg_subscriptions__sync_quota() IS 'A subscription changed: the user''s current quota period takes the limits of their plan now.';


--
-- Name: tg_system_configs__check_value(); Type: FUNCTION; Schema: app_private; Owner: openclaw_maintenance
--

CREATE FUNCTION app_private.tg_system_configs__check_value() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_private.tg_system_configs__check_value() OWNER TO openclaw_maintenance;

--
-- Name: tg_usage_quotas__seed_storage_used(); Type: FUNCTION; Schema: app_private; Owner: openclaw_maintenance
--

CREATE FUNCTION app_private.tg_usage_quotas__seed_storage_used() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  new.storage_bytes_used := (select coalesce(sum(f.stored_bytes), 0) from app_public.user_files f where f.user_id = new.user_id);
  return new;
end;
$$;


ALTER FUNCTION app_private.tg_usage_quotas__seed_storage_used() OWNER TO openclaw_maintenance;

--
-- Name: FUNCTION tg_usage_quotas__seed_storage_used(); Type: COMMENT; Schema: app_private; Owner: openclaw_maintenance
--

COMMENT ON FUNCTION app_private.tg_usage_quotas__seed_storage_used() IS 'A new quota period starts with the storage the user''s files already take.';


--
-- Name: tg_user_assistant_configs__check_model(); Type: FUNCTION; Schema: app_private; Owner: openclaw_owner
--

CREATE FUNCTION app_private.tg_user_assistant_configs__check_model() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if new.model is not null and not (new.model = any (app_public.allowed_models())) then
    raise exception 'model "%" is not included in your plan', new.model using errcode = 'PLANM';
  end if;
  return new;
end;
$$;


ALTER FUNCTION app_private.tg_user_assistant_configs__check_model() OWNER TO openclaw_owner;

--
-- Name: tg_user_custom_skill_versions__queue_check(); Type: FUNCTION; Schema: app_private; Owner: openclaw_jobs
--

CREATE FUNCTION app_private.tg_user_custom_skill_versions__queue_check() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  perform graphile_worker.add_job(
    'check_skill_package',
    json_build_object('version_id', new.id, 'user_id', new.user_id),
    job_key := 'check_skill_package:' || new.id::text
  );
  return null;
end;
$$;


ALTER FUNCTION app_private.tg_user_custom_skill_versions__queue_check() OWNER TO openclaw_jobs;

--
-- Name: FUNCTION tg_user_custom_skill_versions__queue_check(); Type: COMMENT; Schema: app_private; Owner: openclaw_jobs
--

COMMENT ON FUNCTION app_private.tg_user_custom_skill_versions__queue_check() IS 'Queues the check_skill_package worker job when a skill version''s upload is confirmed (status becomes uploaded).';


--
-- Name: tg_user_files__charge_storage(); Type: FUNCTION; Schema: app_private; Owner: openclaw_maintenance
--

CREATE FUNCTION app_private.tg_user_files__charge_storage() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_private.tg_user_files__charge_storage() OWNER TO openclaw_maintenance;

--
-- Name: FUNCTION tg_user_files__charge_storage(); Type: COMMENT; Schema: app_private; Owner: openclaw_maintenance
--

COMMENT ON FUNCTION app_private.tg_user_files__charge_storage() IS 'Sets what a file counts against storage, refusing a confirmation beyond the plan''s storage limit (PLANS).';


--
-- Name: tg_user_files__count_storage(); Type: FUNCTION; Schema: app_private; Owner: openclaw_maintenance
--

CREATE FUNCTION app_private.tg_user_files__count_storage() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_private.tg_user_files__count_storage() OWNER TO openclaw_maintenance;

--
-- Name: FUNCTION tg_user_files__count_storage(); Type: COMMENT; Schema: app_private; Owner: openclaw_maintenance
--

COMMENT ON FUNCTION app_private.tg_user_files__count_storage() IS 'Keeps usage_quotas.storage_bytes_used (current and later periods) equal to what the user''s files count.';


--
-- Name: tg_user_files__queue_ingest(); Type: FUNCTION; Schema: app_private; Owner: openclaw_jobs
--

CREATE FUNCTION app_private.tg_user_files__queue_ingest() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  perform graphile_worker.add_job(
    'ingest_file',
    json_build_object('file_id', new.id, 'user_id', new.user_id),
    job_key := 'ingest_file:' || new.id::text
  );
  return null;
end;
$$;


ALTER FUNCTION app_private.tg_user_files__queue_ingest() OWNER TO openclaw_jobs;

--
-- Name: FUNCTION tg_user_files__queue_ingest(); Type: COMMENT; Schema: app_private; Owner: openclaw_jobs
--

COMMENT ON FUNCTION app_private.tg_user_files__queue_ingest() IS 'Queues the ingest_file worker job when a file''s upload is confirmed (status becomes uploaded).';


--
-- Name: tg_user_memories__queue_reembed(); Type: FUNCTION; Schema: app_private; Owner: openclaw_jobs
--

CREATE FUNCTION app_private.tg_user_memories__queue_reembed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  perform graphile_worker.add_job(
    'reembed',
    json_build_object('user_id', new.user_id),
    job_key := 'reembed:' || new.user_id::text
  );
  return null;
end;
$$;


ALTER FUNCTION app_private.tg_user_memories__queue_reembed() OWNER TO openclaw_jobs;

--
-- Name: FUNCTION tg_user_memories__queue_reembed(); Type: COMMENT; Schema: app_private; Owner: openclaw_jobs
--

COMMENT ON FUNCTION app_private.tg_user_memories__queue_reembed() IS 'Queues the reembed job of a user who has a memory without an embedding.';


--
-- Name: tg_user_memories__revise(); Type: FUNCTION; Schema: app_private; Owner: openclaw_owner
--

CREATE FUNCTION app_private.tg_user_memories__revise() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if new.content is distinct from old.content then
    -- The memory's owner owns its history (for a tenant, the insert policy holds it to themself).
    insert into app_public.user_memory_revisions (user_id, memory_id, kind, content, source_message_id)
      values (old.user_id, old.id, old.kind, old.content, old.source_message_id);
    if new.embedding is not distinct from old.embedding then
      new.embedding := null;
      new.embedding_model := null;
    end if;
  end if;
  return new;
end;
$$;


ALTER FUNCTION app_private.tg_user_memories__revise() OWNER TO openclaw_owner;

--
-- Name: FUNCTION tg_user_memories__revise(); Type: COMMENT; Schema: app_private; Owner: openclaw_owner
--

COMMENT ON FUNCTION app_private.tg_user_memories__revise() IS 'Keeps the previous text of a memory whose text changes, and drops an embedding made for the old text.';


--
-- Name: tg_users__end_sessions(); Type: FUNCTION; Schema: app_private; Owner: openclaw_auth
--

CREATE FUNCTION app_private.tg_users__end_sessions() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  perform app_private.end_sessions(new.id, tg_argv[0]);
  return null;
end;
$$;


ALTER FUNCTION app_private.tg_users__end_sessions() OWNER TO openclaw_auth;

--
-- Name: verify_password(text, text); Type: FUNCTION; Schema: app_private; Owner: openclaw_auth
--

CREATE FUNCTION app_private.verify_password(email text, password text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_private.verify_password(email text, password text) OWNER TO openclaw_auth;

--
-- Name: admin_cancel_subscription(uuid); Type: FUNCTION; Schema: app_public; Owner: openclaw_owner
--

CREATE FUNCTION app_public.admin_cancel_subscription(subscription_id uuid) RETURNS app_public.subscriptions
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  update app_public.subscriptions s set status = 'canceled', canceled_at = now()
   where s.id = subscription_id and s.status in ('trialing', 'active')
  returning s.*
$$;


ALTER FUNCTION app_public.admin_cancel_subscription(subscription_id uuid) OWNER TO openclaw_owner;

--
-- Name: admin_daily_activity(date, date); Type: FUNCTION; Schema: app_public; Owner: openclaw_owner
--

CREATE FUNCTION app_public.admin_daily_activity(since date DEFAULT (CURRENT_DATE - 29), until date DEFAULT CURRENT_DATE) RETURNS SETOF app_public.daily_activity
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  perform app_hidden.audit_admin_action('daily_activity', jsonb_build_object('since', since, 'until', until));
  return query
    select d::date,
      (select count(distinct m.user_id) from app_public.messages m where m.created_at >= d and m.created_at < d + interval '1 day'),
      (select count(*) from app_public.users u where u.created_at >= d and u.created_at < d + interval '1 day'),
      (select count(*) from app_public.messages m where m.created_at >= d and m.created_at < d + interval '1 day'),
      (select coalesce(sum(coalesce(m.prompt_tokens, 0) + coalesce(m.completion_tokens, 0)), 0)::bigint from app_public.messages m
        where m.created_at >= d and m.created_at < d + interval '1 day')
    from generate_series(since, least(until, since + 366), interval '1 day') d
    order by 1;
end;
$$;


ALTER FUNCTION app_public.admin_daily_activity(since date, until date) OWNER TO openclaw_owner;

--
-- Name: admin_dashboard(); Type: FUNCTION; Schema: app_public; Owner: openclaw_owner
--

CREATE FUNCTION app_public.admin_dashboard() RETURNS app_public.dashboard
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v app_public.dashboard;
begin
  perform app_hidden.audit_admin_action('dashboard');
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
  into v;
  return v;
end;
$$;


ALTER FUNCTION app_public.admin_dashboard() OWNER TO openclaw_owner;

--
-- Name: admin_extend_subscription(uuid, integer); Type: FUNCTION; Schema: app_public; Owner: openclaw_owner
--

CREATE FUNCTION app_public.admin_extend_subscription(subscription_id uuid, days integer) RETURNS app_public.subscriptions
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_public.admin_extend_subscription(subscription_id uuid, days integer) OWNER TO openclaw_owner;

--
-- Name: admin_grant_subscription(uuid, uuid, integer); Type: FUNCTION; Schema: app_public; Owner: openclaw_owner
--

CREATE FUNCTION app_public.admin_grant_subscription(user_id uuid, plan_id uuid, days integer DEFAULT 30) RETURNS app_public.subscriptions
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_public.admin_grant_subscription(user_id uuid, plan_id uuid, days integer) OWNER TO openclaw_owner;

--
-- Name: admin_mark_order_paid(uuid, text); Type: FUNCTION; Schema: app_public; Owner: openclaw_owner
--

CREATE FUNCTION app_public.admin_mark_order_paid(order_id uuid, reference text) RETURNS app_public.orders
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select * from app_hidden.billing_confirm_payment('manual', 'manual:' || order_id || ':' || coalesce(nullif(trim(reference), ''), 'paid'),
    order_id, (select o.amount_cents from app_public.orders o where o.id = admin_mark_order_paid.order_id),
    (select o.currency from app_public.orders o where o.id = admin_mark_order_paid.order_id))
$$;


ALTER FUNCTION app_public.admin_mark_order_paid(order_id uuid, reference text) OWNER TO openclaw_owner;

--
-- Name: FUNCTION admin_mark_order_paid(order_id uuid, reference text); Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON FUNCTION app_public.admin_mark_order_paid(order_id uuid, reference text) IS 'Manual payment provider: confirms a pending order as paid (audited).';


--
-- Name: store_skill_versions; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.store_skill_versions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    store_skill_id uuid NOT NULL,
    author_id uuid DEFAULT app_public.current_user_id(),
    source_version_id uuid,
    version text NOT NULL,
    object_key text NOT NULL,
    sha256 text NOT NULL,
    manifest jsonb DEFAULT '{}'::jsonb NOT NULL,
    review_state app_public.review_state DEFAULT 'pending'::app_public.review_state NOT NULL,
    review_reason text,
    reviewed_by uuid,
    reviewed_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT store_skill_versions_check CHECK (((review_state <> 'rejected'::app_public.review_state) OR (review_reason IS NOT NULL))),
    CONSTRAINT store_skill_versions_manifest_check CHECK (((jsonb_typeof(manifest) = 'object'::text) AND (pg_column_size(manifest) <= 65536))),
    CONSTRAINT store_skill_versions_object_key_check CHECK ((char_length(object_key) <= 1024)),
    CONSTRAINT store_skill_versions_review_reason_check CHECK (((review_reason IS NULL) OR (char_length(review_reason) <= 2000))),
    CONSTRAINT store_skill_versions_sha256_check CHECK ((sha256 ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT store_skill_versions_version_check CHECK ((version ~ '^\d{1,5}\.\d{1,5}\.\d{1,5}(-[0-9A-Za-z.-]{1,40})?$'::text))
);

ALTER TABLE ONLY app_public.store_skill_versions FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.store_skill_versions OWNER TO openclaw_owner;

--
-- Name: TABLE store_skill_versions; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON TABLE app_public.store_skill_versions IS '@behavior -insert
Versions of store skills under review or published. Created by submitSkillVersionToStore.';


--
-- Name: admin_review_store_skill_version(uuid, boolean, text); Type: FUNCTION; Schema: app_public; Owner: openclaw_owner
--

CREATE FUNCTION app_public.admin_review_store_skill_version(version_id uuid, approve boolean, reason text DEFAULT NULL::text) RETURNS app_public.store_skill_versions
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_public.admin_review_store_skill_version(version_id uuid, approve boolean, reason text) OWNER TO openclaw_owner;

--
-- Name: devices; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.devices (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    device_key_id text NOT NULL,
    public_key text NOT NULL,
    name text NOT NULL,
    platform text,
    device_family text,
    client_id text,
    client_version text,
    caps text[] DEFAULT '{}'::text[] NOT NULL,
    commands text[] DEFAULT '{}'::text[] NOT NULL,
    status app_public.device_status DEFAULT 'pending'::app_public.device_status NOT NULL,
    paired_at timestamp with time zone,
    revoked_at timestamp with time zone,
    last_seen_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT devices_caps_check CHECK ((cardinality(caps) <= 100)),
    CONSTRAINT devices_client_id_check CHECK (((client_id IS NULL) OR (char_length(client_id) <= 100))),
    CONSTRAINT devices_client_version_check CHECK (((client_version IS NULL) OR (char_length(client_version) <= 64))),
    CONSTRAINT devices_commands_check CHECK ((cardinality(commands) <= 500)),
    CONSTRAINT devices_device_family_check CHECK (((device_family IS NULL) OR (char_length(device_family) <= 64))),
    CONSTRAINT devices_device_key_id_check CHECK ((device_key_id ~ '^[A-Za-z0-9_-]{16,128}$'::text)),
    CONSTRAINT devices_name_check CHECK (((char_length(name) >= 1) AND (char_length(name) <= 100))),
    CONSTRAINT devices_platform_check CHECK (((platform IS NULL) OR (char_length(platform) <= 64))),
    CONSTRAINT devices_public_key_check CHECK (((char_length(public_key) >= 32) AND (char_length(public_key) <= 200)))
);

ALTER TABLE ONLY app_public.devices FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.devices OWNER TO openclaw_owner;

--
-- Name: TABLE devices; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON TABLE app_public.devices IS '@behavior -insert
A user''s device nodes (OpenClaw node hosts). Presence lives in Redis; this is the durable roster.';


--
-- Name: admin_revoke_device(uuid); Type: FUNCTION; Schema: app_public; Owner: openclaw_auth
--

CREATE FUNCTION app_public.admin_revoke_device(device_id uuid) RETURNS app_public.devices
    LANGUAGE plpgsql STRICT SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_public.admin_revoke_device(device_id uuid) OWNER TO openclaw_auth;

--
-- Name: FUNCTION admin_revoke_device(device_id uuid); Type: COMMENT; Schema: app_public; Owner: openclaw_auth
--

COMMENT ON FUNCTION app_public.admin_revoke_device(device_id uuid) IS 'Admin: revokes any device (audited).';


--
-- Name: users; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.users (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email text NOT NULL,
    display_name text NOT NULL,
    avatar_url text,
    locale text DEFAULT 'en'::text NOT NULL,
    timezone text DEFAULT 'UTC'::text NOT NULL,
    role app_public.user_role DEFAULT 'user'::app_public.user_role NOT NULL,
    status app_public.user_status DEFAULT 'active'::app_public.user_status NOT NULL,
    suspended_reason text,
    last_seen_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT users_avatar_url_check CHECK (((avatar_url IS NULL) OR ((char_length(avatar_url) <= 2000) AND (avatar_url ~ '^https://'::text)))),
    CONSTRAINT users_display_name_check CHECK (((char_length(display_name) >= 1) AND (char_length(display_name) <= 100))),
    CONSTRAINT users_email_check CHECK (((char_length(email) <= 320) AND (email = lower(email)) AND (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'::text))),
    CONSTRAINT users_locale_check CHECK ((locale ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'::text)),
    CONSTRAINT users_suspended_reason_check CHECK (((suspended_reason IS NULL) OR (char_length(suspended_reason) <= 1000))),
    CONSTRAINT users_timezone_check CHECK (((char_length(timezone) >= 1) AND (char_length(timezone) <= 64)))
);

ALTER TABLE ONLY app_public.users FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.users OWNER TO openclaw_owner;

--
-- Name: TABLE users; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON TABLE app_public.users IS 'A person on the platform. Created by app_private.register_user; each user sees only their own row.';


--
-- Name: admin_search_users(text, app_public.user_status); Type: FUNCTION; Schema: app_public; Owner: openclaw_owner
--

CREATE FUNCTION app_public.admin_search_users(query text DEFAULT NULL::text, status app_public.user_status DEFAULT NULL::app_public.user_status) RETURNS SETOF app_public.users
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  perform app_hidden.audit_admin_action('search_users', jsonb_build_object('query', query, 'status', status));
  return query
    select u.* from app_public.users u
    where (query is null or strpos(u.email, lower(query)) > 0 or strpos(lower(u.display_name), lower(query)) > 0)
      and (admin_search_users.status is null or u.status = admin_search_users.status)
    order by u.created_at desc;
end;
$$;


ALTER FUNCTION app_public.admin_search_users(query text, status app_public.user_status) OWNER TO openclaw_owner;

--
-- Name: admin_set_user_role(uuid, app_public.user_role); Type: FUNCTION; Schema: app_public; Owner: openclaw_owner
--

CREATE FUNCTION app_public.admin_set_user_role(user_id uuid, role app_public.user_role) RETURNS app_public.users
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  update app_public.users u set role = admin_set_user_role.role where u.id = admin_set_user_role.user_id returning u.*
$$;


ALTER FUNCTION app_public.admin_set_user_role(user_id uuid, role app_public.user_role) OWNER TO openclaw_owner;

--
-- Name: admin_set_user_status(uuid, app_public.user_status, text); Type: FUNCTION; Schema: app_public; Owner: openclaw_owner
--

CREATE FUNCTION app_public.admin_set_user_status(user_id uuid, status app_public.user_status, reason text DEFAULT NULL::text) RETURNS app_public.users
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  update app_public.users u
     set status = admin_set_user_status.status,
         suspended_reason = case when admin_set_user_status.status = 'suspended' then reason end
   where u.id = admin_set_user_status.user_id
  returning u.*
$$;


ALTER FUNCTION app_public.admin_set_user_status(user_id uuid, status app_public.user_status, reason text) OWNER TO openclaw_owner;

--
-- Name: allowed_models(); Type: FUNCTION; Schema: app_public; Owner: openclaw_owner
--

CREATE FUNCTION app_public.allowed_models() RETURNS text[]
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select coalesce(
    (select p.allowed_models from app_public.subscriptions s join app_public.plans p on p.id = s.plan_id
      where s.user_id = app_public.current_user_id() and s.status in ('trialing', 'active') and s.current_period_end > now()
      order by s.current_period_end desc limit 1),
    (select p.allowed_models from app_public.plans p where p.is_default and p.is_active limit 1),
    '{}')
$$;


ALTER FUNCTION app_public.allowed_models() OWNER TO openclaw_owner;

--
-- Name: FUNCTION allowed_models(); Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON FUNCTION app_public.allowed_models() IS 'The models the signed-in user''s plan lets the assistant use.';


--
-- Name: approve_device_pairing(uuid); Type: FUNCTION; Schema: app_public; Owner: openclaw_auth
--

CREATE FUNCTION app_public.approve_device_pairing(request_id uuid) RETURNS app_public.devices
    LANGUAGE plpgsql STRICT SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_public.approve_device_pairing(request_id uuid) OWNER TO openclaw_auth;

--
-- Name: FUNCTION approve_device_pairing(request_id uuid); Type: COMMENT; Schema: app_public; Owner: openclaw_auth
--

COMMENT ON FUNCTION app_public.approve_device_pairing(request_id uuid) IS 'Approves a pending pairing request: the device joins your roster and its node connects on its next retry.';


--
-- Name: create_order(uuid, text); Type: FUNCTION; Schema: app_public; Owner: openclaw_billing
--

CREATE FUNCTION app_public.create_order(plan_id uuid, coupon_code text DEFAULT NULL::text) RETURNS app_public.orders
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_public.create_order(plan_id uuid, coupon_code text) OWNER TO openclaw_billing;

--
-- Name: FUNCTION create_order(plan_id uuid, coupon_code text); Type: COMMENT; Schema: app_public; Owner: openclaw_billing
--

COMMENT ON FUNCTION app_public.create_order(plan_id uuid, coupon_code text) IS 'Orders a plan for the signed-in user (optionally with a coupon); a payment provider then confirms it.';


--
-- Name: current_user(); Type: FUNCTION; Schema: app_public; Owner: openclaw_owner
--

CREATE FUNCTION app_public."current_user"() RETURNS app_public.users
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select u.* from app_public.users u where u.id = app_public.current_user_id()
$$;


ALTER FUNCTION app_public."current_user"() OWNER TO openclaw_owner;

--
-- Name: FUNCTION "current_user"(); Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON FUNCTION app_public."current_user"() IS 'The signed-in user, or null.';


--
-- Name: issue_node_token(text, boolean); Type: FUNCTION; Schema: app_public; Owner: openclaw_auth
--

CREATE FUNCTION app_public.issue_node_token(label text, auto_approve boolean DEFAULT false) RETURNS app_public.issued_secret
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_public.issue_node_token(label text, auto_approve boolean) OWNER TO openclaw_auth;

--
-- Name: FUNCTION issue_node_token(label text, auto_approve boolean); Type: COMMENT; Schema: app_public; Owner: openclaw_auth
--

COMMENT ON FUNCTION app_public.issue_node_token(label text, auto_approve boolean) IS 'A token your node hosts use to enroll devices. Shown only once; revoke it by setting revokedAt.';


--
-- Name: issue_pairing_code(); Type: FUNCTION; Schema: app_public; Owner: openclaw_auth
--

CREATE FUNCTION app_public.issue_pairing_code() RETURNS app_public.issued_secret
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_public.issue_pairing_code() OWNER TO openclaw_auth;

--
-- Name: FUNCTION issue_pairing_code(); Type: COMMENT; Schema: app_public; Owner: openclaw_auth
--

COMMENT ON FUNCTION app_public.issue_pairing_code() IS 'A single-use code (valid 10 minutes) that pairs a new device to the signed-in user. Shown only once.';


--
-- Name: device_pairing_requests; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.device_pairing_requests (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    node_token_id uuid,
    device_key_id text NOT NULL,
    public_key text NOT NULL,
    name text NOT NULL,
    platform text,
    caps text[] DEFAULT '{}'::text[] NOT NULL,
    commands text[] DEFAULT '{}'::text[] NOT NULL,
    remote_address inet,
    status app_public.pairing_status DEFAULT 'pending'::app_public.pairing_status NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone DEFAULT (now() + '00:10:00'::interval) NOT NULL,
    decided_at timestamp with time zone,
    CONSTRAINT device_pairing_requests_caps_check CHECK ((cardinality(caps) <= 100)),
    CONSTRAINT device_pairing_requests_commands_check CHECK ((cardinality(commands) <= 500)),
    CONSTRAINT device_pairing_requests_device_key_id_check CHECK ((device_key_id ~ '^[A-Za-z0-9_-]{16,128}$'::text)),
    CONSTRAINT device_pairing_requests_name_check CHECK (((char_length(name) >= 1) AND (char_length(name) <= 100))),
    CONSTRAINT device_pairing_requests_platform_check CHECK (((platform IS NULL) OR (char_length(platform) <= 64))),
    CONSTRAINT device_pairing_requests_public_key_check CHECK (((char_length(public_key) >= 32) AND (char_length(public_key) <= 200)))
);

ALTER TABLE ONLY app_public.device_pairing_requests FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.device_pairing_requests OWNER TO openclaw_owner;

--
-- Name: TABLE device_pairing_requests; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON TABLE app_public.device_pairing_requests IS '@behavior -insert -update';


--
-- Name: reject_device_pairing(uuid); Type: FUNCTION; Schema: app_public; Owner: openclaw_auth
--

CREATE FUNCTION app_public.reject_device_pairing(request_id uuid) RETURNS app_public.device_pairing_requests
    LANGUAGE plpgsql STRICT SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_public.reject_device_pairing(request_id uuid) OWNER TO openclaw_auth;

--
-- Name: FUNCTION reject_device_pairing(request_id uuid); Type: COMMENT; Schema: app_public; Owner: openclaw_auth
--

COMMENT ON FUNCTION app_public.reject_device_pairing(request_id uuid) IS 'Rejects a pending pairing request.';


--
-- Name: revoke_device(uuid); Type: FUNCTION; Schema: app_public; Owner: openclaw_auth
--

CREATE FUNCTION app_public.revoke_device(device_id uuid) RETURNS app_public.devices
    LANGUAGE plpgsql STRICT SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_public.revoke_device(device_id uuid) OWNER TO openclaw_auth;

--
-- Name: FUNCTION revoke_device(device_id uuid); Type: COMMENT; Schema: app_public; Owner: openclaw_auth
--

COMMENT ON FUNCTION app_public.revoke_device(device_id uuid) IS 'Revokes one of your devices: its connections close at once and its token stops working for good.';


--
-- Name: node_tokens; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.node_tokens (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    label text NOT NULL,
    auto_approve boolean DEFAULT false NOT NULL,
    last_used_at timestamp with time zone,
    expires_at timestamp with time zone,
    revoked_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT node_tokens_label_check CHECK (((char_length(label) >= 1) AND (char_length(label) <= 100)))
);

ALTER TABLE ONLY app_public.node_tokens FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.node_tokens OWNER TO openclaw_owner;

--
-- Name: TABLE node_tokens; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON TABLE app_public.node_tokens IS '@behavior -insert
Tokens a user gives their node hosts to enroll; a new device under one binds or asks for approval.';


--
-- Name: revoke_node_token(uuid); Type: FUNCTION; Schema: app_public; Owner: openclaw_auth
--

CREATE FUNCTION app_public.revoke_node_token(node_token_id uuid) RETURNS app_public.node_tokens
    LANGUAGE plpgsql STRICT SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_public.revoke_node_token(node_token_id uuid) OWNER TO openclaw_auth;

--
-- Name: FUNCTION revoke_node_token(node_token_id uuid); Type: COMMENT; Schema: app_public; Owner: openclaw_auth
--

COMMENT ON FUNCTION app_public.revoke_node_token(node_token_id uuid) IS 'Revokes one of your node tokens: no new enrolment with it, and the connections it opened close.';


--
-- Name: search_file_chunks(text, public.vector, integer); Type: FUNCTION; Schema: app_public; Owner: openclaw_owner
--

CREATE FUNCTION app_public.search_file_chunks(query text, query_embedding public.vector DEFAULT NULL::public.vector, match_count integer DEFAULT 10) RETURNS TABLE(id uuid, file_id uuid, chunk_index integer, content text, score double precision, vector_rank bigint, text_rank bigint)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select c.id, c.file_id, c.chunk_index, c.content, h.score, h.vector_rank, h.text_rank
  from app_hidden.hybrid_search('file_chunks', query, query_embedding, match_count) h
  join app_public.file_chunks c on c.id = h.id
  order by h.score desc, h.vector_rank nulls last, h.text_rank nulls last, c.id
$$;


ALTER FUNCTION app_public.search_file_chunks(query text, query_embedding public.vector, match_count integer) OWNER TO openclaw_owner;

--
-- Name: FUNCTION search_file_chunks(query text, query_embedding public.vector, match_count integer); Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON FUNCTION app_public.search_file_chunks(query text, query_embedding public.vector, match_count integer) IS 'The caller''s file passages most relevant to a text and/or an embedding, best first (hybrid).';


--
-- Name: search_memories(text, public.vector, integer); Type: FUNCTION; Schema: app_public; Owner: openclaw_owner
--

CREATE FUNCTION app_public.search_memories(query text, query_embedding public.vector DEFAULT NULL::public.vector, match_count integer DEFAULT 10) RETURNS TABLE(id uuid, kind app_public.memory_kind, content text, importance smallint, score double precision, vector_rank bigint, text_rank bigint)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select m.id, m.kind, m.content, m.importance, h.score, h.vector_rank, h.text_rank
  from app_hidden.hybrid_search('user_memories', query, query_embedding, match_count) h
  join app_public.user_memories m on m.id = h.id
  order by h.score desc, h.vector_rank nulls last, h.text_rank nulls last, m.id
$$;


ALTER FUNCTION app_public.search_memories(query text, query_embedding public.vector, match_count integer) OWNER TO openclaw_owner;

--
-- Name: FUNCTION search_memories(query text, query_embedding public.vector, match_count integer); Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON FUNCTION app_public.search_memories(query text, query_embedding public.vector, match_count integer) IS 'The caller''s memories most relevant to a text and/or an embedding, best first (hybrid: vector + full text).';


--
-- Name: system_config_schemas; Type: TABLE; Schema: app_hidden; Owner: openclaw_owner
--

CREATE TABLE app_hidden.system_config_schemas (
    key text NOT NULL,
    schema jsonb NOT NULL,
    CONSTRAINT system_config_schemas_key_check CHECK ((key ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'::text)),
    CONSTRAINT system_config_schemas_schema_check CHECK ((jsonb_typeof(schema) = 'object'::text))
);

ALTER TABLE ONLY app_hidden.system_config_schemas FORCE ROW LEVEL SECURITY;


ALTER TABLE app_hidden.system_config_schemas OWNER TO openclaw_owner;

--
-- Name: TABLE system_config_schemas; Type: COMMENT; Schema: app_hidden; Owner: openclaw_owner
--

COMMENT ON TABLE app_hidden.system_config_schemas IS 'The JSON schema each system setting''s value must satisfy.';


--
-- Name: device_pairing_code_secrets; Type: TABLE; Schema: app_private; Owner: openclaw_owner
--

CREATE TABLE app_private.device_pairing_code_secrets (
    pairing_code_id uuid NOT NULL,
    code_hash bytea NOT NULL,
    CONSTRAINT device_pairing_code_secrets_code_hash_check CHECK ((octet_length(code_hash) = 32))
);

ALTER TABLE ONLY app_private.device_pairing_code_secrets FORCE ROW LEVEL SECURITY;


ALTER TABLE app_private.device_pairing_code_secrets OWNER TO openclaw_owner;

--
-- Name: device_token_secrets; Type: TABLE; Schema: app_private; Owner: openclaw_owner
--

CREATE TABLE app_private.device_token_secrets (
    device_id uuid NOT NULL,
    user_id uuid NOT NULL,
    token_hash bytea NOT NULL,
    issued_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT device_token_secrets_token_hash_check CHECK ((octet_length(token_hash) = 32))
);

ALTER TABLE ONLY app_private.device_token_secrets FORCE ROW LEVEL SECURITY;


ALTER TABLE app_private.device_token_secrets OWNER TO openclaw_owner;

--
-- Name: node_token_secrets; Type: TABLE; Schema: app_private; Owner: openclaw_owner
--

CREATE TABLE app_private.node_token_secrets (
    node_token_id uuid NOT NULL,
    user_id uuid NOT NULL,
    token_hash bytea NOT NULL,
    CONSTRAINT node_token_secrets_token_hash_check CHECK ((octet_length(token_hash) = 32))
);

ALTER TABLE ONLY app_private.node_token_secrets FORCE ROW LEVEL SECURITY;


ALTER TABLE app_private.node_token_secrets OWNER TO openclaw_owner;

--
-- Name: payment_events; Type: TABLE; Schema: app_private; Owner: openclaw_owner
--

CREATE TABLE app_private.payment_events (
    provider text NOT NULL,
    event_id text NOT NULL,
    order_id uuid NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT payment_events_event_id_check CHECK (((char_length(event_id) >= 1) AND (char_length(event_id) <= 200))),
    CONSTRAINT payment_events_provider_check CHECK ((provider ~ '^[a-z][a-z0-9_-]{0,31}$'::text))
);

ALTER TABLE ONLY app_private.payment_events FORCE ROW LEVEL SECURITY;


ALTER TABLE app_private.payment_events OWNER TO openclaw_owner;

--
-- Name: TABLE payment_events; Type: COMMENT; Schema: app_private; Owner: openclaw_owner
--

COMMENT ON TABLE app_private.payment_events IS 'Every payment confirmation applied, so a replayed webhook is refused.';


--
-- Name: refresh_tokens; Type: TABLE; Schema: app_private; Owner: openclaw_owner
--

CREATE TABLE app_private.refresh_tokens (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    family_id uuid NOT NULL,
    token_hash bytea NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    revoked_at timestamp with time zone,
    CONSTRAINT refresh_tokens_token_hash_check CHECK ((octet_length(token_hash) = 32))
);

ALTER TABLE ONLY app_private.refresh_tokens FORCE ROW LEVEL SECURITY;


ALTER TABLE app_private.refresh_tokens OWNER TO openclaw_owner;

--
-- Name: sessions; Type: TABLE; Schema: app_private; Owner: openclaw_owner
--

CREATE TABLE app_private.sessions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    revoked_at timestamp with time zone,
    revoked_reason text,
    CONSTRAINT sessions_revoked_reason_check CHECK (((revoked_reason IS NULL) OR (revoked_reason ~ '^[a-z_]{1,32}$'::text)))
);

ALTER TABLE ONLY app_private.sessions FORCE ROW LEVEL SECURITY;


ALTER TABLE app_private.sessions OWNER TO openclaw_owner;

--
-- Name: TABLE sessions; Type: COMMENT; Schema: app_private; Owner: openclaw_owner
--

COMMENT ON TABLE app_private.sessions IS 'One per sign-in; revoked_at ends it everywhere (the API and gateways check it on each use).';


--
-- Name: user_secrets; Type: TABLE; Schema: app_private; Owner: openclaw_owner
--

CREATE TABLE app_private.user_secrets (
    user_id uuid NOT NULL,
    password_hash text NOT NULL,
    password_changed_at timestamp with time zone DEFAULT now() NOT NULL,
    failed_logins integer DEFAULT 0 NOT NULL,
    last_login_at timestamp with time zone,
    CONSTRAINT user_secrets_failed_logins_check CHECK ((failed_logins >= 0))
);

ALTER TABLE ONLY app_private.user_secrets FORCE ROW LEVEL SECURITY;


ALTER TABLE app_private.user_secrets OWNER TO openclaw_owner;

--
-- Name: approvals; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.approvals (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    device_id uuid,
    conversation_id uuid,
    run_id text,
    command text NOT NULL,
    params jsonb DEFAULT '{}'::jsonb NOT NULL,
    status app_public.approval_status DEFAULT 'pending'::app_public.approval_status NOT NULL,
    reason text,
    requested_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone DEFAULT (now() + '00:02:00'::interval) NOT NULL,
    decided_at timestamp with time zone,
    decided_by text,
    tool_call_id text,
    CONSTRAINT approvals_check CHECK (((status = 'pending'::app_public.approval_status) OR (decided_at IS NOT NULL))),
    CONSTRAINT approvals_command_check CHECK (((char_length(command) >= 1) AND (char_length(command) <= 200))),
    CONSTRAINT approvals_decided_by_check CHECK (((decided_by IS NULL) OR (char_length(decided_by) <= 200))),
    CONSTRAINT approvals_params_check CHECK ((pg_column_size(params) <= 65536)),
    CONSTRAINT approvals_reason_check CHECK (((reason IS NULL) OR (char_length(reason) <= 1000))),
    CONSTRAINT approvals_run_id_check CHECK (((run_id IS NULL) OR (char_length(run_id) <= 200))),
    CONSTRAINT approvals_tool_call_id_check CHECK (((tool_call_id IS NULL) OR (char_length(tool_call_id) <= 200)))
);

ALTER TABLE ONLY app_public.approvals FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.approvals OWNER TO openclaw_owner;

--
-- Name: TABLE approvals; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON TABLE app_public.approvals IS '@behavior -insert -update -delete
Confirmations of sensitive device commands: every request and decision (decided through the gateway).';


--
-- Name: audit_log; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.audit_log (
    id bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    actor_id uuid,
    actor_role text NOT NULL,
    action text NOT NULL,
    target_table text,
    target_id text,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT audit_log_action_check CHECK ((action ~ '^[a-z][a-z0-9_.:-]{0,99}$'::text)),
    CONSTRAINT audit_log_actor_role_check CHECK ((char_length(actor_role) <= 63)),
    CONSTRAINT audit_log_details_check CHECK (((jsonb_typeof(details) = 'object'::text) AND (pg_column_size(details) <= 16384))),
    CONSTRAINT audit_log_target_id_check CHECK (((target_id IS NULL) OR (char_length(target_id) <= 200))),
    CONSTRAINT audit_log_target_table_check CHECK (((target_table IS NULL) OR (char_length(target_table) <= 127)))
);

ALTER TABLE ONLY app_public.audit_log FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.audit_log OWNER TO openclaw_owner;

--
-- Name: TABLE audit_log; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON TABLE app_public.audit_log IS 'Append-only record of admin and security-relevant actions.';


--
-- Name: COLUMN audit_log.actor_id; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.audit_log.actor_id IS 'The user who acted (kept after that user is deleted).';


--
-- Name: audit_log_id_seq; Type: SEQUENCE; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.audit_log ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app_public.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: conversation_summaries; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.conversation_summaries (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    conversation_id uuid NOT NULL,
    up_to_message_id uuid,
    message_count integer NOT NULL,
    summary text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT conversation_summaries_message_count_check CHECK ((message_count > 0)),
    CONSTRAINT conversation_summaries_summary_check CHECK (((char_length(summary) >= 1) AND (char_length(summary) <= 20000)))
);

ALTER TABLE ONLY app_public.conversation_summaries FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.conversation_summaries OWNER TO openclaw_owner;

--
-- Name: TABLE conversation_summaries; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON TABLE app_public.conversation_summaries IS '@behavior -insert -update';


--
-- Name: conversations; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.conversations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    session_key text DEFAULT 'main'::text NOT NULL,
    title text,
    archived_at timestamp with time zone,
    last_message_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT conversations_session_key_check CHECK ((session_key ~ '^[A-Za-z0-9:_.-]{1,200}$'::text)),
    CONSTRAINT conversations_title_check CHECK (((title IS NULL) OR (char_length(title) <= 200)))
);

ALTER TABLE ONLY app_public.conversations FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.conversations OWNER TO openclaw_owner;

--
-- Name: TABLE conversations; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON TABLE app_public.conversations IS 'A chat session (OpenClaw session key) between a user and their assistant.';


--
-- Name: coupons; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.coupons (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    percent_off integer,
    amount_off_cents integer,
    plan_id uuid,
    max_redemptions integer,
    redeemed_count integer DEFAULT 0 NOT NULL,
    valid_from timestamp with time zone DEFAULT now() NOT NULL,
    valid_until timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT coupons_amount_off_cents_check CHECK (((amount_off_cents IS NULL) OR (amount_off_cents > 0))),
    CONSTRAINT coupons_check CHECK (((percent_off IS NULL) <> (amount_off_cents IS NULL))),
    CONSTRAINT coupons_check1 CHECK (((valid_until IS NULL) OR (valid_until > valid_from))),
    CONSTRAINT coupons_code_check CHECK ((code ~ '^[A-Z0-9-]{3,40}$'::text)),
    CONSTRAINT coupons_max_redemptions_check CHECK (((max_redemptions IS NULL) OR (max_redemptions > 0))),
    CONSTRAINT coupons_percent_off_check CHECK (((percent_off IS NULL) OR ((percent_off >= 1) AND (percent_off <= 100)))),
    CONSTRAINT coupons_redeemed_count_check CHECK ((redeemed_count >= 0))
);

ALTER TABLE ONLY app_public.coupons FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.coupons OWNER TO openclaw_owner;

--
-- Name: device_pairing_codes; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.device_pairing_codes (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    expires_at timestamp with time zone DEFAULT (now() + '00:10:00'::interval) NOT NULL,
    used_at timestamp with time zone,
    device_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT device_pairing_codes_check CHECK ((expires_at <= (created_at + '01:00:00'::interval)))
);

ALTER TABLE ONLY app_public.device_pairing_codes FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.device_pairing_codes OWNER TO openclaw_owner;

--
-- Name: TABLE device_pairing_codes; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON TABLE app_public.device_pairing_codes IS '@behavior -insert -update';


--
-- Name: file_chunks; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.file_chunks (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    file_id uuid NOT NULL,
    chunk_index integer NOT NULL,
    content text NOT NULL,
    token_count integer,
    embedding public.vector(384),
    embedding_model text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (app_hidden.search_document(content)) STORED,
    CONSTRAINT file_chunks_check CHECK (((embedding IS NULL) = (embedding_model IS NULL))),
    CONSTRAINT file_chunks_chunk_index_check CHECK ((chunk_index >= 0)),
    CONSTRAINT file_chunks_content_check CHECK (((char_length(content) >= 1) AND (char_length(content) <= 20000))),
    CONSTRAINT file_chunks_embedding_model_check CHECK (((embedding_model IS NULL) OR (char_length(embedding_model) <= 200))),
    CONSTRAINT file_chunks_token_count_check CHECK (((token_count IS NULL) OR (token_count >= 0)))
);

ALTER TABLE ONLY app_public.file_chunks FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.file_chunks OWNER TO openclaw_owner;

--
-- Name: TABLE file_chunks; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON TABLE app_public.file_chunks IS '@behavior -insert -update
Overlapping text chunks of a user''s files with their embeddings.';


--
-- Name: COLUMN file_chunks.embedding; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.file_chunks.embedding IS '@behavior -*';


--
-- Name: COLUMN file_chunks.embedding_model; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.file_chunks.embedding_model IS '@behavior -*';


--
-- Name: COLUMN file_chunks.tsv; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.file_chunks.tsv IS '@behavior -*';


--
-- Name: installed_skills; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.installed_skills (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    store_skill_id uuid,
    store_skill_version_id uuid,
    custom_skill_id uuid,
    enabled boolean DEFAULT true NOT NULL,
    installed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT installed_skills_check CHECK (((store_skill_id IS NULL) <> (custom_skill_id IS NULL)))
);

ALTER TABLE ONLY app_public.installed_skills FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.installed_skills OWNER TO openclaw_owner;

--
-- Name: TABLE installed_skills; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON TABLE app_public.installed_skills IS 'Skills active for a user''s assistant: from the store or their own.';


--
-- Name: messages; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.messages (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    conversation_id uuid NOT NULL,
    role app_public.message_role NOT NULL,
    content text DEFAULT ''::text NOT NULL,
    tool_calls jsonb,
    tool_call_id text,
    run_id text,
    idempotency_key text,
    status app_public.message_status DEFAULT 'complete'::app_public.message_status NOT NULL,
    model text,
    prompt_tokens integer,
    completion_tokens integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    memories_extracted_at timestamp with time zone,
    error text,
    CONSTRAINT messages_completion_tokens_check CHECK (((completion_tokens IS NULL) OR (completion_tokens >= 0))),
    CONSTRAINT messages_content_check CHECK ((char_length(content) <= 200000)),
    CONSTRAINT messages_error_check CHECK (((error IS NULL) OR (char_length(error) <= 2000))),
    CONSTRAINT messages_idempotency_key_check CHECK (((idempotency_key IS NULL) OR ((char_length(idempotency_key) >= 1) AND (char_length(idempotency_key) <= 200)))),
    CONSTRAINT messages_model_check CHECK (((model IS NULL) OR (char_length(model) <= 200))),
    CONSTRAINT messages_prompt_tokens_check CHECK (((prompt_tokens IS NULL) OR (prompt_tokens >= 0))),
    CONSTRAINT messages_run_id_check CHECK (((run_id IS NULL) OR (char_length(run_id) <= 200))),
    CONSTRAINT messages_tool_call_id_check CHECK (((tool_call_id IS NULL) OR (char_length(tool_call_id) <= 200))),
    CONSTRAINT messages_tool_calls_check CHECK (((tool_calls IS NULL) OR ((jsonb_typeof(tool_calls) = 'array'::text) AND (pg_column_size(tool_calls) <= 262144))))
);

ALTER TABLE ONLY app_public.messages FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.messages OWNER TO openclaw_owner;

--
-- Name: TABLE messages; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON TABLE app_public.messages IS '@behavior -insert -update
Every turn of every conversation, persisted before it is acknowledged.';


--
-- Name: COLUMN messages.memories_extracted_at; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.messages.memories_extracted_at IS '@behavior -update -insert
When the worker extracted memories from this message (null: not yet).';


--
-- Name: skill_categories; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.skill_categories (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    slug text NOT NULL,
    name text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    sort_order integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT skill_categories_description_check CHECK ((char_length(description) <= 1000)),
    CONSTRAINT skill_categories_name_check CHECK (((char_length(name) >= 1) AND (char_length(name) <= 100))),
    CONSTRAINT skill_categories_slug_check CHECK ((slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'::text))
);

ALTER TABLE ONLY app_public.skill_categories FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.skill_categories OWNER TO openclaw_owner;

--
-- Name: store_skills; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.store_skills (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    author_id uuid DEFAULT app_public.current_user_id(),
    category_id uuid,
    slug text NOT NULL,
    title text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    is_published boolean DEFAULT false NOT NULL,
    install_count integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT store_skills_description_check CHECK ((char_length(description) <= 4000)),
    CONSTRAINT store_skills_install_count_check CHECK ((install_count >= 0)),
    CONSTRAINT store_skills_slug_check CHECK ((slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'::text)),
    CONSTRAINT store_skills_title_check CHECK (((char_length(title) >= 1) AND (char_length(title) <= 100)))
);

ALTER TABLE ONLY app_public.store_skills FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.store_skills OWNER TO openclaw_owner;

--
-- Name: TABLE store_skills; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON TABLE app_public.store_skills IS 'Skills in the store. Visible to everyone once published; before that only to the author and admins.';


--
-- Name: system_configs; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.system_configs (
    key text NOT NULL,
    value jsonb NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    is_public boolean DEFAULT false NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT system_configs_description_check CHECK ((char_length(description) <= 1000)),
    CONSTRAINT system_configs_key_check CHECK ((key ~ '^[a-z][a-z0-9_.]{0,99}$'::text)),
    CONSTRAINT system_configs_value_check CHECK ((pg_column_size(value) <= 65536))
);

ALTER TABLE ONLY app_public.system_configs FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.system_configs OWNER TO openclaw_owner;

--
-- Name: usage_events; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.usage_events (
    id bigint NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    kind app_public.usage_kind NOT NULL,
    amount bigint NOT NULL,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT usage_events_details_check CHECK (((jsonb_typeof(details) = 'object'::text) AND (pg_column_size(details) <= 4096)))
);

ALTER TABLE ONLY app_public.usage_events FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.usage_events OWNER TO openclaw_owner;

--
-- Name: TABLE usage_events; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON TABLE app_public.usage_events IS '@behavior -insert';


--
-- Name: usage_events_id_seq; Type: SEQUENCE; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.usage_events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app_public.usage_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: user_assistant_configs; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.user_assistant_configs (
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    assistant_name text DEFAULT 'Claw'::text NOT NULL,
    tone text DEFAULT 'friendly'::text NOT NULL,
    language text DEFAULT 'auto'::text NOT NULL,
    instructions text DEFAULT ''::text NOT NULL,
    provider text,
    model text,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    allowed_node_commands text[],
    sensitive_commands text[] DEFAULT '{}'::text[] NOT NULL,
    CONSTRAINT user_assistant_configs_allowed_node_commands_check CHECK (((allowed_node_commands IS NULL) OR (cardinality(allowed_node_commands) <= 500))),
    CONSTRAINT user_assistant_configs_assistant_name_check CHECK (((char_length(assistant_name) >= 1) AND (char_length(assistant_name) <= 50))),
    CONSTRAINT user_assistant_configs_instructions_check CHECK ((char_length(instructions) <= 4000)),
    CONSTRAINT user_assistant_configs_language_check CHECK ((language ~ '^(auto|[a-z]{2,3}(-[A-Za-z0-9]{2,8})*)$'::text)),
    CONSTRAINT user_assistant_configs_model_check CHECK (((model IS NULL) OR (char_length(model) <= 200))),
    CONSTRAINT user_assistant_configs_provider_check CHECK (((provider IS NULL) OR (provider = ANY (ARRAY['local'::text, 'openai'::text, 'anthropic'::text])))),
    CONSTRAINT user_assistant_configs_sensitive_commands_check CHECK ((cardinality(sensitive_commands) <= 200)),
    CONSTRAINT user_assistant_configs_tone_check CHECK (((char_length(tone) >= 1) AND (char_length(tone) <= 200)))
);

ALTER TABLE ONLY app_public.user_assistant_configs FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.user_assistant_configs OWNER TO openclaw_owner;

--
-- Name: TABLE user_assistant_configs; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON TABLE app_public.user_assistant_configs IS 'A user''s assistant persona: name, tone, language, standing instructions and model.';


--
-- Name: COLUMN user_assistant_configs.allowed_node_commands; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.user_assistant_configs.allowed_node_commands IS 'Node commands the assistant and your apps may invoke; null means every command your nodes advertise.';


--
-- Name: COLUMN user_assistant_configs.sensitive_commands; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.user_assistant_configs.sensitive_commands IS 'Node commands the assistant must ask about before running, added to the administrator''s agent.sensitive_commands.';


--
-- Name: user_custom_skill_versions; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.user_custom_skill_versions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    skill_id uuid NOT NULL,
    version text NOT NULL,
    object_key text NOT NULL,
    size_bytes bigint NOT NULL,
    sha256 text,
    manifest jsonb,
    status app_public.skill_version_status DEFAULT 'pending_upload'::app_public.skill_version_status NOT NULL,
    problems text[] DEFAULT '{}'::text[] NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT user_custom_skill_versions_check CHECK ((object_key ~~ (('users/'::text || (user_id)::text) || '/skills/%'::text))),
    CONSTRAINT user_custom_skill_versions_manifest_check CHECK (((manifest IS NULL) OR ((jsonb_typeof(manifest) = 'object'::text) AND (pg_column_size(manifest) <= 65536)))),
    CONSTRAINT user_custom_skill_versions_object_key_check CHECK ((char_length(object_key) <= 1024)),
    CONSTRAINT user_custom_skill_versions_problems_check CHECK ((cardinality(problems) <= 100)),
    CONSTRAINT user_custom_skill_versions_sha256_check CHECK (((sha256 IS NULL) OR (sha256 ~ '^[0-9a-f]{64}$'::text))),
    CONSTRAINT user_custom_skill_versions_size_bytes_check CHECK ((size_bytes >= 0)),
    CONSTRAINT user_custom_skill_versions_version_check CHECK ((version ~ '^\d{1,5}\.\d{1,5}\.\d{1,5}(-[0-9A-Za-z.-]{1,40})?$'::text))
);

ALTER TABLE ONLY app_public.user_custom_skill_versions FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.user_custom_skill_versions OWNER TO openclaw_owner;

--
-- Name: TABLE user_custom_skill_versions; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON TABLE app_public.user_custom_skill_versions IS '@behavior -insert -update -delete
Uploaded packages of a user''s custom skill, one per version; checked by the worker before they can be submitted to the store.';


--
-- Name: COLUMN user_custom_skill_versions.size_bytes; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.user_custom_skill_versions.size_bytes IS '@behavior -update';


--
-- Name: COLUMN user_custom_skill_versions.sha256; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.user_custom_skill_versions.sha256 IS '@behavior -update';


--
-- Name: COLUMN user_custom_skill_versions.manifest; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.user_custom_skill_versions.manifest IS '@behavior -update';


--
-- Name: COLUMN user_custom_skill_versions.status; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.user_custom_skill_versions.status IS '@behavior -update';


--
-- Name: COLUMN user_custom_skill_versions.problems; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.user_custom_skill_versions.problems IS '@behavior -update';


--
-- Name: user_custom_skills; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.user_custom_skills (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    name text NOT NULL,
    title text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT user_custom_skills_description_check CHECK ((char_length(description) <= 2000)),
    CONSTRAINT user_custom_skills_name_check CHECK ((name ~ '^[a-z0-9][a-z0-9-]{0,62}$'::text)),
    CONSTRAINT user_custom_skills_title_check CHECK (((char_length(title) >= 1) AND (char_length(title) <= 100)))
);

ALTER TABLE ONLY app_public.user_custom_skills FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.user_custom_skills OWNER TO openclaw_owner;

--
-- Name: TABLE user_custom_skills; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON TABLE app_public.user_custom_skills IS 'Skills a user writes for their own assistant and devices.';


--
-- Name: user_files; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.user_files (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    object_key text NOT NULL,
    filename text NOT NULL,
    mime_type text NOT NULL,
    size_bytes bigint NOT NULL,
    sha256 text,
    status app_public.file_status DEFAULT 'pending_upload'::app_public.file_status NOT NULL,
    error text,
    page_count integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    stored_bytes bigint DEFAULT 0 NOT NULL,
    CONSTRAINT user_files_check CHECK ((object_key ~~ (('users/'::text || (user_id)::text) || '/files/%'::text))),
    CONSTRAINT user_files_error_check CHECK (((error IS NULL) OR (char_length(error) <= 2000))),
    CONSTRAINT user_files_filename_check CHECK ((((char_length(filename) >= 1) AND (char_length(filename) <= 255)) AND (filename !~ '[/\\]'::text))),
    CONSTRAINT user_files_mime_type_check CHECK (((mime_type ~ '^[a-z0-9.+-]+/[a-z0-9.+-]+$'::text) AND (char_length(mime_type) <= 127))),
    CONSTRAINT user_files_object_key_check CHECK ((char_length(object_key) <= 1024)),
    CONSTRAINT user_files_page_count_check CHECK (((page_count IS NULL) OR (page_count >= 0))),
    CONSTRAINT user_files_sha256_check CHECK (((sha256 IS NULL) OR (sha256 ~ '^[0-9a-f]{64}$'::text))),
    CONSTRAINT user_files_size_bytes_check CHECK ((size_bytes >= 0)),
    CONSTRAINT user_files_stored_bytes_check CHECK ((stored_bytes >= 0))
);

ALTER TABLE ONLY app_public.user_files FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.user_files OWNER TO openclaw_owner;

--
-- Name: TABLE user_files; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON TABLE app_public.user_files IS '@behavior -insert -delete
Documents a user uploaded; ingested into file_chunks for search.';


--
-- Name: COLUMN user_files.size_bytes; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.user_files.size_bytes IS '@behavior -update';


--
-- Name: COLUMN user_files.sha256; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.user_files.sha256 IS '@behavior -update';


--
-- Name: COLUMN user_files.status; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.user_files.status IS '@behavior -update';


--
-- Name: COLUMN user_files.error; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.user_files.error IS '@behavior -update';


--
-- Name: COLUMN user_files.page_count; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.user_files.page_count IS '@behavior -update';


--
-- Name: COLUMN user_files.deleted_at; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.user_files.deleted_at IS '@behavior -update';


--
-- Name: COLUMN user_files.stored_bytes; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.user_files.stored_bytes IS 'Bytes this file counts against your storage quota: its size from confirmation until it is deleted.';


--
-- Name: user_memories; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.user_memories (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    kind app_public.memory_kind DEFAULT 'fact'::app_public.memory_kind NOT NULL,
    content text NOT NULL,
    importance smallint DEFAULT 3 NOT NULL,
    source_message_id uuid,
    embedding public.vector(384),
    embedding_model text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    memory_key text,
    tsv tsvector GENERATED ALWAYS AS (app_hidden.search_document(content)) STORED,
    CONSTRAINT user_memories_check CHECK (((embedding IS NULL) = (embedding_model IS NULL))),
    CONSTRAINT user_memories_content_check CHECK (((char_length(content) >= 1) AND (char_length(content) <= 4000))),
    CONSTRAINT user_memories_embedding_model_check CHECK (((embedding_model IS NULL) OR (char_length(embedding_model) <= 200))),
    CONSTRAINT user_memories_importance_check CHECK (((importance >= 1) AND (importance <= 5))),
    CONSTRAINT user_memories_memory_key_check CHECK (((memory_key IS NULL) OR ((char_length(memory_key) >= 1) AND (char_length(memory_key) <= 200))))
);

ALTER TABLE ONLY app_public.user_memories FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.user_memories OWNER TO openclaw_owner;

--
-- Name: TABLE user_memories; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON TABLE app_public.user_memories IS 'Durable facts and preferences about a user, searchable by meaning and by words.';


--
-- Name: COLUMN user_memories.embedding; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.user_memories.embedding IS '@behavior -*';


--
-- Name: COLUMN user_memories.embedding_model; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.user_memories.embedding_model IS '@behavior -*';


--
-- Name: COLUMN user_memories.memory_key; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.user_memories.memory_key IS 'A slot for facts with one current value (e.g. name, location, pref:coffee): a newer statement updates the memory in that slot.';


--
-- Name: COLUMN user_memories.tsv; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON COLUMN app_public.user_memories.tsv IS '@behavior -*';


--
-- Name: user_memory_revisions; Type: TABLE; Schema: app_public; Owner: openclaw_owner
--

CREATE TABLE app_public.user_memory_revisions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    memory_id uuid NOT NULL,
    kind app_public.memory_kind NOT NULL,
    content text NOT NULL,
    source_message_id uuid,
    replaced_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT user_memory_revisions_content_check CHECK (((char_length(content) >= 1) AND (char_length(content) <= 4000)))
);

ALTER TABLE ONLY app_public.user_memory_revisions FORCE ROW LEVEL SECURITY;


ALTER TABLE app_public.user_memory_revisions OWNER TO openclaw_owner;

--
-- Name: TABLE user_memory_revisions; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON TABLE app_public.user_memory_revisions IS '@behavior -insert -update
Earlier texts of a memory, kept whenever its text changes (by the memory pipeline or by the user).';


--
-- Name: system_config_schemas system_config_schemas_pkey; Type: CONSTRAINT; Schema: app_hidden; Owner: openclaw_owner
--

ALTER TABLE ONLY app_hidden.system_config_schemas
    ADD CONSTRAINT system_config_schemas_pkey PRIMARY KEY (key);


--
-- Name: device_pairing_code_secrets device_pairing_code_secrets_code_hash_key; Type: CONSTRAINT; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE ONLY app_private.device_pairing_code_secrets
    ADD CONSTRAINT device_pairing_code_secrets_code_hash_key UNIQUE (code_hash);


--
-- Name: device_pairing_code_secrets device_pairing_code_secrets_pkey; Type: CONSTRAINT; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE ONLY app_private.device_pairing_code_secrets
    ADD CONSTRAINT device_pairing_code_secrets_pkey PRIMARY KEY (pairing_code_id);


--
-- Name: device_token_secrets device_token_secrets_pkey; Type: CONSTRAINT; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE ONLY app_private.device_token_secrets
    ADD CONSTRAINT device_token_secrets_pkey PRIMARY KEY (device_id);


--
-- Name: device_token_secrets device_token_secrets_token_hash_key; Type: CONSTRAINT; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE ONLY app_private.device_token_secrets
    ADD CONSTRAINT device_token_secrets_token_hash_key UNIQUE (token_hash);


--
-- Name: node_token_secrets node_token_secrets_pkey; Type: CONSTRAINT; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE ONLY app_private.node_token_secrets
    ADD CONSTRAINT node_token_secrets_pkey PRIMARY KEY (node_token_id);


--
-- Name: node_token_secrets node_token_secrets_token_hash_key; Type: CONSTRAINT; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE ONLY app_private.node_token_secrets
    ADD CONSTRAINT node_token_secrets_token_hash_key UNIQUE (token_hash);


--
-- Name: payment_events payment_events_pkey; Type: CONSTRAINT; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE ONLY app_private.payment_events
    ADD CONSTRAINT payment_events_pkey PRIMARY KEY (provider, event_id);


--
-- Name: refresh_tokens refresh_tokens_pkey; Type: CONSTRAINT; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE ONLY app_private.refresh_tokens
    ADD CONSTRAINT refresh_tokens_pkey PRIMARY KEY (id);


--
-- Name: refresh_tokens refresh_tokens_token_hash_key; Type: CONSTRAINT; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE ONLY app_private.refresh_tokens
    ADD CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash);


--
-- Name: sessions sessions_pkey; Type: CONSTRAINT; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE ONLY app_private.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (id);


--
-- Name: user_secrets user_secrets_pkey; Type: CONSTRAINT; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE ONLY app_private.user_secrets
    ADD CONSTRAINT user_secrets_pkey PRIMARY KEY (user_id);


--
-- Name: approvals approvals_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.approvals
    ADD CONSTRAINT approvals_pkey PRIMARY KEY (id);


--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);


--
-- Name: conversation_summaries conversation_summaries_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.conversation_summaries
    ADD CONSTRAINT conversation_summaries_pkey PRIMARY KEY (id);


--
-- Name: conversations conversations_id_user_id_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.conversations
    ADD CONSTRAINT conversations_id_user_id_key UNIQUE (id, user_id);


--
-- Name: CONSTRAINT conversations_id_user_id_key ON conversations; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON CONSTRAINT conversations_id_user_id_key ON app_public.conversations IS '@behavior -*';


--
-- Name: conversations conversations_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.conversations
    ADD CONSTRAINT conversations_pkey PRIMARY KEY (id);


--
-- Name: conversations conversations_user_id_session_key_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.conversations
    ADD CONSTRAINT conversations_user_id_session_key_key UNIQUE (user_id, session_key);


--
-- Name: coupons coupons_code_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.coupons
    ADD CONSTRAINT coupons_code_key UNIQUE (code);


--
-- Name: coupons coupons_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.coupons
    ADD CONSTRAINT coupons_pkey PRIMARY KEY (id);


--
-- Name: device_pairing_codes device_pairing_codes_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.device_pairing_codes
    ADD CONSTRAINT device_pairing_codes_pkey PRIMARY KEY (id);


--
-- Name: device_pairing_requests device_pairing_requests_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.device_pairing_requests
    ADD CONSTRAINT device_pairing_requests_pkey PRIMARY KEY (id);


--
-- Name: devices devices_id_user_id_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.devices
    ADD CONSTRAINT devices_id_user_id_key UNIQUE (id, user_id);


--
-- Name: CONSTRAINT devices_id_user_id_key ON devices; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON CONSTRAINT devices_id_user_id_key ON app_public.devices IS '@behavior -*';


--
-- Name: devices devices_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.devices
    ADD CONSTRAINT devices_pkey PRIMARY KEY (id);


--
-- Name: devices devices_user_id_device_key_id_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.devices
    ADD CONSTRAINT devices_user_id_device_key_id_key UNIQUE (user_id, device_key_id);


--
-- Name: file_chunks file_chunks_file_id_chunk_index_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.file_chunks
    ADD CONSTRAINT file_chunks_file_id_chunk_index_key UNIQUE (file_id, chunk_index);


--
-- Name: file_chunks file_chunks_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.file_chunks
    ADD CONSTRAINT file_chunks_pkey PRIMARY KEY (id);


--
-- Name: installed_skills installed_skills_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.installed_skills
    ADD CONSTRAINT installed_skills_pkey PRIMARY KEY (id);


--
-- Name: installed_skills installed_skills_user_id_custom_skill_id_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.installed_skills
    ADD CONSTRAINT installed_skills_user_id_custom_skill_id_key UNIQUE (user_id, custom_skill_id);


--
-- Name: installed_skills installed_skills_user_id_store_skill_id_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.installed_skills
    ADD CONSTRAINT installed_skills_user_id_store_skill_id_key UNIQUE (user_id, store_skill_id);


--
-- Name: messages messages_id_user_id_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.messages
    ADD CONSTRAINT messages_id_user_id_key UNIQUE (id, user_id);


--
-- Name: CONSTRAINT messages_id_user_id_key ON messages; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON CONSTRAINT messages_id_user_id_key ON app_public.messages IS '@behavior -*';


--
-- Name: messages messages_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.messages
    ADD CONSTRAINT messages_pkey PRIMARY KEY (id);


--
-- Name: messages messages_user_id_idempotency_key_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.messages
    ADD CONSTRAINT messages_user_id_idempotency_key_key UNIQUE (user_id, idempotency_key);


--
-- Name: node_tokens node_tokens_id_user_id_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.node_tokens
    ADD CONSTRAINT node_tokens_id_user_id_key UNIQUE (id, user_id);


--
-- Name: CONSTRAINT node_tokens_id_user_id_key ON node_tokens; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON CONSTRAINT node_tokens_id_user_id_key ON app_public.node_tokens IS '@behavior -*';


--
-- Name: node_tokens node_tokens_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.node_tokens
    ADD CONSTRAINT node_tokens_pkey PRIMARY KEY (id);


--
-- Name: orders orders_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);


--
-- Name: plans plans_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.plans
    ADD CONSTRAINT plans_pkey PRIMARY KEY (id);


--
-- Name: plans plans_slug_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.plans
    ADD CONSTRAINT plans_slug_key UNIQUE (slug);


--
-- Name: skill_categories skill_categories_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.skill_categories
    ADD CONSTRAINT skill_categories_pkey PRIMARY KEY (id);


--
-- Name: skill_categories skill_categories_slug_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.skill_categories
    ADD CONSTRAINT skill_categories_slug_key UNIQUE (slug);


--
-- Name: store_skill_versions store_skill_versions_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.store_skill_versions
    ADD CONSTRAINT store_skill_versions_pkey PRIMARY KEY (id);


--
-- Name: store_skill_versions store_skill_versions_store_skill_id_version_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.store_skill_versions
    ADD CONSTRAINT store_skill_versions_store_skill_id_version_key UNIQUE (store_skill_id, version);


--
-- Name: store_skills store_skills_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.store_skills
    ADD CONSTRAINT store_skills_pkey PRIMARY KEY (id);


--
-- Name: store_skills store_skills_slug_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.store_skills
    ADD CONSTRAINT store_skills_slug_key UNIQUE (slug);


--
-- Name: subscriptions subscriptions_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.subscriptions
    ADD CONSTRAINT subscriptions_pkey PRIMARY KEY (id);


--
-- Name: system_configs system_configs_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.system_configs
    ADD CONSTRAINT system_configs_pkey PRIMARY KEY (key);


--
-- Name: usage_events usage_events_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.usage_events
    ADD CONSTRAINT usage_events_pkey PRIMARY KEY (id);


--
-- Name: usage_quotas usage_quotas_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.usage_quotas
    ADD CONSTRAINT usage_quotas_pkey PRIMARY KEY (id);


--
-- Name: usage_quotas usage_quotas_user_id_period_start_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.usage_quotas
    ADD CONSTRAINT usage_quotas_user_id_period_start_key UNIQUE (user_id, period_start);


--
-- Name: user_assistant_configs user_assistant_configs_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_assistant_configs
    ADD CONSTRAINT user_assistant_configs_pkey PRIMARY KEY (user_id);


--
-- Name: user_custom_skill_versions user_custom_skill_versions_id_user_id_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_custom_skill_versions
    ADD CONSTRAINT user_custom_skill_versions_id_user_id_key UNIQUE (id, user_id);


--
-- Name: CONSTRAINT user_custom_skill_versions_id_user_id_key ON user_custom_skill_versions; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON CONSTRAINT user_custom_skill_versions_id_user_id_key ON app_public.user_custom_skill_versions IS '@behavior -*';


--
-- Name: user_custom_skill_versions user_custom_skill_versions_object_key_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_custom_skill_versions
    ADD CONSTRAINT user_custom_skill_versions_object_key_key UNIQUE (object_key);


--
-- Name: user_custom_skill_versions user_custom_skill_versions_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_custom_skill_versions
    ADD CONSTRAINT user_custom_skill_versions_pkey PRIMARY KEY (id);


--
-- Name: user_custom_skill_versions user_custom_skill_versions_skill_id_version_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_custom_skill_versions
    ADD CONSTRAINT user_custom_skill_versions_skill_id_version_key UNIQUE (skill_id, version);


--
-- Name: user_custom_skills user_custom_skills_id_user_id_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_custom_skills
    ADD CONSTRAINT user_custom_skills_id_user_id_key UNIQUE (id, user_id);


--
-- Name: CONSTRAINT user_custom_skills_id_user_id_key ON user_custom_skills; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON CONSTRAINT user_custom_skills_id_user_id_key ON app_public.user_custom_skills IS '@behavior -*';


--
-- Name: user_custom_skills user_custom_skills_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_custom_skills
    ADD CONSTRAINT user_custom_skills_pkey PRIMARY KEY (id);


--
-- Name: user_custom_skills user_custom_skills_user_id_name_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_custom_skills
    ADD CONSTRAINT user_custom_skills_user_id_name_key UNIQUE (user_id, name);


--
-- Name: user_files user_files_id_user_id_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_files
    ADD CONSTRAINT user_files_id_user_id_key UNIQUE (id, user_id);


--
-- Name: CONSTRAINT user_files_id_user_id_key ON user_files; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON CONSTRAINT user_files_id_user_id_key ON app_public.user_files IS '@behavior -*';


--
-- Name: user_files user_files_object_key_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_files
    ADD CONSTRAINT user_files_object_key_key UNIQUE (object_key);


--
-- Name: user_files user_files_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_files
    ADD CONSTRAINT user_files_pkey PRIMARY KEY (id);


--
-- Name: user_memories user_memories_id_user_id_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_memories
    ADD CONSTRAINT user_memories_id_user_id_key UNIQUE (id, user_id);


--
-- Name: user_memories user_memories_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_memories
    ADD CONSTRAINT user_memories_pkey PRIMARY KEY (id);


--
-- Name: user_memory_revisions user_memory_revisions_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_memory_revisions
    ADD CONSTRAINT user_memory_revisions_pkey PRIMARY KEY (id);


--
-- Name: users users_email_key; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.users
    ADD CONSTRAINT users_email_key UNIQUE (email);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: device_token_secrets_user_idx; Type: INDEX; Schema: app_private; Owner: openclaw_owner
--

CREATE INDEX device_token_secrets_user_idx ON app_private.device_token_secrets USING btree (user_id);


--
-- Name: node_token_secrets_user_idx; Type: INDEX; Schema: app_private; Owner: openclaw_owner
--

CREATE INDEX node_token_secrets_user_idx ON app_private.node_token_secrets USING btree (user_id);


--
-- Name: payment_events_order_id_idx; Type: INDEX; Schema: app_private; Owner: openclaw_owner
--

CREATE INDEX payment_events_order_id_idx ON app_private.payment_events USING btree (order_id);


--
-- Name: refresh_tokens_family_id_idx; Type: INDEX; Schema: app_private; Owner: openclaw_owner
--

CREATE INDEX refresh_tokens_family_id_idx ON app_private.refresh_tokens USING btree (family_id);


--
-- Name: refresh_tokens_user_id_idx; Type: INDEX; Schema: app_private; Owner: openclaw_owner
--

CREATE INDEX refresh_tokens_user_id_idx ON app_private.refresh_tokens USING btree (user_id);


--
-- Name: sessions_user_id_idx; Type: INDEX; Schema: app_private; Owner: openclaw_owner
--

CREATE INDEX sessions_user_id_idx ON app_private.sessions USING btree (user_id);


--
-- Name: approvals_conversation_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX approvals_conversation_idx ON app_public.approvals USING btree (conversation_id, user_id);


--
-- Name: approvals_device_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX approvals_device_idx ON app_public.approvals USING btree (device_id, user_id);


--
-- Name: approvals_run_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX approvals_run_idx ON app_public.approvals USING btree (user_id, run_id) WHERE (run_id IS NOT NULL);


--
-- Name: approvals_user_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX approvals_user_id_idx ON app_public.approvals USING btree (user_id, status);


--
-- Name: audit_log_action_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX audit_log_action_idx ON app_public.audit_log USING btree (action);


--
-- Name: audit_log_actor_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX audit_log_actor_id_idx ON app_public.audit_log USING btree (actor_id);


--
-- Name: audit_log_created_at_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX audit_log_created_at_idx ON app_public.audit_log USING btree (created_at DESC);


--
-- Name: conversation_summaries_conversation_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX conversation_summaries_conversation_idx ON app_public.conversation_summaries USING btree (conversation_id, user_id, created_at DESC);


--
-- Name: conversation_summaries_message_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX conversation_summaries_message_idx ON app_public.conversation_summaries USING btree (up_to_message_id, user_id);


--
-- Name: conversation_summaries_user_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX conversation_summaries_user_id_idx ON app_public.conversation_summaries USING btree (user_id);


--
-- Name: conversations_user_recent_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX conversations_user_recent_idx ON app_public.conversations USING btree (user_id, last_message_at DESC NULLS LAST);


--
-- Name: coupons_plan_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX coupons_plan_id_idx ON app_public.coupons USING btree (plan_id);


--
-- Name: device_pairing_codes_device_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX device_pairing_codes_device_idx ON app_public.device_pairing_codes USING btree (device_id, user_id);


--
-- Name: device_pairing_codes_expires_at_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX device_pairing_codes_expires_at_idx ON app_public.device_pairing_codes USING btree (expires_at);


--
-- Name: device_pairing_codes_user_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX device_pairing_codes_user_id_idx ON app_public.device_pairing_codes USING btree (user_id);


--
-- Name: device_pairing_requests_node_token_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX device_pairing_requests_node_token_idx ON app_public.device_pairing_requests USING btree (node_token_id, user_id);


--
-- Name: device_pairing_requests_one_pending; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE UNIQUE INDEX device_pairing_requests_one_pending ON app_public.device_pairing_requests USING btree (user_id, device_key_id) WHERE (status = 'pending'::app_public.pairing_status);


--
-- Name: device_pairing_requests_user_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX device_pairing_requests_user_id_idx ON app_public.device_pairing_requests USING btree (user_id, status);


--
-- Name: devices_user_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX devices_user_id_idx ON app_public.devices USING btree (user_id);


--
-- Name: file_chunks_embedding_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX file_chunks_embedding_idx ON app_public.file_chunks USING hnsw (embedding public.vector_cosine_ops);


--
-- Name: file_chunks_file_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX file_chunks_file_idx ON app_public.file_chunks USING btree (file_id, user_id);


--
-- Name: file_chunks_tsv_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX file_chunks_tsv_idx ON app_public.file_chunks USING gin (tsv);


--
-- Name: file_chunks_user_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX file_chunks_user_id_idx ON app_public.file_chunks USING btree (user_id);


--
-- Name: installed_skills_custom_skill_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX installed_skills_custom_skill_idx ON app_public.installed_skills USING btree (custom_skill_id, user_id);


--
-- Name: installed_skills_store_skill_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX installed_skills_store_skill_idx ON app_public.installed_skills USING btree (store_skill_id);


--
-- Name: installed_skills_store_version_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX installed_skills_store_version_idx ON app_public.installed_skills USING btree (store_skill_version_id);


--
-- Name: messages_conversation_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX messages_conversation_idx ON app_public.messages USING btree (conversation_id, user_id, created_at);


--
-- Name: messages_run_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX messages_run_id_idx ON app_public.messages USING btree (user_id, run_id) WHERE (run_id IS NOT NULL);


--
-- Name: messages_user_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX messages_user_id_idx ON app_public.messages USING btree (user_id, created_at);


--
-- Name: node_tokens_user_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX node_tokens_user_id_idx ON app_public.node_tokens USING btree (user_id);


--
-- Name: orders_coupon_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX orders_coupon_id_idx ON app_public.orders USING btree (coupon_id);


--
-- Name: orders_plan_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX orders_plan_id_idx ON app_public.orders USING btree (plan_id);


--
-- Name: orders_user_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX orders_user_id_idx ON app_public.orders USING btree (user_id, created_at DESC);


--
-- Name: plans_is_active_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX plans_is_active_idx ON app_public.plans USING btree (is_active);


--
-- Name: plans_one_default; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE UNIQUE INDEX plans_one_default ON app_public.plans USING btree (is_default) WHERE is_default;


--
-- Name: store_skill_versions_author_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX store_skill_versions_author_id_idx ON app_public.store_skill_versions USING btree (author_id);


--
-- Name: store_skill_versions_review_state_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX store_skill_versions_review_state_idx ON app_public.store_skill_versions USING btree (review_state);


--
-- Name: store_skill_versions_reviewed_by_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX store_skill_versions_reviewed_by_idx ON app_public.store_skill_versions USING btree (reviewed_by);


--
-- Name: store_skill_versions_skill_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX store_skill_versions_skill_idx ON app_public.store_skill_versions USING btree (store_skill_id, review_state);


--
-- Name: store_skill_versions_source_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX store_skill_versions_source_idx ON app_public.store_skill_versions USING btree (source_version_id);


--
-- Name: store_skills_author_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX store_skills_author_id_idx ON app_public.store_skills USING btree (author_id);


--
-- Name: store_skills_category_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX store_skills_category_id_idx ON app_public.store_skills USING btree (category_id);


--
-- Name: store_skills_published_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX store_skills_published_idx ON app_public.store_skills USING btree (is_published);


--
-- Name: subscriptions_one_current; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE UNIQUE INDEX subscriptions_one_current ON app_public.subscriptions USING btree (user_id) WHERE (status = ANY (ARRAY['trialing'::app_public.subscription_status, 'active'::app_public.subscription_status]));


--
-- Name: subscriptions_plan_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX subscriptions_plan_id_idx ON app_public.subscriptions USING btree (plan_id);


--
-- Name: subscriptions_user_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX subscriptions_user_id_idx ON app_public.subscriptions USING btree (user_id, current_period_end DESC);


--
-- Name: system_configs_is_public_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX system_configs_is_public_idx ON app_public.system_configs USING btree (is_public);


--
-- Name: usage_events_created_at_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX usage_events_created_at_idx ON app_public.usage_events USING btree (created_at);


--
-- Name: usage_events_user_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX usage_events_user_id_idx ON app_public.usage_events USING btree (user_id, created_at);


--
-- Name: user_custom_skill_versions_skill_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX user_custom_skill_versions_skill_idx ON app_public.user_custom_skill_versions USING btree (skill_id, user_id);


--
-- Name: user_custom_skill_versions_user_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX user_custom_skill_versions_user_id_idx ON app_public.user_custom_skill_versions USING btree (user_id);


--
-- Name: user_files_status_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX user_files_status_idx ON app_public.user_files USING btree (status) WHERE (status = ANY (ARRAY['uploaded'::app_public.file_status, 'processing'::app_public.file_status, 'deleted'::app_public.file_status]));


--
-- Name: user_files_user_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX user_files_user_id_idx ON app_public.user_files USING btree (user_id, created_at DESC);


--
-- Name: user_memories_embedding_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX user_memories_embedding_idx ON app_public.user_memories USING hnsw (embedding public.vector_cosine_ops);


--
-- Name: user_memories_key_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE UNIQUE INDEX user_memories_key_idx ON app_public.user_memories USING btree (user_id, memory_key) WHERE (memory_key IS NOT NULL);


--
-- Name: user_memories_source_message_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX user_memories_source_message_idx ON app_public.user_memories USING btree (source_message_id, user_id);


--
-- Name: user_memories_tsv_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX user_memories_tsv_idx ON app_public.user_memories USING gin (tsv);


--
-- Name: user_memories_user_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX user_memories_user_id_idx ON app_public.user_memories USING btree (user_id);


--
-- Name: user_memory_revisions_memory_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX user_memory_revisions_memory_idx ON app_public.user_memory_revisions USING btree (memory_id, user_id, replaced_at);


--
-- Name: user_memory_revisions_message_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX user_memory_revisions_message_idx ON app_public.user_memory_revisions USING btree (source_message_id, user_id);


--
-- Name: user_memory_revisions_user_id_idx; Type: INDEX; Schema: app_public; Owner: openclaw_owner
--

CREATE INDEX user_memory_revisions_user_id_idx ON app_public.user_memory_revisions USING btree (user_id);


--
-- Name: sessions _800_announce_revoked; Type: TRIGGER; Schema: app_private; Owner: openclaw_owner
--

CREATE TRIGGER _800_announce_revoked AFTER UPDATE OF revoked_at ON app_private.sessions FOR EACH ROW WHEN (((new.revoked_at IS NOT NULL) AND (old.revoked_at IS NULL))) EXECUTE FUNCTION app_private.tg__announce('session.revoked');


--
-- Name: audit_log _100_append_only; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _100_append_only BEFORE DELETE OR UPDATE ON app_public.audit_log FOR EACH STATEMENT EXECUTE FUNCTION app_private.tg_audit_log__refuse_change();


--
-- Name: audit_log _100_append_only_truncate; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _100_append_only_truncate BEFORE TRUNCATE ON app_public.audit_log FOR EACH STATEMENT EXECUTE FUNCTION app_private.tg_audit_log__refuse_change();


--
-- Name: conversations _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _100_timestamps BEFORE UPDATE ON app_public.conversations FOR EACH ROW EXECUTE FUNCTION app_private.tg__set_updated_at();


--
-- Name: devices _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _100_timestamps BEFORE UPDATE ON app_public.devices FOR EACH ROW EXECUTE FUNCTION app_private.tg__set_updated_at();


--
-- Name: orders _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _100_timestamps BEFORE UPDATE ON app_public.orders FOR EACH ROW EXECUTE FUNCTION app_private.tg__set_updated_at();


--
-- Name: plans _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _100_timestamps BEFORE UPDATE ON app_public.plans FOR EACH ROW EXECUTE FUNCTION app_private.tg__set_updated_at();


--
-- Name: store_skills _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _100_timestamps BEFORE UPDATE ON app_public.store_skills FOR EACH ROW EXECUTE FUNCTION app_private.tg__set_updated_at();


--
-- Name: subscriptions _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _100_timestamps BEFORE UPDATE ON app_public.subscriptions FOR EACH ROW EXECUTE FUNCTION app_private.tg__set_updated_at();


--
-- Name: system_configs _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _100_timestamps BEFORE UPDATE ON app_public.system_configs FOR EACH ROW EXECUTE FUNCTION app_private.tg__set_updated_at();


--
-- Name: usage_quotas _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _100_timestamps BEFORE UPDATE ON app_public.usage_quotas FOR EACH ROW EXECUTE FUNCTION app_private.tg__set_updated_at();


--
-- Name: user_assistant_configs _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _100_timestamps BEFORE UPDATE ON app_public.user_assistant_configs FOR EACH ROW EXECUTE FUNCTION app_private.tg__set_updated_at();


--
-- Name: user_custom_skills _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _100_timestamps BEFORE UPDATE ON app_public.user_custom_skills FOR EACH ROW EXECUTE FUNCTION app_private.tg__set_updated_at();


--
-- Name: user_files _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _100_timestamps BEFORE UPDATE ON app_public.user_files FOR EACH ROW EXECUTE FUNCTION app_private.tg__set_updated_at();


--
-- Name: user_memories _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _100_timestamps BEFORE UPDATE ON app_public.user_memories FOR EACH ROW EXECUTE FUNCTION app_private.tg__set_updated_at();


--
-- Name: users _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _100_timestamps BEFORE UPDATE ON app_public.users FOR EACH ROW EXECUTE FUNCTION app_private.tg__set_updated_at();


--
-- Name: user_assistant_configs _200_check_model; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _200_check_model BEFORE INSERT OR UPDATE OF model ON app_public.user_assistant_configs FOR EACH ROW EXECUTE FUNCTION app_private.tg_user_assistant_configs__check_model();


--
-- Name: system_configs _200_check_value; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _200_check_value BEFORE INSERT OR UPDATE OF key, value ON app_public.system_configs FOR EACH ROW EXECUTE FUNCTION app_private.tg_system_configs__check_value();


--
-- Name: approvals _200_decided_once; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _200_decided_once BEFORE UPDATE ON app_public.approvals FOR EACH ROW EXECUTE FUNCTION app_private.tg_approvals__decided_once();


--
-- Name: user_memories _200_revise; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _200_revise BEFORE UPDATE ON app_public.user_memories FOR EACH ROW EXECUTE FUNCTION app_private.tg_user_memories__revise();


--
-- Name: usage_quotas _200_seed_storage_used; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _200_seed_storage_used BEFORE INSERT ON app_public.usage_quotas FOR EACH ROW EXECUTE FUNCTION app_private.tg_usage_quotas__seed_storage_used();


--
-- Name: user_files _300_charge_storage; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _300_charge_storage BEFORE INSERT OR UPDATE ON app_public.user_files FOR EACH ROW EXECUTE FUNCTION app_private.tg_user_files__charge_storage();


--
-- Name: devices _300_device_limit; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _300_device_limit BEFORE INSERT OR UPDATE OF status ON app_public.devices FOR EACH ROW EXECUTE FUNCTION app_private.tg_devices__enforce_device_limit();


--
-- Name: user_custom_skill_versions _500_queue_check; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _500_queue_check AFTER UPDATE OF status ON app_public.user_custom_skill_versions FOR EACH ROW WHEN (((new.status = 'uploaded'::app_public.skill_version_status) AND (old.status IS DISTINCT FROM 'uploaded'::app_public.skill_version_status))) EXECUTE FUNCTION app_private.tg_user_custom_skill_versions__queue_check();


--
-- Name: user_files _500_queue_ingest; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _500_queue_ingest AFTER UPDATE OF status ON app_public.user_files FOR EACH ROW WHEN (((new.status = 'uploaded'::app_public.file_status) AND (old.status IS DISTINCT FROM 'uploaded'::app_public.file_status))) EXECUTE FUNCTION app_private.tg_user_files__queue_ingest();


--
-- Name: messages _500_queue_memory_jobs; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _500_queue_memory_jobs AFTER INSERT ON app_public.messages FOR EACH ROW EXECUTE FUNCTION app_private.tg_messages__queue_memory_jobs();


--
-- Name: user_memories _500_queue_reembed; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _500_queue_reembed AFTER INSERT OR UPDATE ON app_public.user_memories FOR EACH ROW WHEN ((new.embedding IS NULL)) EXECUTE FUNCTION app_private.tg_user_memories__queue_reembed();


--
-- Name: user_files _600_count_storage_deleted; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _600_count_storage_deleted AFTER DELETE ON app_public.user_files FOR EACH ROW WHEN ((old.stored_bytes > 0)) EXECUTE FUNCTION app_private.tg_user_files__count_storage();


--
-- Name: user_files _600_count_storage_inserted; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _600_count_storage_inserted AFTER INSERT ON app_public.user_files FOR EACH ROW WHEN ((new.stored_bytes > 0)) EXECUTE FUNCTION app_private.tg_user_files__count_storage();


--
-- Name: user_files _600_count_storage_updated; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _600_count_storage_updated AFTER UPDATE ON app_public.user_files FOR EACH ROW WHEN ((new.stored_bytes <> old.stored_bytes)) EXECUTE FUNCTION app_private.tg_user_files__count_storage();


--
-- Name: subscriptions _600_sync_quota; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _600_sync_quota AFTER INSERT OR UPDATE OF plan_id, status, current_period_end ON app_public.subscriptions FOR EACH ROW EXECUTE FUNCTION app_private.tg_subscriptions__sync_quota();


--
-- Name: users _700_end_sessions_role; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _700_end_sessions_role AFTER UPDATE OF role ON app_public.users FOR EACH ROW WHEN ((new.role IS DISTINCT FROM old.role)) EXECUTE FUNCTION app_private.tg_users__end_sessions('role_changed');


--
-- Name: users _700_end_sessions_suspended; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _700_end_sessions_suspended AFTER UPDATE OF status ON app_public.users FOR EACH ROW WHEN (((new.status = 'suspended'::app_public.user_status) AND (old.status IS DISTINCT FROM 'suspended'::app_public.user_status))) EXECUTE FUNCTION app_private.tg_users__end_sessions('suspended');


--
-- Name: devices _700_forget_token; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _700_forget_token AFTER UPDATE OF status ON app_public.devices FOR EACH ROW WHEN (((new.status = 'revoked'::app_public.device_status) AND (old.status IS DISTINCT FROM 'revoked'::app_public.device_status))) EXECUTE FUNCTION app_private.tg_devices__forget_token();


--
-- Name: installed_skills _800_announce; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _800_announce AFTER INSERT OR DELETE OR UPDATE ON app_public.installed_skills FOR EACH ROW EXECUTE FUNCTION app_private.tg__announce('skill.changed');


--
-- Name: user_assistant_configs _800_announce; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _800_announce AFTER INSERT OR UPDATE ON app_public.user_assistant_configs FOR EACH ROW EXECUTE FUNCTION app_private.tg__announce('persona.changed');


--
-- Name: devices _800_announce_deleted; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _800_announce_deleted AFTER DELETE ON app_public.devices FOR EACH ROW EXECUTE FUNCTION app_private.tg__announce('device.revoked');


--
-- Name: node_tokens _800_announce_node_token; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _800_announce_node_token AFTER UPDATE OF revoked_at ON app_public.node_tokens FOR EACH ROW WHEN (((new.revoked_at IS NOT NULL) AND (old.revoked_at IS NULL))) EXECUTE FUNCTION app_private.tg__announce('node_token.revoked');


--
-- Name: devices _800_announce_revoked; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _800_announce_revoked AFTER UPDATE OF status ON app_public.devices FOR EACH ROW WHEN (((new.status = 'revoked'::app_public.device_status) AND (old.status IS DISTINCT FROM 'revoked'::app_public.device_status))) EXECUTE FUNCTION app_private.tg__announce('device.revoked');


--
-- Name: users _800_announce_suspended; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _800_announce_suspended AFTER UPDATE OF status ON app_public.users FOR EACH ROW WHEN (((new.status = 'suspended'::app_public.user_status) AND (old.status IS DISTINCT FROM 'suspended'::app_public.user_status))) EXECUTE FUNCTION app_private.tg__announce('user.suspended');


--
-- Name: devices _810_notify_subscribers; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _810_notify_subscribers AFTER UPDATE OF status, last_seen_at, name ON app_public.devices FOR EACH ROW EXECUTE FUNCTION app_private.tg__notify_subscribers('devices', 'device_updated');


--
-- Name: messages _810_notify_subscribers; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _810_notify_subscribers AFTER INSERT ON app_public.messages FOR EACH ROW EXECUTE FUNCTION app_private.tg__notify_subscribers('messages', 'message_created');


--
-- Name: approvals _900_audit; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _900_audit AFTER INSERT OR UPDATE ON app_public.approvals FOR EACH ROW EXECUTE FUNCTION app_private.tg_approvals__audit();


--
-- Name: coupons _900_audit; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _900_audit AFTER INSERT OR DELETE OR UPDATE ON app_public.coupons FOR EACH ROW EXECUTE FUNCTION app_private.tg__audit_change();


--
-- Name: orders _900_audit; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _900_audit AFTER UPDATE OF status ON app_public.orders FOR EACH ROW EXECUTE FUNCTION app_private.tg__audit_change();


--
-- Name: plans _900_audit; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _900_audit AFTER INSERT OR DELETE OR UPDATE ON app_public.plans FOR EACH ROW EXECUTE FUNCTION app_private.tg__audit_change();


--
-- Name: skill_categories _900_audit; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _900_audit AFTER INSERT OR DELETE OR UPDATE ON app_public.skill_categories FOR EACH ROW EXECUTE FUNCTION app_private.tg__audit_change();


--
-- Name: store_skill_versions _900_audit; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _900_audit AFTER UPDATE OF review_state ON app_public.store_skill_versions FOR EACH ROW EXECUTE FUNCTION app_private.tg__audit_change();


--
-- Name: store_skills _900_audit; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _900_audit AFTER DELETE OR UPDATE OF is_published ON app_public.store_skills FOR EACH ROW EXECUTE FUNCTION app_private.tg__audit_change();


--
-- Name: subscriptions _900_audit; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _900_audit AFTER INSERT OR UPDATE ON app_public.subscriptions FOR EACH ROW EXECUTE FUNCTION app_private.tg__audit_change();


--
-- Name: system_configs _900_audit; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _900_audit AFTER INSERT OR DELETE OR UPDATE ON app_public.system_configs FOR EACH ROW EXECUTE FUNCTION app_private.tg__audit_change();


--
-- Name: users _900_audit; Type: TRIGGER; Schema: app_public; Owner: openclaw_owner
--

CREATE TRIGGER _900_audit AFTER UPDATE OF role, status ON app_public.users FOR EACH ROW EXECUTE FUNCTION app_private.tg__audit_change();


--
-- Name: device_pairing_code_secrets device_pairing_code_secrets_pairing_code_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE ONLY app_private.device_pairing_code_secrets
    ADD CONSTRAINT device_pairing_code_secrets_pairing_code_id_fkey FOREIGN KEY (pairing_code_id) REFERENCES app_public.device_pairing_codes(id) ON DELETE CASCADE;


--
-- Name: device_token_secrets device_token_secrets_device_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE ONLY app_private.device_token_secrets
    ADD CONSTRAINT device_token_secrets_device_id_user_id_fkey FOREIGN KEY (device_id, user_id) REFERENCES app_public.devices(id, user_id) ON DELETE CASCADE;


--
-- Name: node_token_secrets node_token_secrets_node_token_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE ONLY app_private.node_token_secrets
    ADD CONSTRAINT node_token_secrets_node_token_id_user_id_fkey FOREIGN KEY (node_token_id, user_id) REFERENCES app_public.node_tokens(id, user_id) ON DELETE CASCADE;


--
-- Name: payment_events payment_events_order_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE ONLY app_private.payment_events
    ADD CONSTRAINT payment_events_order_id_fkey FOREIGN KEY (order_id) REFERENCES app_public.orders(id) ON DELETE CASCADE;


--
-- Name: refresh_tokens refresh_tokens_family_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE ONLY app_private.refresh_tokens
    ADD CONSTRAINT refresh_tokens_family_id_fkey FOREIGN KEY (family_id) REFERENCES app_private.sessions(id) ON DELETE CASCADE;


--
-- Name: refresh_tokens refresh_tokens_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE ONLY app_private.refresh_tokens
    ADD CONSTRAINT refresh_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: sessions sessions_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE ONLY app_private.sessions
    ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: user_secrets user_secrets_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE ONLY app_private.user_secrets
    ADD CONSTRAINT user_secrets_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: approvals approvals_conversation_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.approvals
    ADD CONSTRAINT approvals_conversation_id_user_id_fkey FOREIGN KEY (conversation_id, user_id) REFERENCES app_public.conversations(id, user_id) ON DELETE SET NULL (conversation_id);


--
-- Name: CONSTRAINT approvals_conversation_id_user_id_fkey ON approvals; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON CONSTRAINT approvals_conversation_id_user_id_fkey ON app_public.approvals IS '@fieldName conversation
@foreignFieldName approvals';


--
-- Name: approvals approvals_device_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.approvals
    ADD CONSTRAINT approvals_device_id_user_id_fkey FOREIGN KEY (device_id, user_id) REFERENCES app_public.devices(id, user_id) ON DELETE SET NULL (device_id);


--
-- Name: CONSTRAINT approvals_device_id_user_id_fkey ON approvals; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON CONSTRAINT approvals_device_id_user_id_fkey ON app_public.approvals IS '@fieldName device
@foreignFieldName approvals';


--
-- Name: approvals approvals_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.approvals
    ADD CONSTRAINT approvals_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: conversation_summaries conversation_summaries_conversation_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.conversation_summaries
    ADD CONSTRAINT conversation_summaries_conversation_id_user_id_fkey FOREIGN KEY (conversation_id, user_id) REFERENCES app_public.conversations(id, user_id) ON DELETE CASCADE;


--
-- Name: CONSTRAINT conversation_summaries_conversation_id_user_id_fkey ON conversation_summaries; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON CONSTRAINT conversation_summaries_conversation_id_user_id_fkey ON app_public.conversation_summaries IS '@fieldName conversation
@foreignFieldName summaries';


--
-- Name: conversation_summaries conversation_summaries_up_to_message_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.conversation_summaries
    ADD CONSTRAINT conversation_summaries_up_to_message_id_user_id_fkey FOREIGN KEY (up_to_message_id, user_id) REFERENCES app_public.messages(id, user_id) ON DELETE SET NULL (up_to_message_id);


--
-- Name: CONSTRAINT conversation_summaries_up_to_message_id_user_id_fkey ON conversation_summaries; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON CONSTRAINT conversation_summaries_up_to_message_id_user_id_fkey ON app_public.conversation_summaries IS '@fieldName upToMessage
@foreignFieldName summariesUpToHere';


--
-- Name: conversation_summaries conversation_summaries_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.conversation_summaries
    ADD CONSTRAINT conversation_summaries_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: conversations conversations_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.conversations
    ADD CONSTRAINT conversations_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: coupons coupons_plan_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.coupons
    ADD CONSTRAINT coupons_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES app_public.plans(id) ON DELETE CASCADE;


--
-- Name: device_pairing_codes device_pairing_codes_device_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.device_pairing_codes
    ADD CONSTRAINT device_pairing_codes_device_id_user_id_fkey FOREIGN KEY (device_id, user_id) REFERENCES app_public.devices(id, user_id) ON DELETE SET NULL (device_id);


--
-- Name: CONSTRAINT device_pairing_codes_device_id_user_id_fkey ON device_pairing_codes; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON CONSTRAINT device_pairing_codes_device_id_user_id_fkey ON app_public.device_pairing_codes IS '@fieldName device
@foreignFieldName pairingCodes';


--
-- Name: device_pairing_codes device_pairing_codes_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.device_pairing_codes
    ADD CONSTRAINT device_pairing_codes_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: device_pairing_requests device_pairing_requests_node_token_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.device_pairing_requests
    ADD CONSTRAINT device_pairing_requests_node_token_id_user_id_fkey FOREIGN KEY (node_token_id, user_id) REFERENCES app_public.node_tokens(id, user_id) ON DELETE CASCADE;


--
-- Name: CONSTRAINT device_pairing_requests_node_token_id_user_id_fkey ON device_pairing_requests; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON CONSTRAINT device_pairing_requests_node_token_id_user_id_fkey ON app_public.device_pairing_requests IS '@fieldName nodeToken
@foreignFieldName pairingRequests';


--
-- Name: device_pairing_requests device_pairing_requests_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.device_pairing_requests
    ADD CONSTRAINT device_pairing_requests_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: devices devices_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.devices
    ADD CONSTRAINT devices_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: file_chunks file_chunks_file_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.file_chunks
    ADD CONSTRAINT file_chunks_file_id_user_id_fkey FOREIGN KEY (file_id, user_id) REFERENCES app_public.user_files(id, user_id) ON DELETE CASCADE;


--
-- Name: CONSTRAINT file_chunks_file_id_user_id_fkey ON file_chunks; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON CONSTRAINT file_chunks_file_id_user_id_fkey ON app_public.file_chunks IS '@fieldName file
@foreignFieldName chunks';


--
-- Name: file_chunks file_chunks_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.file_chunks
    ADD CONSTRAINT file_chunks_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: installed_skills installed_skills_custom_skill_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.installed_skills
    ADD CONSTRAINT installed_skills_custom_skill_id_user_id_fkey FOREIGN KEY (custom_skill_id, user_id) REFERENCES app_public.user_custom_skills(id, user_id) ON DELETE CASCADE;


--
-- Name: CONSTRAINT installed_skills_custom_skill_id_user_id_fkey ON installed_skills; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON CONSTRAINT installed_skills_custom_skill_id_user_id_fkey ON app_public.installed_skills IS '@fieldName customSkill
@foreignFieldName installations';


--
-- Name: installed_skills installed_skills_store_skill_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.installed_skills
    ADD CONSTRAINT installed_skills_store_skill_id_fkey FOREIGN KEY (store_skill_id) REFERENCES app_public.store_skills(id) ON DELETE CASCADE;


--
-- Name: installed_skills installed_skills_store_skill_version_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.installed_skills
    ADD CONSTRAINT installed_skills_store_skill_version_id_fkey FOREIGN KEY (store_skill_version_id) REFERENCES app_public.store_skill_versions(id) ON DELETE SET NULL;


--
-- Name: installed_skills installed_skills_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.installed_skills
    ADD CONSTRAINT installed_skills_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: messages messages_conversation_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.messages
    ADD CONSTRAINT messages_conversation_id_user_id_fkey FOREIGN KEY (conversation_id, user_id) REFERENCES app_public.conversations(id, user_id) ON DELETE CASCADE;


--
-- Name: CONSTRAINT messages_conversation_id_user_id_fkey ON messages; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON CONSTRAINT messages_conversation_id_user_id_fkey ON app_public.messages IS '@fieldName conversation
@foreignFieldName messages';


--
-- Name: messages messages_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.messages
    ADD CONSTRAINT messages_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: node_tokens node_tokens_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.node_tokens
    ADD CONSTRAINT node_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: orders orders_coupon_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.orders
    ADD CONSTRAINT orders_coupon_id_fkey FOREIGN KEY (coupon_id) REFERENCES app_public.coupons(id) ON DELETE SET NULL;


--
-- Name: orders orders_plan_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.orders
    ADD CONSTRAINT orders_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES app_public.plans(id) ON DELETE RESTRICT;


--
-- Name: orders orders_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.orders
    ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: store_skill_versions store_skill_versions_author_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.store_skill_versions
    ADD CONSTRAINT store_skill_versions_author_id_fkey FOREIGN KEY (author_id) REFERENCES app_public.users(id) ON DELETE SET NULL;


--
-- Name: store_skill_versions store_skill_versions_reviewed_by_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.store_skill_versions
    ADD CONSTRAINT store_skill_versions_reviewed_by_fkey FOREIGN KEY (reviewed_by) REFERENCES app_public.users(id) ON DELETE SET NULL;


--
-- Name: store_skill_versions store_skill_versions_source_version_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.store_skill_versions
    ADD CONSTRAINT store_skill_versions_source_version_id_fkey FOREIGN KEY (source_version_id) REFERENCES app_public.user_custom_skill_versions(id) ON DELETE SET NULL;


--
-- Name: store_skill_versions store_skill_versions_store_skill_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.store_skill_versions
    ADD CONSTRAINT store_skill_versions_store_skill_id_fkey FOREIGN KEY (store_skill_id) REFERENCES app_public.store_skills(id) ON DELETE CASCADE;


--
-- Name: store_skills store_skills_author_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.store_skills
    ADD CONSTRAINT store_skills_author_id_fkey FOREIGN KEY (author_id) REFERENCES app_public.users(id) ON DELETE SET NULL;


--
-- Name: store_skills store_skills_category_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.store_skills
    ADD CONSTRAINT store_skills_category_id_fkey FOREIGN KEY (category_id) REFERENCES app_public.skill_categories(id) ON DELETE SET NULL;


--
-- Name: subscriptions subscriptions_plan_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.subscriptions
    ADD CONSTRAINT subscriptions_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES app_public.plans(id) ON DELETE RESTRICT;


--
-- Name: subscriptions subscriptions_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.subscriptions
    ADD CONSTRAINT subscriptions_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: usage_events usage_events_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.usage_events
    ADD CONSTRAINT usage_events_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: usage_quotas usage_quotas_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.usage_quotas
    ADD CONSTRAINT usage_quotas_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: user_assistant_configs user_assistant_configs_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_assistant_configs
    ADD CONSTRAINT user_assistant_configs_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: user_custom_skill_versions user_custom_skill_versions_skill_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_custom_skill_versions
    ADD CONSTRAINT user_custom_skill_versions_skill_id_user_id_fkey FOREIGN KEY (skill_id, user_id) REFERENCES app_public.user_custom_skills(id, user_id) ON DELETE CASCADE;


--
-- Name: CONSTRAINT user_custom_skill_versions_skill_id_user_id_fkey ON user_custom_skill_versions; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON CONSTRAINT user_custom_skill_versions_skill_id_user_id_fkey ON app_public.user_custom_skill_versions IS '@fieldName skill
@foreignFieldName versions';


--
-- Name: user_custom_skill_versions user_custom_skill_versions_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_custom_skill_versions
    ADD CONSTRAINT user_custom_skill_versions_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: user_custom_skills user_custom_skills_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_custom_skills
    ADD CONSTRAINT user_custom_skills_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: user_files user_files_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_files
    ADD CONSTRAINT user_files_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: user_memories user_memories_source_message_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_memories
    ADD CONSTRAINT user_memories_source_message_id_user_id_fkey FOREIGN KEY (source_message_id, user_id) REFERENCES app_public.messages(id, user_id) ON DELETE SET NULL (source_message_id);


--
-- Name: CONSTRAINT user_memories_source_message_id_user_id_fkey ON user_memories; Type: COMMENT; Schema: app_public; Owner: openclaw_owner
--

COMMENT ON CONSTRAINT user_memories_source_message_id_user_id_fkey ON app_public.user_memories IS '@fieldName sourceMessage
@foreignFieldName memories';


--
-- Name: user_memories user_memories_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_memories
    ADD CONSTRAINT user_memories_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: user_memory_revisions user_memory_revisions_memory_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_memory_revisions
    ADD CONSTRAINT user_memory_revisions_memory_id_user_id_fkey FOREIGN KEY (memory_id, user_id) REFERENCES app_public.user_memories(id, user_id) ON DELETE CASCADE;


--
-- Name: user_memory_revisions user_memory_revisions_source_message_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_memory_revisions
    ADD CONSTRAINT user_memory_revisions_source_message_id_user_id_fkey FOREIGN KEY (source_message_id, user_id) REFERENCES app_public.messages(id, user_id) ON DELETE SET NULL (source_message_id);


--
-- Name: user_memory_revisions user_memory_revisions_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE ONLY app_public.user_memory_revisions
    ADD CONSTRAINT user_memory_revisions_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: system_config_schemas check_values; Type: POLICY; Schema: app_hidden; Owner: openclaw_owner
--

CREATE POLICY check_values ON app_hidden.system_config_schemas FOR SELECT TO openclaw_maintenance USING (true);


--
-- Name: system_config_schemas select_all; Type: POLICY; Schema: app_hidden; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_hidden.system_config_schemas FOR SELECT TO openclaw_admin USING (true);


--
-- Name: system_config_schemas; Type: ROW SECURITY; Schema: app_hidden; Owner: openclaw_owner
--

ALTER TABLE app_hidden.system_config_schemas ENABLE ROW LEVEL SECURITY;

--
-- Name: device_pairing_code_secrets auth_all; Type: POLICY; Schema: app_private; Owner: openclaw_owner
--

CREATE POLICY auth_all ON app_private.device_pairing_code_secrets TO openclaw_auth USING (true) WITH CHECK (true);


--
-- Name: device_token_secrets auth_all; Type: POLICY; Schema: app_private; Owner: openclaw_owner
--

CREATE POLICY auth_all ON app_private.device_token_secrets TO openclaw_auth USING (true) WITH CHECK (true);


--
-- Name: node_token_secrets auth_all; Type: POLICY; Schema: app_private; Owner: openclaw_owner
--

CREATE POLICY auth_all ON app_private.node_token_secrets TO openclaw_auth USING (true) WITH CHECK (true);


--
-- Name: refresh_tokens auth_all; Type: POLICY; Schema: app_private; Owner: openclaw_owner
--

CREATE POLICY auth_all ON app_private.refresh_tokens TO openclaw_auth USING (true) WITH CHECK (true);


--
-- Name: sessions auth_all; Type: POLICY; Schema: app_private; Owner: openclaw_owner
--

CREATE POLICY auth_all ON app_private.sessions TO openclaw_auth USING (true) WITH CHECK (true);


--
-- Name: user_secrets auth_all; Type: POLICY; Schema: app_private; Owner: openclaw_owner
--

CREATE POLICY auth_all ON app_private.user_secrets TO openclaw_auth USING (true) WITH CHECK (true);


--
-- Name: payment_events billing_all; Type: POLICY; Schema: app_private; Owner: openclaw_owner
--

CREATE POLICY billing_all ON app_private.payment_events TO openclaw_billing USING (true) WITH CHECK (true);


--
-- Name: device_pairing_code_secrets; Type: ROW SECURITY; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE app_private.device_pairing_code_secrets ENABLE ROW LEVEL SECURITY;

--
-- Name: device_token_secrets; Type: ROW SECURITY; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE app_private.device_token_secrets ENABLE ROW LEVEL SECURITY;

--
-- Name: refresh_tokens maintenance_delete; Type: POLICY; Schema: app_private; Owner: openclaw_owner
--

CREATE POLICY maintenance_delete ON app_private.refresh_tokens FOR DELETE TO openclaw_maintenance USING (true);


--
-- Name: sessions maintenance_delete; Type: POLICY; Schema: app_private; Owner: openclaw_owner
--

CREATE POLICY maintenance_delete ON app_private.sessions FOR DELETE TO openclaw_maintenance USING (true);


--
-- Name: refresh_tokens maintenance_purge; Type: POLICY; Schema: app_private; Owner: openclaw_owner
--

CREATE POLICY maintenance_purge ON app_private.refresh_tokens FOR SELECT TO openclaw_maintenance USING (true);


--
-- Name: sessions maintenance_purge; Type: POLICY; Schema: app_private; Owner: openclaw_owner
--

CREATE POLICY maintenance_purge ON app_private.sessions FOR SELECT TO openclaw_maintenance USING (true);


--
-- Name: node_token_secrets; Type: ROW SECURITY; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE app_private.node_token_secrets ENABLE ROW LEVEL SECURITY;

--
-- Name: payment_events; Type: ROW SECURITY; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE app_private.payment_events ENABLE ROW LEVEL SECURITY;

--
-- Name: refresh_tokens; Type: ROW SECURITY; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE app_private.refresh_tokens ENABLE ROW LEVEL SECURITY;

--
-- Name: sessions; Type: ROW SECURITY; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE app_private.sessions ENABLE ROW LEVEL SECURITY;

--
-- Name: user_secrets; Type: ROW SECURITY; Schema: app_private; Owner: openclaw_owner
--

ALTER TABLE app_private.user_secrets ENABLE ROW LEVEL SECURITY;

--
-- Name: audit_log append; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY append ON app_public.audit_log FOR INSERT TO openclaw_auditor WITH CHECK (true);


--
-- Name: approvals; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.approvals ENABLE ROW LEVEL SECURITY;

--
-- Name: audit_log; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.audit_log ENABLE ROW LEVEL SECURITY;

--
-- Name: devices auth_enroll; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY auth_enroll ON app_public.devices FOR INSERT TO openclaw_auth WITH CHECK ((status = 'paired'::app_public.device_status));


--
-- Name: device_pairing_codes auth_issue; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY auth_issue ON app_public.device_pairing_codes FOR INSERT TO openclaw_auth WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: node_tokens auth_issue; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY auth_issue ON app_public.node_tokens FOR INSERT TO openclaw_auth WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: device_pairing_codes auth_lookup; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY auth_lookup ON app_public.device_pairing_codes FOR SELECT TO openclaw_auth USING (true);


--
-- Name: device_pairing_requests auth_lookup; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY auth_lookup ON app_public.device_pairing_requests FOR SELECT TO openclaw_auth USING (true);


--
-- Name: devices auth_lookup; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY auth_lookup ON app_public.devices FOR SELECT TO openclaw_auth USING (true);


--
-- Name: node_tokens auth_lookup; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY auth_lookup ON app_public.node_tokens FOR SELECT TO openclaw_auth USING (true);


--
-- Name: users auth_lookup; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY auth_lookup ON app_public.users FOR SELECT TO openclaw_auth USING (true);


--
-- Name: devices auth_pair; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY auth_pair ON app_public.devices FOR UPDATE TO openclaw_auth USING (true) WITH CHECK ((status = 'paired'::app_public.device_status));


--
-- Name: device_pairing_codes auth_redeem; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY auth_redeem ON app_public.device_pairing_codes FOR UPDATE TO openclaw_auth USING (true) WITH CHECK (true);


--
-- Name: device_pairing_requests auth_refresh; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY auth_refresh ON app_public.device_pairing_requests FOR UPDATE TO openclaw_auth USING (true) WITH CHECK ((status = ANY (ARRAY['pending'::app_public.pairing_status, 'expired'::app_public.pairing_status, 'approved'::app_public.pairing_status, 'rejected'::app_public.pairing_status])));


--
-- Name: users auth_register; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY auth_register ON app_public.users FOR INSERT TO openclaw_auth WITH CHECK (((role = 'user'::app_public.user_role) AND (status = 'active'::app_public.user_status)));


--
-- Name: device_pairing_requests auth_request; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY auth_request ON app_public.device_pairing_requests FOR INSERT TO openclaw_auth WITH CHECK ((status = 'pending'::app_public.pairing_status));


--
-- Name: devices auth_revoke; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY auth_revoke ON app_public.devices FOR UPDATE TO openclaw_auth USING (true) WITH CHECK ((status = 'revoked'::app_public.device_status));


--
-- Name: node_tokens auth_touch; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY auth_touch ON app_public.node_tokens FOR UPDATE TO openclaw_auth USING (true) WITH CHECK (true);


--
-- Name: users auth_touch; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY auth_touch ON app_public.users FOR UPDATE TO openclaw_auth USING (true) WITH CHECK (true);


--
-- Name: coupons billing_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY billing_all ON app_public.coupons TO openclaw_billing USING (true) WITH CHECK (true);


--
-- Name: orders billing_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY billing_all ON app_public.orders TO openclaw_billing USING (true) WITH CHECK (true);


--
-- Name: plans billing_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY billing_all ON app_public.plans FOR SELECT TO openclaw_billing USING (true);


--
-- Name: subscriptions billing_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY billing_all ON app_public.subscriptions TO openclaw_billing USING (true) WITH CHECK (true);


--
-- Name: usage_quotas billing_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY billing_all ON app_public.usage_quotas TO openclaw_billing USING (true) WITH CHECK (true);


--
-- Name: conversation_summaries; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.conversation_summaries ENABLE ROW LEVEL SECURITY;

--
-- Name: conversations; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.conversations ENABLE ROW LEVEL SECURITY;

--
-- Name: coupons; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.coupons ENABLE ROW LEVEL SECURITY;

--
-- Name: approvals decide_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY decide_own ON app_public.approvals FOR UPDATE TO openclaw_user USING (((user_id = ( SELECT app_public.current_user_id() AS current_user_id)) AND (status = 'pending'::app_public.approval_status))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: coupons delete_admin; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY delete_admin ON app_public.coupons FOR DELETE TO openclaw_admin USING (true);


--
-- Name: plans delete_admin; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY delete_admin ON app_public.plans FOR DELETE TO openclaw_admin USING (true);


--
-- Name: skill_categories delete_admin; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY delete_admin ON app_public.skill_categories FOR DELETE TO openclaw_admin USING (true);


--
-- Name: system_configs delete_admin; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY delete_admin ON app_public.system_configs FOR DELETE TO openclaw_admin USING (true);


--
-- Name: store_skills delete_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY delete_all ON app_public.store_skills FOR DELETE TO openclaw_admin USING (true);


--
-- Name: users delete_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY delete_all ON app_public.users FOR DELETE TO openclaw_admin USING (true);


--
-- Name: conversation_summaries delete_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY delete_own ON app_public.conversation_summaries FOR DELETE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: conversations delete_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY delete_own ON app_public.conversations FOR DELETE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: device_pairing_codes delete_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY delete_own ON app_public.device_pairing_codes FOR DELETE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: device_pairing_requests delete_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY delete_own ON app_public.device_pairing_requests FOR DELETE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: devices delete_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY delete_own ON app_public.devices FOR DELETE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: file_chunks delete_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY delete_own ON app_public.file_chunks FOR DELETE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: installed_skills delete_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY delete_own ON app_public.installed_skills FOR DELETE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: messages delete_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY delete_own ON app_public.messages FOR DELETE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: node_tokens delete_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY delete_own ON app_public.node_tokens FOR DELETE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_assistant_configs delete_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY delete_own ON app_public.user_assistant_configs FOR DELETE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_custom_skill_versions delete_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY delete_own ON app_public.user_custom_skill_versions FOR DELETE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_custom_skills delete_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY delete_own ON app_public.user_custom_skills FOR DELETE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_files delete_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY delete_own ON app_public.user_files FOR DELETE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_memories delete_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY delete_own ON app_public.user_memories FOR DELETE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_memory_revisions delete_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY delete_own ON app_public.user_memory_revisions FOR DELETE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: device_pairing_codes; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.device_pairing_codes ENABLE ROW LEVEL SECURITY;

--
-- Name: device_pairing_requests; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.device_pairing_requests ENABLE ROW LEVEL SECURITY;

--
-- Name: devices; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.devices ENABLE ROW LEVEL SECURITY;

--
-- Name: file_chunks; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.file_chunks ENABLE ROW LEVEL SECURITY;

--
-- Name: coupons insert_admin; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_admin ON app_public.coupons FOR INSERT TO openclaw_admin WITH CHECK (true);


--
-- Name: plans insert_admin; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_admin ON app_public.plans FOR INSERT TO openclaw_admin WITH CHECK (true);


--
-- Name: skill_categories insert_admin; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_admin ON app_public.skill_categories FOR INSERT TO openclaw_admin WITH CHECK (true);


--
-- Name: subscriptions insert_admin; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_admin ON app_public.subscriptions FOR INSERT TO openclaw_admin WITH CHECK (true);


--
-- Name: system_configs insert_admin; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_admin ON app_public.system_configs FOR INSERT TO openclaw_admin WITH CHECK (true);


--
-- Name: usage_quotas insert_admin; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_admin ON app_public.usage_quotas FOR INSERT TO openclaw_admin WITH CHECK (true);


--
-- Name: approvals insert_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_own ON app_public.approvals FOR INSERT TO openclaw_user WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: conversation_summaries insert_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_own ON app_public.conversation_summaries FOR INSERT TO openclaw_user WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: conversations insert_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_own ON app_public.conversations FOR INSERT TO openclaw_user WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: device_pairing_codes insert_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_own ON app_public.device_pairing_codes FOR INSERT TO openclaw_user WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: device_pairing_requests insert_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_own ON app_public.device_pairing_requests FOR INSERT TO openclaw_user WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: devices insert_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_own ON app_public.devices FOR INSERT TO openclaw_user WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: file_chunks insert_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_own ON app_public.file_chunks FOR INSERT TO openclaw_user WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: installed_skills insert_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_own ON app_public.installed_skills FOR INSERT TO openclaw_user WITH CHECK (((user_id = ( SELECT app_public.current_user_id() AS current_user_id)) AND ((store_skill_id IS NULL) OR (EXISTS ( SELECT 1
   FROM app_public.store_skills s
  WHERE (s.id = installed_skills.store_skill_id)))) AND ((store_skill_version_id IS NULL) OR (EXISTS ( SELECT 1
   FROM app_public.store_skill_versions v
  WHERE (v.id = installed_skills.store_skill_version_id))))));


--
-- Name: messages insert_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_own ON app_public.messages FOR INSERT TO openclaw_user WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: node_tokens insert_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_own ON app_public.node_tokens FOR INSERT TO openclaw_user WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: store_skill_versions insert_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_own ON app_public.store_skill_versions FOR INSERT TO openclaw_user WITH CHECK (((author_id = ( SELECT app_public.current_user_id() AS current_user_id)) AND (review_state = 'pending'::app_public.review_state) AND (object_key ~~ (('users/'::text || (( SELECT app_public.current_user_id() AS current_user_id))::text) || '/skills/%'::text)) AND (EXISTS ( SELECT 1
   FROM app_public.store_skills s
  WHERE ((s.id = store_skill_versions.store_skill_id) AND (s.author_id = ( SELECT app_public.current_user_id() AS current_user_id))))) AND (EXISTS ( SELECT 1
   FROM app_public.user_custom_skill_versions v
  WHERE (v.id = store_skill_versions.source_version_id)))));


--
-- Name: store_skills insert_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_own ON app_public.store_skills FOR INSERT TO openclaw_user WITH CHECK (((author_id = ( SELECT app_public.current_user_id() AS current_user_id)) AND (NOT is_published)));


--
-- Name: usage_events insert_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_own ON app_public.usage_events FOR INSERT TO openclaw_user WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_assistant_configs insert_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_own ON app_public.user_assistant_configs FOR INSERT TO openclaw_user WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_custom_skill_versions insert_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_own ON app_public.user_custom_skill_versions FOR INSERT TO openclaw_user WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_custom_skills insert_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_own ON app_public.user_custom_skills FOR INSERT TO openclaw_user WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_files insert_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_own ON app_public.user_files FOR INSERT TO openclaw_user WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_memories insert_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_own ON app_public.user_memories FOR INSERT TO openclaw_user WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_memory_revisions insert_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY insert_own ON app_public.user_memory_revisions FOR INSERT TO openclaw_user WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: installed_skills; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.installed_skills ENABLE ROW LEVEL SECURITY;

--
-- Name: device_pairing_codes maintenance_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY maintenance_all ON app_public.device_pairing_codes TO openclaw_maintenance USING (true) WITH CHECK (true);


--
-- Name: device_pairing_requests maintenance_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY maintenance_all ON app_public.device_pairing_requests TO openclaw_maintenance USING (true) WITH CHECK (true);


--
-- Name: file_chunks maintenance_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY maintenance_all ON app_public.file_chunks TO openclaw_maintenance USING (true) WITH CHECK (true);


--
-- Name: plans maintenance_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY maintenance_all ON app_public.plans TO openclaw_maintenance USING (true) WITH CHECK (true);


--
-- Name: store_skill_versions maintenance_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY maintenance_all ON app_public.store_skill_versions TO openclaw_maintenance USING (true) WITH CHECK (true);


--
-- Name: subscriptions maintenance_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY maintenance_all ON app_public.subscriptions TO openclaw_maintenance USING (true) WITH CHECK (true);


--
-- Name: usage_events maintenance_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY maintenance_all ON app_public.usage_events TO openclaw_maintenance USING (true) WITH CHECK (true);


--
-- Name: usage_quotas maintenance_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY maintenance_all ON app_public.usage_quotas TO openclaw_maintenance USING (true) WITH CHECK (true);


--
-- Name: user_custom_skill_versions maintenance_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY maintenance_all ON app_public.user_custom_skill_versions TO openclaw_maintenance USING (true) WITH CHECK (true);


--
-- Name: user_files maintenance_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY maintenance_all ON app_public.user_files TO openclaw_maintenance USING (true) WITH CHECK (true);


--
-- Name: user_memories maintenance_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY maintenance_all ON app_public.user_memories TO openclaw_maintenance USING (true) WITH CHECK (true);


--
-- Name: users maintenance_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY maintenance_all ON app_public.users TO openclaw_maintenance USING (true) WITH CHECK (true);


--
-- Name: devices maintenance_read; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY maintenance_read ON app_public.devices FOR SELECT TO openclaw_maintenance USING (true);


--
-- Name: messages; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.messages ENABLE ROW LEVEL SECURITY;

--
-- Name: node_tokens; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.node_tokens ENABLE ROW LEVEL SECURITY;

--
-- Name: orders; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.orders ENABLE ROW LEVEL SECURITY;

--
-- Name: plans; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.plans ENABLE ROW LEVEL SECURITY;

--
-- Name: store_skill_versions review_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY review_all ON app_public.store_skill_versions FOR UPDATE TO openclaw_admin USING (true) WITH CHECK (true);


--
-- Name: plans select_active; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_active ON app_public.plans FOR SELECT TO openclaw_anonymous, openclaw_user USING (is_active);


--
-- Name: coupons select_admin; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_admin ON app_public.coupons FOR SELECT TO openclaw_admin USING (true);


--
-- Name: approvals select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.approvals FOR SELECT TO openclaw_admin USING (true);


--
-- Name: audit_log select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.audit_log FOR SELECT TO openclaw_admin USING (true);


--
-- Name: conversations select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.conversations FOR SELECT TO openclaw_admin USING (true);


--
-- Name: device_pairing_requests select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.device_pairing_requests FOR SELECT TO openclaw_admin USING (true);


--
-- Name: devices select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.devices FOR SELECT TO openclaw_admin USING (true);


--
-- Name: installed_skills select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.installed_skills FOR SELECT TO openclaw_admin USING (true);


--
-- Name: messages select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.messages FOR SELECT TO openclaw_admin USING (true);


--
-- Name: node_tokens select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.node_tokens FOR SELECT TO openclaw_admin USING (true);


--
-- Name: orders select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.orders FOR SELECT TO openclaw_admin USING (true);


--
-- Name: plans select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.plans FOR SELECT TO openclaw_admin USING (true);


--
-- Name: skill_categories select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.skill_categories FOR SELECT TO openclaw_anonymous, openclaw_user USING (true);


--
-- Name: store_skill_versions select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.store_skill_versions FOR SELECT TO openclaw_admin USING (true);


--
-- Name: store_skills select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.store_skills FOR SELECT TO openclaw_admin USING (true);


--
-- Name: subscriptions select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.subscriptions FOR SELECT TO openclaw_admin USING (true);


--
-- Name: system_configs select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.system_configs FOR SELECT TO openclaw_admin USING (true);


--
-- Name: usage_events select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.usage_events FOR SELECT TO openclaw_admin USING (true);


--
-- Name: usage_quotas select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.usage_quotas FOR SELECT TO openclaw_admin USING (true);


--
-- Name: user_custom_skill_versions select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.user_custom_skill_versions FOR SELECT TO openclaw_admin USING (true);


--
-- Name: user_custom_skills select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.user_custom_skills FOR SELECT TO openclaw_admin USING (true);


--
-- Name: user_files select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.user_files FOR SELECT TO openclaw_admin USING (true);


--
-- Name: user_memories select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.user_memories FOR SELECT TO openclaw_admin USING (true);


--
-- Name: user_memory_revisions select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.user_memory_revisions FOR SELECT TO openclaw_admin USING (true);


--
-- Name: users select_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_all ON app_public.users FOR SELECT TO openclaw_admin USING (true);


--
-- Name: store_skill_versions select_approved; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_approved ON app_public.store_skill_versions FOR SELECT TO openclaw_anonymous, openclaw_user USING ((review_state = 'approved'::app_public.review_state));


--
-- Name: approvals select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.approvals FOR SELECT TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: conversation_summaries select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.conversation_summaries FOR SELECT TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: conversations select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.conversations FOR SELECT TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: device_pairing_codes select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.device_pairing_codes FOR SELECT TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: device_pairing_requests select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.device_pairing_requests FOR SELECT TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: devices select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.devices FOR SELECT TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: file_chunks select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.file_chunks FOR SELECT TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: installed_skills select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.installed_skills FOR SELECT TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: messages select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.messages FOR SELECT TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: node_tokens select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.node_tokens FOR SELECT TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: orders select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.orders FOR SELECT TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: store_skill_versions select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.store_skill_versions FOR SELECT TO openclaw_user USING ((author_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: store_skills select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.store_skills FOR SELECT TO openclaw_user USING ((author_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: subscriptions select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.subscriptions FOR SELECT TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: usage_events select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.usage_events FOR SELECT TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: usage_quotas select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.usage_quotas FOR SELECT TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_assistant_configs select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.user_assistant_configs FOR SELECT TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_custom_skill_versions select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.user_custom_skill_versions FOR SELECT TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_custom_skills select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.user_custom_skills FOR SELECT TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_files select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.user_files FOR SELECT TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_memories select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.user_memories FOR SELECT TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_memory_revisions select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.user_memory_revisions FOR SELECT TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: users select_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_own ON app_public.users FOR SELECT TO openclaw_user USING ((id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: system_configs select_public; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_public ON app_public.system_configs FOR SELECT TO openclaw_anonymous, openclaw_user USING (is_public);


--
-- Name: store_skills select_published; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY select_published ON app_public.store_skills FOR SELECT TO openclaw_anonymous, openclaw_user USING (is_published);


--
-- Name: skill_categories; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.skill_categories ENABLE ROW LEVEL SECURITY;

--
-- Name: store_skill_versions; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.store_skill_versions ENABLE ROW LEVEL SECURITY;

--
-- Name: store_skills; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.store_skills ENABLE ROW LEVEL SECURITY;

--
-- Name: subscriptions; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.subscriptions ENABLE ROW LEVEL SECURITY;

--
-- Name: system_configs; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.system_configs ENABLE ROW LEVEL SECURITY;

--
-- Name: coupons update_admin; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_admin ON app_public.coupons FOR UPDATE TO openclaw_admin USING (true) WITH CHECK (true);


--
-- Name: orders update_admin; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_admin ON app_public.orders FOR UPDATE TO openclaw_admin USING (true) WITH CHECK (true);


--
-- Name: plans update_admin; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_admin ON app_public.plans FOR UPDATE TO openclaw_admin USING (true) WITH CHECK (true);


--
-- Name: skill_categories update_admin; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_admin ON app_public.skill_categories FOR UPDATE TO openclaw_admin USING (true) WITH CHECK (true);


--
-- Name: subscriptions update_admin; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_admin ON app_public.subscriptions FOR UPDATE TO openclaw_admin USING (true) WITH CHECK (true);


--
-- Name: system_configs update_admin; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_admin ON app_public.system_configs FOR UPDATE TO openclaw_admin USING (true) WITH CHECK (true);


--
-- Name: devices update_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_all ON app_public.devices FOR UPDATE TO openclaw_admin USING (true) WITH CHECK (true);


--
-- Name: store_skills update_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_all ON app_public.store_skills FOR UPDATE TO openclaw_admin USING (true) WITH CHECK (true);


--
-- Name: usage_quotas update_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_all ON app_public.usage_quotas FOR UPDATE TO openclaw_admin USING (true) WITH CHECK (true);


--
-- Name: users update_all; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_all ON app_public.users FOR UPDATE TO openclaw_admin USING (true) WITH CHECK (true);


--
-- Name: conversation_summaries update_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_own ON app_public.conversation_summaries FOR UPDATE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: conversations update_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_own ON app_public.conversations FOR UPDATE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: device_pairing_codes update_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_own ON app_public.device_pairing_codes FOR UPDATE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: device_pairing_requests update_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_own ON app_public.device_pairing_requests FOR UPDATE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: devices update_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_own ON app_public.devices FOR UPDATE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: file_chunks update_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_own ON app_public.file_chunks FOR UPDATE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: installed_skills update_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_own ON app_public.installed_skills FOR UPDATE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK (((user_id = ( SELECT app_public.current_user_id() AS current_user_id)) AND ((store_skill_version_id IS NULL) OR (EXISTS ( SELECT 1
   FROM app_public.store_skill_versions v
  WHERE (v.id = installed_skills.store_skill_version_id))))));


--
-- Name: messages update_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_own ON app_public.messages FOR UPDATE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: node_tokens update_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_own ON app_public.node_tokens FOR UPDATE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: store_skills update_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_own ON app_public.store_skills FOR UPDATE TO openclaw_user USING ((author_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((author_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_assistant_configs update_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_own ON app_public.user_assistant_configs FOR UPDATE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_custom_skill_versions update_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_own ON app_public.user_custom_skill_versions FOR UPDATE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_custom_skills update_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_own ON app_public.user_custom_skills FOR UPDATE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_files update_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_own ON app_public.user_files FOR UPDATE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: user_memories update_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_own ON app_public.user_memories FOR UPDATE TO openclaw_user USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: users update_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY update_own ON app_public.users FOR UPDATE TO openclaw_user USING ((id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((id = ( SELECT app_public.current_user_id() AS current_user_id)));


--
-- Name: usage_events; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.usage_events ENABLE ROW LEVEL SECURITY;

--
-- Name: usage_quotas; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.usage_quotas ENABLE ROW LEVEL SECURITY;

--
-- Name: user_assistant_configs; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.user_assistant_configs ENABLE ROW LEVEL SECURITY;

--
-- Name: user_custom_skill_versions; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.user_custom_skill_versions ENABLE ROW LEVEL SECURITY;

--
-- Name: user_custom_skills; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.user_custom_skills ENABLE ROW LEVEL SECURITY;

--
-- Name: user_files; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.user_files ENABLE ROW LEVEL SECURITY;

--
-- Name: user_memories; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.user_memories ENABLE ROW LEVEL SECURITY;

--
-- Name: user_memory_revisions; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.user_memory_revisions ENABLE ROW LEVEL SECURITY;

--
-- Name: users; Type: ROW SECURITY; Schema: app_public; Owner: openclaw_owner
--

ALTER TABLE app_public.users ENABLE ROW LEVEL SECURITY;

--
-- Name: store_skill_versions withdraw_own; Type: POLICY; Schema: app_public; Owner: openclaw_owner
--

CREATE POLICY withdraw_own ON app_public.store_skill_versions FOR UPDATE TO openclaw_user USING (((author_id = ( SELECT app_public.current_user_id() AS current_user_id)) AND (review_state = 'pending'::app_public.review_state))) WITH CHECK (((author_id = ( SELECT app_public.current_user_id() AS current_user_id)) AND (review_state = 'withdrawn'::app_public.review_state)));


--
-- Name: SCHEMA app_hidden; Type: ACL; Schema: -; Owner: openclaw_owner
--

GRANT USAGE ON SCHEMA app_hidden TO openclaw_user;
GRANT USAGE ON SCHEMA app_hidden TO openclaw_auth;
GRANT USAGE ON SCHEMA app_hidden TO openclaw_auditor;
GRANT USAGE ON SCHEMA app_hidden TO openclaw_jobs;
GRANT USAGE ON SCHEMA app_hidden TO openclaw_anonymous;
GRANT USAGE ON SCHEMA app_hidden TO openclaw_billing;
GRANT USAGE ON SCHEMA app_hidden TO openclaw_maintenance;
GRANT USAGE ON SCHEMA app_hidden TO openclaw_worker;


--
-- Name: SCHEMA app_private; Type: ACL; Schema: -; Owner: openclaw_owner
--

GRANT USAGE ON SCHEMA app_private TO openclaw_auth;
GRANT USAGE ON SCHEMA app_private TO openclaw_auditor;
GRANT USAGE ON SCHEMA app_private TO openclaw_jobs;
GRANT USAGE ON SCHEMA app_private TO openclaw_billing;
GRANT USAGE ON SCHEMA app_private TO openclaw_maintenance;


--
-- Name: SCHEMA app_public; Type: ACL; Schema: -; Owner: openclaw_owner
--

GRANT USAGE ON SCHEMA app_public TO openclaw_anonymous;
GRANT USAGE ON SCHEMA app_public TO openclaw_user;
GRANT USAGE ON SCHEMA app_public TO openclaw_auth;
GRANT USAGE ON SCHEMA app_public TO openclaw_auditor;
GRANT USAGE ON SCHEMA app_public TO openclaw_jobs;
GRANT USAGE ON SCHEMA app_public TO openclaw_billing;
GRANT USAGE ON SCHEMA app_public TO openclaw_maintenance;


--
-- Name: FUNCTION audit_admin_action(action text, details jsonb); Type: ACL; Schema: app_hidden; Owner: openclaw_auditor
--

REVOKE ALL ON FUNCTION app_hidden.audit_admin_action(action text, details jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.audit_admin_action(action text, details jsonb) TO openclaw_admin;


--
-- Name: FUNCTION auth_change_password(old_password text, new_password text, keep_session uuid); Type: ACL; Schema: app_hidden; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_hidden.auth_change_password(old_password text, new_password text, keep_session uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.auth_change_password(old_password text, new_password text, keep_session uuid) TO openclaw_user;


--
-- Name: FUNCTION auth_login(email text, password text, refresh_hash bytea, refresh_ttl interval); Type: ACL; Schema: app_hidden; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_hidden.auth_login(email text, password text, refresh_hash bytea, refresh_ttl interval) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.auth_login(email text, password text, refresh_hash bytea, refresh_ttl interval) TO openclaw_anonymous;


--
-- Name: FUNCTION auth_logout(refresh_hash bytea); Type: ACL; Schema: app_hidden; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_hidden.auth_logout(refresh_hash bytea) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.auth_logout(refresh_hash bytea) TO openclaw_anonymous;


--
-- Name: FUNCTION auth_refresh(old_hash bytea, new_hash bytea, refresh_ttl interval); Type: ACL; Schema: app_hidden; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_hidden.auth_refresh(old_hash bytea, new_hash bytea, refresh_ttl interval) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.auth_refresh(old_hash bytea, new_hash bytea, refresh_ttl interval) TO openclaw_anonymous;


--
-- Name: FUNCTION auth_register(email text, password text, display_name text); Type: ACL; Schema: app_hidden; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_hidden.auth_register(email text, password text, display_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.auth_register(email text, password text, display_name text) TO openclaw_anonymous;


--
-- Name: FUNCTION current_user_id(); Type: ACL; Schema: app_public; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_public.current_user_id() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.current_user_id() TO openclaw_anonymous;
GRANT ALL ON FUNCTION app_public.current_user_id() TO openclaw_user;
GRANT ALL ON FUNCTION app_public.current_user_id() TO openclaw_auth;
GRANT ALL ON FUNCTION app_public.current_user_id() TO openclaw_auditor;
GRANT ALL ON FUNCTION app_public.current_user_id() TO openclaw_jobs;
GRANT ALL ON FUNCTION app_public.current_user_id() TO openclaw_billing;
GRANT ALL ON FUNCTION app_public.current_user_id() TO openclaw_maintenance;


--
-- Name: TABLE orders; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT ON TABLE app_public.orders TO openclaw_user;
GRANT SELECT ON TABLE app_public.orders TO openclaw_billing;


--
-- Name: COLUMN orders.user_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(user_id) ON TABLE app_public.orders TO openclaw_billing;


--
-- Name: COLUMN orders.plan_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(plan_id) ON TABLE app_public.orders TO openclaw_billing;


--
-- Name: COLUMN orders.coupon_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(coupon_id) ON TABLE app_public.orders TO openclaw_billing;


--
-- Name: COLUMN orders.amount_cents; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(amount_cents) ON TABLE app_public.orders TO openclaw_billing;


--
-- Name: COLUMN orders.currency; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(currency) ON TABLE app_public.orders TO openclaw_billing;


--
-- Name: COLUMN orders.status; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(status) ON TABLE app_public.orders TO openclaw_admin;
GRANT UPDATE(status) ON TABLE app_public.orders TO openclaw_billing;


--
-- Name: COLUMN orders.paid_at; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(paid_at) ON TABLE app_public.orders TO openclaw_admin;
GRANT UPDATE(paid_at) ON TABLE app_public.orders TO openclaw_billing;


--
-- Name: COLUMN orders.cancel_reason; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(cancel_reason) ON TABLE app_public.orders TO openclaw_billing;


--
-- Name: FUNCTION billing_confirm_payment(provider text, event_id text, order_id uuid, amount_cents integer, currency text); Type: ACL; Schema: app_hidden; Owner: openclaw_billing
--

REVOKE ALL ON FUNCTION app_hidden.billing_confirm_payment(provider text, event_id text, order_id uuid, amount_cents integer, currency text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.billing_confirm_payment(provider text, event_id text, order_id uuid, amount_cents integer, currency text) TO openclaw_anonymous;
GRANT ALL ON FUNCTION app_hidden.billing_confirm_payment(provider text, event_id text, order_id uuid, amount_cents integer, currency text) TO openclaw_admin;


--
-- Name: FUNCTION files_to_purge(abandoned_after interval, max_rows integer); Type: ACL; Schema: app_hidden; Owner: openclaw_maintenance
--

REVOKE ALL ON FUNCTION app_hidden.files_to_purge(abandoned_after interval, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.files_to_purge(abandoned_after interval, max_rows integer) TO openclaw_worker;


--
-- Name: FUNCTION forget_purged_files(ids uuid[], abandoned_after interval); Type: ACL; Schema: app_hidden; Owner: openclaw_maintenance
--

REVOKE ALL ON FUNCTION app_hidden.forget_purged_files(ids uuid[], abandoned_after interval) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.forget_purged_files(ids uuid[], abandoned_after interval) TO openclaw_worker;


--
-- Name: FUNCTION gateway_device_auth(device_token text, device_key_id text); Type: ACL; Schema: app_hidden; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_hidden.gateway_device_auth(device_token text, device_key_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.gateway_device_auth(device_token text, device_key_id text) TO openclaw_anonymous;


--
-- Name: FUNCTION gateway_node_enroll(token text, device_key_id text, public_key text, name text, platform text, device_family text, client_id text, client_version text, caps text[], commands text[], remote_address inet); Type: ACL; Schema: app_hidden; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_hidden.gateway_node_enroll(token text, device_key_id text, public_key text, name text, platform text, device_family text, client_id text, client_version text, caps text[], commands text[], remote_address inet) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.gateway_node_enroll(token text, device_key_id text, public_key text, name text, platform text, device_family text, client_id text, client_version text, caps text[], commands text[], remote_address inet) TO openclaw_anonymous;


--
-- Name: FUNCTION hybrid_search(source text, query_text text, query_embedding public.vector, match_count integer); Type: ACL; Schema: app_hidden; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_hidden.hybrid_search(source text, query_text text, query_embedding public.vector, match_count integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.hybrid_search(source text, query_text text, query_embedding public.vector, match_count integer) TO openclaw_user;


--
-- Name: FUNCTION quota_rollover(); Type: ACL; Schema: app_hidden; Owner: openclaw_maintenance
--

REVOKE ALL ON FUNCTION app_hidden.quota_rollover() FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.quota_rollover() TO openclaw_worker;


--
-- Name: FUNCTION record_device_connection(device_id uuid, caps text[], commands text[], platform text, device_family text, client_id text, client_version text); Type: ACL; Schema: app_hidden; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_hidden.record_device_connection(device_id uuid, caps text[], commands text[], platform text, device_family text, client_id text, client_version text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.record_device_connection(device_id uuid, caps text[], commands text[], platform text, device_family text, client_id text, client_version text) TO openclaw_user;


--
-- Name: FUNCTION record_device_seen(device_id uuid); Type: ACL; Schema: app_hidden; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_hidden.record_device_seen(device_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.record_device_seen(device_id uuid) TO openclaw_user;


--
-- Name: FUNCTION record_turn_usage(p_messages integer, p_tokens bigint, p_details jsonb); Type: ACL; Schema: app_hidden; Owner: openclaw_maintenance
--

REVOKE ALL ON FUNCTION app_hidden.record_turn_usage(p_messages integer, p_tokens bigint, p_details jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.record_turn_usage(p_messages integer, p_tokens bigint, p_details jsonb) TO openclaw_user;


--
-- Name: FUNCTION retention_sweep(usage_events_keep interval, expired_keep interval); Type: ACL; Schema: app_hidden; Owner: openclaw_maintenance
--

REVOKE ALL ON FUNCTION app_hidden.retention_sweep(usage_events_keep interval, expired_keep interval) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.retention_sweep(usage_events_keep interval, expired_keep interval) TO openclaw_worker;


--
-- Name: FUNCTION retention_sweep_sessions(expired_keep interval); Type: ACL; Schema: app_hidden; Owner: openclaw_maintenance
--

REVOKE ALL ON FUNCTION app_hidden.retention_sweep_sessions(expired_keep interval) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.retention_sweep_sessions(expired_keep interval) TO openclaw_worker;


--
-- Name: FUNCTION search_document(content text); Type: ACL; Schema: app_hidden; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_hidden.search_document(content text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.search_document(content text) TO openclaw_user;


--
-- Name: FUNCTION search_grams(content text, OUT terms text, OUT unigrams text); Type: ACL; Schema: app_hidden; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_hidden.search_grams(content text, OUT terms text, OUT unigrams text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.search_grams(content text, OUT terms text, OUT unigrams text) TO openclaw_user;


--
-- Name: FUNCTION search_query(query_text text); Type: ACL; Schema: app_hidden; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_hidden.search_query(query_text text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.search_query(query_text text) TO openclaw_user;


--
-- Name: FUNCTION session_identity(session_id uuid); Type: ACL; Schema: app_hidden; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_hidden.session_identity(session_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.session_identity(session_id uuid) TO openclaw_anonymous;


--
-- Name: FUNCTION turn_quota(); Type: ACL; Schema: app_hidden; Owner: openclaw_maintenance
--

REVOKE ALL ON FUNCTION app_hidden.turn_quota() FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.turn_quota() TO openclaw_user;


--
-- Name: FUNCTION unreferenced_object_keys(keys text[]); Type: ACL; Schema: app_hidden; Owner: openclaw_maintenance
--

REVOKE ALL ON FUNCTION app_hidden.unreferenced_object_keys(keys text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.unreferenced_object_keys(keys text[]) TO openclaw_worker;


--
-- Name: FUNCTION users_needing_reembed(model text, max_rows integer); Type: ACL; Schema: app_hidden; Owner: openclaw_maintenance
--

REVOKE ALL ON FUNCTION app_hidden.users_needing_reembed(model text, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.users_needing_reembed(model text, max_rows integer) TO openclaw_worker;


--
-- Name: FUNCTION audit(action text, target_table text, target_id text, details jsonb); Type: ACL; Schema: app_private; Owner: openclaw_auditor
--

REVOKE ALL ON FUNCTION app_private.audit(action text, target_table text, target_id text, details jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION app_private.audit(action text, target_table text, target_id text, details jsonb) TO openclaw_auth;
GRANT ALL ON FUNCTION app_private.audit(action text, target_table text, target_id text, details jsonb) TO openclaw_billing;


--
-- Name: TABLE usage_quotas; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT ON TABLE app_public.usage_quotas TO openclaw_user;
GRANT SELECT ON TABLE app_public.usage_quotas TO openclaw_billing;
GRANT SELECT ON TABLE app_public.usage_quotas TO openclaw_maintenance;


--
-- Name: COLUMN usage_quotas.user_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(user_id) ON TABLE app_public.usage_quotas TO openclaw_admin;
GRANT INSERT(user_id) ON TABLE app_public.usage_quotas TO openclaw_billing;
GRANT INSERT(user_id) ON TABLE app_public.usage_quotas TO openclaw_maintenance;


--
-- Name: COLUMN usage_quotas.period_start; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(period_start) ON TABLE app_public.usage_quotas TO openclaw_admin;
GRANT INSERT(period_start) ON TABLE app_public.usage_quotas TO openclaw_billing;
GRANT INSERT(period_start) ON TABLE app_public.usage_quotas TO openclaw_maintenance;


--
-- Name: COLUMN usage_quotas.period_end; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(period_end) ON TABLE app_public.usage_quotas TO openclaw_admin;
GRANT INSERT(period_end) ON TABLE app_public.usage_quotas TO openclaw_billing;
GRANT INSERT(period_end) ON TABLE app_public.usage_quotas TO openclaw_maintenance;


--
-- Name: COLUMN usage_quotas.messages_limit; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(messages_limit),UPDATE(messages_limit) ON TABLE app_public.usage_quotas TO openclaw_admin;
GRANT INSERT(messages_limit) ON TABLE app_public.usage_quotas TO openclaw_billing;
GRANT INSERT(messages_limit),UPDATE(messages_limit) ON TABLE app_public.usage_quotas TO openclaw_maintenance;


--
-- Name: COLUMN usage_quotas.tokens_limit; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(tokens_limit),UPDATE(tokens_limit) ON TABLE app_public.usage_quotas TO openclaw_admin;
GRANT INSERT(tokens_limit) ON TABLE app_public.usage_quotas TO openclaw_billing;
GRANT INSERT(tokens_limit),UPDATE(tokens_limit) ON TABLE app_public.usage_quotas TO openclaw_maintenance;


--
-- Name: COLUMN usage_quotas.storage_bytes_limit; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(storage_bytes_limit),UPDATE(storage_bytes_limit) ON TABLE app_public.usage_quotas TO openclaw_admin;
GRANT INSERT(storage_bytes_limit) ON TABLE app_public.usage_quotas TO openclaw_billing;
GRANT INSERT(storage_bytes_limit),UPDATE(storage_bytes_limit) ON TABLE app_public.usage_quotas TO openclaw_maintenance;


--
-- Name: COLUMN usage_quotas.devices_limit; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(devices_limit),UPDATE(devices_limit) ON TABLE app_public.usage_quotas TO openclaw_admin;
GRANT INSERT(devices_limit) ON TABLE app_public.usage_quotas TO openclaw_billing;
GRANT INSERT(devices_limit),UPDATE(devices_limit) ON TABLE app_public.usage_quotas TO openclaw_maintenance;


--
-- Name: COLUMN usage_quotas.messages_used; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(messages_used) ON TABLE app_public.usage_quotas TO openclaw_maintenance;


--
-- Name: COLUMN usage_quotas.tokens_used; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(tokens_used) ON TABLE app_public.usage_quotas TO openclaw_maintenance;


--
-- Name: COLUMN usage_quotas.storage_bytes_used; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(storage_bytes_used) ON TABLE app_public.usage_quotas TO openclaw_maintenance;


--
-- Name: FUNCTION current_quota(user_id uuid); Type: ACL; Schema: app_private; Owner: openclaw_maintenance
--

REVOKE ALL ON FUNCTION app_private.current_quota(user_id uuid) FROM PUBLIC;


--
-- Name: TABLE subscriptions; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT ON TABLE app_public.subscriptions TO openclaw_user;
GRANT SELECT ON TABLE app_public.subscriptions TO openclaw_billing;
GRANT SELECT ON TABLE app_public.subscriptions TO openclaw_maintenance;


--
-- Name: COLUMN subscriptions.user_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(user_id) ON TABLE app_public.subscriptions TO openclaw_admin;
GRANT INSERT(user_id) ON TABLE app_public.subscriptions TO openclaw_billing;


--
-- Name: COLUMN subscriptions.plan_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(plan_id),UPDATE(plan_id) ON TABLE app_public.subscriptions TO openclaw_admin;
GRANT INSERT(plan_id) ON TABLE app_public.subscriptions TO openclaw_billing;


--
-- Name: COLUMN subscriptions.status; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(status),UPDATE(status) ON TABLE app_public.subscriptions TO openclaw_admin;
GRANT INSERT(status),UPDATE(status) ON TABLE app_public.subscriptions TO openclaw_billing;
GRANT UPDATE(status) ON TABLE app_public.subscriptions TO openclaw_maintenance;


--
-- Name: COLUMN subscriptions.current_period_start; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(current_period_start) ON TABLE app_public.subscriptions TO openclaw_admin;
GRANT INSERT(current_period_start) ON TABLE app_public.subscriptions TO openclaw_billing;


--
-- Name: COLUMN subscriptions.current_period_end; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(current_period_end),UPDATE(current_period_end) ON TABLE app_public.subscriptions TO openclaw_admin;
GRANT INSERT(current_period_end),UPDATE(current_period_end) ON TABLE app_public.subscriptions TO openclaw_billing;


--
-- Name: COLUMN subscriptions.canceled_at; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(canceled_at) ON TABLE app_public.subscriptions TO openclaw_admin;
GRANT UPDATE(canceled_at) ON TABLE app_public.subscriptions TO openclaw_billing;


--
-- Name: FUNCTION dearer_active_subscription(user_id uuid, plan_id uuid); Type: ACL; Schema: app_private; Owner: openclaw_billing
--

REVOKE ALL ON FUNCTION app_private.dearer_active_subscription(user_id uuid, plan_id uuid) FROM PUBLIC;


--
-- Name: TABLE plans; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT ON TABLE app_public.plans TO openclaw_anonymous;
GRANT SELECT ON TABLE app_public.plans TO openclaw_user;
GRANT DELETE ON TABLE app_public.plans TO openclaw_admin;
GRANT SELECT ON TABLE app_public.plans TO openclaw_billing;
GRANT SELECT ON TABLE app_public.plans TO openclaw_maintenance;


--
-- Name: COLUMN plans.slug; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(slug),UPDATE(slug) ON TABLE app_public.plans TO openclaw_admin;


--
-- Name: COLUMN plans.name; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(name),UPDATE(name) ON TABLE app_public.plans TO openclaw_admin;


--
-- Name: COLUMN plans.description; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(description),UPDATE(description) ON TABLE app_public.plans TO openclaw_admin;


--
-- Name: COLUMN plans.price_cents; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(price_cents),UPDATE(price_cents) ON TABLE app_public.plans TO openclaw_admin;


--
-- Name: COLUMN plans.currency; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(currency),UPDATE(currency) ON TABLE app_public.plans TO openclaw_admin;


--
-- Name: COLUMN plans.billing_interval; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(billing_interval),UPDATE(billing_interval) ON TABLE app_public.plans TO openclaw_admin;


--
-- Name: COLUMN plans.max_devices; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(max_devices),UPDATE(max_devices) ON TABLE app_public.plans TO openclaw_admin;


--
-- Name: COLUMN plans.monthly_messages; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(monthly_messages),UPDATE(monthly_messages) ON TABLE app_public.plans TO openclaw_admin;


--
-- Name: COLUMN plans.monthly_tokens; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(monthly_tokens),UPDATE(monthly_tokens) ON TABLE app_public.plans TO openclaw_admin;


--
-- Name: COLUMN plans.storage_bytes; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(storage_bytes),UPDATE(storage_bytes) ON TABLE app_public.plans TO openclaw_admin;


--
-- Name: COLUMN plans.allowed_models; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(allowed_models),UPDATE(allowed_models) ON TABLE app_public.plans TO openclaw_admin;


--
-- Name: COLUMN plans.is_active; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(is_active),UPDATE(is_active) ON TABLE app_public.plans TO openclaw_admin;


--
-- Name: COLUMN plans.is_default; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(is_default),UPDATE(is_default) ON TABLE app_public.plans TO openclaw_admin;


--
-- Name: FUNCTION effective_plan(user_id uuid); Type: ACL; Schema: app_private; Owner: openclaw_maintenance
--

REVOKE ALL ON FUNCTION app_private.effective_plan(user_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION end_sessions(user_id uuid, reason text, only_session uuid, keep uuid); Type: ACL; Schema: app_private; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_private.end_sessions(user_id uuid, reason text, only_session uuid, keep uuid) FROM PUBLIC;


--
-- Name: FUNCTION json_schema_problem(schema jsonb, value jsonb, path text); Type: ACL; Schema: app_private; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_private.json_schema_problem(schema jsonb, value jsonb, path text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_private.json_schema_problem(schema jsonb, value jsonb, path text) TO openclaw_maintenance;


--
-- Name: FUNCTION lock_user_plan(user_id uuid); Type: ACL; Schema: app_private; Owner: openclaw_maintenance
--

REVOKE ALL ON FUNCTION app_private.lock_user_plan(user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_private.lock_user_plan(user_id uuid) TO openclaw_billing;


--
-- Name: FUNCTION register_user(email text, password text, display_name text); Type: ACL; Schema: app_private; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_private.register_user(email text, password text, display_name text) FROM PUBLIC;


--
-- Name: FUNCTION reset_password(user_id uuid, new_password text); Type: ACL; Schema: app_private; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_private.reset_password(user_id uuid, new_password text) FROM PUBLIC;


--
-- Name: FUNCTION sync_quota_limits(user_id uuid); Type: ACL; Schema: app_private; Owner: openclaw_maintenance
--

REVOKE ALL ON FUNCTION app_private.sync_quota_limits(user_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION tg__announce(); Type: ACL; Schema: app_private; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_private.tg__announce() FROM PUBLIC;


--
-- Name: FUNCTION tg__audit_change(); Type: ACL; Schema: app_private; Owner: openclaw_auditor
--

REVOKE ALL ON FUNCTION app_private.tg__audit_change() FROM PUBLIC;
GRANT ALL ON FUNCTION app_private.tg__audit_change() TO openclaw_owner;


--
-- Name: FUNCTION tg__notify_subscribers(); Type: ACL; Schema: app_private; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_private.tg__notify_subscribers() FROM PUBLIC;


--
-- Name: FUNCTION tg__set_updated_at(); Type: ACL; Schema: app_private; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_private.tg__set_updated_at() FROM PUBLIC;


--
-- Name: FUNCTION tg_approvals__audit(); Type: ACL; Schema: app_private; Owner: openclaw_auditor
--

REVOKE ALL ON FUNCTION app_private.tg_approvals__audit() FROM PUBLIC;
GRANT ALL ON FUNCTION app_private.tg_approvals__audit() TO openclaw_owner;


--
-- Name: FUNCTION tg_approvals__decided_once(); Type: ACL; Schema: app_private; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_private.tg_approvals__decided_once() FROM PUBLIC;


--
-- Name: FUNCTION tg_audit_log__refuse_change(); Type: ACL; Schema: app_private; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_private.tg_audit_log__refuse_change() FROM PUBLIC;


--
-- Name: FUNCTION tg_devices__enforce_device_limit(); Type: ACL; Schema: app_private; Owner: openclaw_maintenance
--

REVOKE ALL ON FUNCTION app_private.tg_devices__enforce_device_limit() FROM PUBLIC;
GRANT ALL ON FUNCTION app_private.tg_devices__enforce_device_limit() TO openclaw_owner;


--
-- Name: FUNCTION tg_devices__forget_token(); Type: ACL; Schema: app_private; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_private.tg_devices__forget_token() FROM PUBLIC;
GRANT ALL ON FUNCTION app_private.tg_devices__forget_token() TO openclaw_owner;


--
-- Name: FUNCTION tg_messages__queue_memory_jobs(); Type: ACL; Schema: app_private; Owner: openclaw_jobs
--

REVOKE ALL ON FUNCTION app_private.tg_messages__queue_memory_jobs() FROM PUBLIC;
GRANT ALL ON FUNCTION app_private.tg_messages__queue_memory_jobs() TO openclaw_owner;


--
-- Name: FUNCTION tg_subscriptions__sync_quota(); Type: ACL; Schema: app_private; Owner: openclaw_maintenance
--

REVOKE ALL ON FUNCTION app_private.tg_subscriptions__sync_quota() FROM PUBLIC;
GRANT ALL ON FUNCTION app_private.tg_subscriptions__sync_quota() TO openclaw_owner;


--
-- Name: FUNCTION tg_system_configs__check_value(); Type: ACL; Schema: app_private; Owner: openclaw_maintenance
--

REVOKE ALL ON FUNCTION app_private.tg_system_configs__check_value() FROM PUBLIC;
GRANT ALL ON FUNCTION app_private.tg_system_configs__check_value() TO openclaw_owner;


--
-- Name: FUNCTION tg_usage_quotas__seed_storage_used(); Type: ACL; Schema: app_private; Owner: openclaw_maintenance
--

REVOKE ALL ON FUNCTION app_private.tg_usage_quotas__seed_storage_used() FROM PUBLIC;
GRANT ALL ON FUNCTION app_private.tg_usage_quotas__seed_storage_used() TO openclaw_owner;


--
-- Name: FUNCTION tg_user_assistant_configs__check_model(); Type: ACL; Schema: app_private; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_private.tg_user_assistant_configs__check_model() FROM PUBLIC;


--
-- Name: FUNCTION tg_user_custom_skill_versions__queue_check(); Type: ACL; Schema: app_private; Owner: openclaw_jobs
--

REVOKE ALL ON FUNCTION app_private.tg_user_custom_skill_versions__queue_check() FROM PUBLIC;
GRANT ALL ON FUNCTION app_private.tg_user_custom_skill_versions__queue_check() TO openclaw_owner;


--
-- Name: FUNCTION tg_user_files__charge_storage(); Type: ACL; Schema: app_private; Owner: openclaw_maintenance
--

REVOKE ALL ON FUNCTION app_private.tg_user_files__charge_storage() FROM PUBLIC;
GRANT ALL ON FUNCTION app_private.tg_user_files__charge_storage() TO openclaw_owner;


--
-- Name: FUNCTION tg_user_files__count_storage(); Type: ACL; Schema: app_private; Owner: openclaw_maintenance
--

REVOKE ALL ON FUNCTION app_private.tg_user_files__count_storage() FROM PUBLIC;
GRANT ALL ON FUNCTION app_private.tg_user_files__count_storage() TO openclaw_owner;


--
-- Name: FUNCTION tg_user_files__queue_ingest(); Type: ACL; Schema: app_private; Owner: openclaw_jobs
--

REVOKE ALL ON FUNCTION app_private.tg_user_files__queue_ingest() FROM PUBLIC;
GRANT ALL ON FUNCTION app_private.tg_user_files__queue_ingest() TO openclaw_owner;


--
-- Name: FUNCTION tg_user_memories__queue_reembed(); Type: ACL; Schema: app_private; Owner: openclaw_jobs
--

REVOKE ALL ON FUNCTION app_private.tg_user_memories__queue_reembed() FROM PUBLIC;
GRANT ALL ON FUNCTION app_private.tg_user_memories__queue_reembed() TO openclaw_owner;


--
-- Name: FUNCTION tg_user_memories__revise(); Type: ACL; Schema: app_private; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_private.tg_user_memories__revise() FROM PUBLIC;


--
-- Name: FUNCTION tg_users__end_sessions(); Type: ACL; Schema: app_private; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_private.tg_users__end_sessions() FROM PUBLIC;
GRANT ALL ON FUNCTION app_private.tg_users__end_sessions() TO openclaw_owner;


--
-- Name: FUNCTION verify_password(email text, password text); Type: ACL; Schema: app_private; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_private.verify_password(email text, password text) FROM PUBLIC;


--
-- Name: FUNCTION admin_cancel_subscription(subscription_id uuid); Type: ACL; Schema: app_public; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_public.admin_cancel_subscription(subscription_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.admin_cancel_subscription(subscription_id uuid) TO openclaw_admin;


--
-- Name: FUNCTION admin_daily_activity(since date, until date); Type: ACL; Schema: app_public; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_public.admin_daily_activity(since date, until date) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.admin_daily_activity(since date, until date) TO openclaw_admin;


--
-- Name: FUNCTION admin_dashboard(); Type: ACL; Schema: app_public; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_public.admin_dashboard() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.admin_dashboard() TO openclaw_admin;


--
-- Name: FUNCTION admin_extend_subscription(subscription_id uuid, days integer); Type: ACL; Schema: app_public; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_public.admin_extend_subscription(subscription_id uuid, days integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.admin_extend_subscription(subscription_id uuid, days integer) TO openclaw_admin;


--
-- Name: FUNCTION admin_grant_subscription(user_id uuid, plan_id uuid, days integer); Type: ACL; Schema: app_public; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_public.admin_grant_subscription(user_id uuid, plan_id uuid, days integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.admin_grant_subscription(user_id uuid, plan_id uuid, days integer) TO openclaw_admin;


--
-- Name: FUNCTION admin_mark_order_paid(order_id uuid, reference text); Type: ACL; Schema: app_public; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_public.admin_mark_order_paid(order_id uuid, reference text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.admin_mark_order_paid(order_id uuid, reference text) TO openclaw_admin;


--
-- Name: TABLE store_skill_versions; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT ON TABLE app_public.store_skill_versions TO openclaw_anonymous;
GRANT SELECT ON TABLE app_public.store_skill_versions TO openclaw_user;
GRANT SELECT ON TABLE app_public.store_skill_versions TO openclaw_maintenance;


--
-- Name: COLUMN store_skill_versions.store_skill_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(store_skill_id) ON TABLE app_public.store_skill_versions TO openclaw_user;


--
-- Name: COLUMN store_skill_versions.source_version_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(source_version_id) ON TABLE app_public.store_skill_versions TO openclaw_user;


--
-- Name: COLUMN store_skill_versions.version; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(version) ON TABLE app_public.store_skill_versions TO openclaw_user;


--
-- Name: COLUMN store_skill_versions.object_key; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(object_key) ON TABLE app_public.store_skill_versions TO openclaw_user;


--
-- Name: COLUMN store_skill_versions.sha256; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(sha256) ON TABLE app_public.store_skill_versions TO openclaw_user;


--
-- Name: COLUMN store_skill_versions.manifest; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(manifest) ON TABLE app_public.store_skill_versions TO openclaw_user;


--
-- Name: COLUMN store_skill_versions.review_state; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(review_state) ON TABLE app_public.store_skill_versions TO openclaw_user;
GRANT UPDATE(review_state) ON TABLE app_public.store_skill_versions TO openclaw_admin;


--
-- Name: COLUMN store_skill_versions.review_reason; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(review_reason) ON TABLE app_public.store_skill_versions TO openclaw_admin;


--
-- Name: COLUMN store_skill_versions.reviewed_by; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(reviewed_by) ON TABLE app_public.store_skill_versions TO openclaw_admin;


--
-- Name: COLUMN store_skill_versions.reviewed_at; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(reviewed_at) ON TABLE app_public.store_skill_versions TO openclaw_admin;


--
-- Name: FUNCTION admin_review_store_skill_version(version_id uuid, approve boolean, reason text); Type: ACL; Schema: app_public; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_public.admin_review_store_skill_version(version_id uuid, approve boolean, reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.admin_review_store_skill_version(version_id uuid, approve boolean, reason text) TO openclaw_admin;


--
-- Name: TABLE devices; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT,DELETE ON TABLE app_public.devices TO openclaw_user;
GRANT SELECT ON TABLE app_public.devices TO openclaw_auth;
GRANT SELECT ON TABLE app_public.devices TO openclaw_maintenance;


--
-- Name: COLUMN devices.user_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(user_id) ON TABLE app_public.devices TO openclaw_auth;


--
-- Name: COLUMN devices.device_key_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(device_key_id) ON TABLE app_public.devices TO openclaw_auth;


--
-- Name: COLUMN devices.public_key; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(public_key) ON TABLE app_public.devices TO openclaw_auth;


--
-- Name: COLUMN devices.name; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(name),UPDATE(name) ON TABLE app_public.devices TO openclaw_auth;
GRANT UPDATE(name) ON TABLE app_public.devices TO openclaw_user;


--
-- Name: COLUMN devices.platform; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(platform),UPDATE(platform) ON TABLE app_public.devices TO openclaw_auth;


--
-- Name: COLUMN devices.device_family; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(device_family),UPDATE(device_family) ON TABLE app_public.devices TO openclaw_auth;


--
-- Name: COLUMN devices.client_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(client_id),UPDATE(client_id) ON TABLE app_public.devices TO openclaw_auth;


--
-- Name: COLUMN devices.client_version; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(client_version),UPDATE(client_version) ON TABLE app_public.devices TO openclaw_auth;


--
-- Name: COLUMN devices.caps; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(caps),UPDATE(caps) ON TABLE app_public.devices TO openclaw_auth;


--
-- Name: COLUMN devices.commands; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(commands),UPDATE(commands) ON TABLE app_public.devices TO openclaw_auth;


--
-- Name: COLUMN devices.status; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(status),UPDATE(status) ON TABLE app_public.devices TO openclaw_auth;


--
-- Name: COLUMN devices.paired_at; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(paired_at),UPDATE(paired_at) ON TABLE app_public.devices TO openclaw_auth;


--
-- Name: COLUMN devices.revoked_at; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(revoked_at) ON TABLE app_public.devices TO openclaw_auth;


--
-- Name: COLUMN devices.last_seen_at; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(last_seen_at),UPDATE(last_seen_at) ON TABLE app_public.devices TO openclaw_auth;


--
-- Name: FUNCTION admin_revoke_device(device_id uuid); Type: ACL; Schema: app_public; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_public.admin_revoke_device(device_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.admin_revoke_device(device_id uuid) TO openclaw_admin;


--
-- Name: TABLE users; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT ON TABLE app_public.users TO openclaw_user;
GRANT DELETE ON TABLE app_public.users TO openclaw_admin;
GRANT SELECT ON TABLE app_public.users TO openclaw_auth;
GRANT SELECT ON TABLE app_public.users TO openclaw_maintenance;


--
-- Name: COLUMN users.email; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(email) ON TABLE app_public.users TO openclaw_auth;


--
-- Name: COLUMN users.display_name; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(display_name) ON TABLE app_public.users TO openclaw_user;
GRANT INSERT(display_name) ON TABLE app_public.users TO openclaw_auth;


--
-- Name: COLUMN users.avatar_url; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(avatar_url) ON TABLE app_public.users TO openclaw_user;


--
-- Name: COLUMN users.locale; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(locale) ON TABLE app_public.users TO openclaw_user;
GRANT INSERT(locale) ON TABLE app_public.users TO openclaw_auth;


--
-- Name: COLUMN users.timezone; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(timezone) ON TABLE app_public.users TO openclaw_user;
GRANT INSERT(timezone) ON TABLE app_public.users TO openclaw_auth;


--
-- Name: COLUMN users.role; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(role) ON TABLE app_public.users TO openclaw_admin;


--
-- Name: COLUMN users.status; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(status) ON TABLE app_public.users TO openclaw_admin;


--
-- Name: COLUMN users.suspended_reason; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(suspended_reason) ON TABLE app_public.users TO openclaw_admin;


--
-- Name: COLUMN users.last_seen_at; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(last_seen_at) ON TABLE app_public.users TO openclaw_auth;


--
-- Name: FUNCTION admin_search_users(query text, status app_public.user_status); Type: ACL; Schema: app_public; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_public.admin_search_users(query text, status app_public.user_status) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.admin_search_users(query text, status app_public.user_status) TO openclaw_admin;


--
-- Name: FUNCTION admin_set_user_role(user_id uuid, role app_public.user_role); Type: ACL; Schema: app_public; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_public.admin_set_user_role(user_id uuid, role app_public.user_role) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.admin_set_user_role(user_id uuid, role app_public.user_role) TO openclaw_admin;


--
-- Name: FUNCTION admin_set_user_status(user_id uuid, status app_public.user_status, reason text); Type: ACL; Schema: app_public; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_public.admin_set_user_status(user_id uuid, status app_public.user_status, reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.admin_set_user_status(user_id uuid, status app_public.user_status, reason text) TO openclaw_admin;


--
-- Name: FUNCTION allowed_models(); Type: ACL; Schema: app_public; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_public.allowed_models() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.allowed_models() TO openclaw_user;


--
-- Name: FUNCTION approve_device_pairing(request_id uuid); Type: ACL; Schema: app_public; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_public.approve_device_pairing(request_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.approve_device_pairing(request_id uuid) TO openclaw_user;


--
-- Name: FUNCTION create_order(plan_id uuid, coupon_code text); Type: ACL; Schema: app_public; Owner: openclaw_billing
--

REVOKE ALL ON FUNCTION app_public.create_order(plan_id uuid, coupon_code text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.create_order(plan_id uuid, coupon_code text) TO openclaw_user;


--
-- Name: FUNCTION "current_user"(); Type: ACL; Schema: app_public; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_public."current_user"() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public."current_user"() TO openclaw_user;


--
-- Name: FUNCTION issue_node_token(label text, auto_approve boolean); Type: ACL; Schema: app_public; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_public.issue_node_token(label text, auto_approve boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.issue_node_token(label text, auto_approve boolean) TO openclaw_user;


--
-- Name: FUNCTION issue_pairing_code(); Type: ACL; Schema: app_public; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_public.issue_pairing_code() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.issue_pairing_code() TO openclaw_user;


--
-- Name: TABLE device_pairing_requests; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT,DELETE ON TABLE app_public.device_pairing_requests TO openclaw_user;
GRANT SELECT ON TABLE app_public.device_pairing_requests TO openclaw_auth;
GRANT SELECT,DELETE ON TABLE app_public.device_pairing_requests TO openclaw_maintenance;


--
-- Name: COLUMN device_pairing_requests.user_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(user_id) ON TABLE app_public.device_pairing_requests TO openclaw_auth;


--
-- Name: COLUMN device_pairing_requests.node_token_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(node_token_id),UPDATE(node_token_id) ON TABLE app_public.device_pairing_requests TO openclaw_auth;


--
-- Name: COLUMN device_pairing_requests.device_key_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(device_key_id) ON TABLE app_public.device_pairing_requests TO openclaw_auth;


--
-- Name: COLUMN device_pairing_requests.public_key; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(public_key) ON TABLE app_public.device_pairing_requests TO openclaw_auth;


--
-- Name: COLUMN device_pairing_requests.name; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(name),UPDATE(name) ON TABLE app_public.device_pairing_requests TO openclaw_auth;


--
-- Name: COLUMN device_pairing_requests.platform; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(platform),UPDATE(platform) ON TABLE app_public.device_pairing_requests TO openclaw_auth;


--
-- Name: COLUMN device_pairing_requests.caps; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(caps),UPDATE(caps) ON TABLE app_public.device_pairing_requests TO openclaw_auth;


--
-- Name: COLUMN device_pairing_requests.commands; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(commands),UPDATE(commands) ON TABLE app_public.device_pairing_requests TO openclaw_auth;


--
-- Name: COLUMN device_pairing_requests.remote_address; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(remote_address),UPDATE(remote_address) ON TABLE app_public.device_pairing_requests TO openclaw_auth;


--
-- Name: COLUMN device_pairing_requests.status; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(status) ON TABLE app_public.device_pairing_requests TO openclaw_auth;
GRANT UPDATE(status) ON TABLE app_public.device_pairing_requests TO openclaw_maintenance;


--
-- Name: COLUMN device_pairing_requests.expires_at; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(expires_at) ON TABLE app_public.device_pairing_requests TO openclaw_auth;


--
-- Name: COLUMN device_pairing_requests.decided_at; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(decided_at) ON TABLE app_public.device_pairing_requests TO openclaw_auth;


--
-- Name: FUNCTION reject_device_pairing(request_id uuid); Type: ACL; Schema: app_public; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_public.reject_device_pairing(request_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.reject_device_pairing(request_id uuid) TO openclaw_user;


--
-- Name: FUNCTION revoke_device(device_id uuid); Type: ACL; Schema: app_public; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_public.revoke_device(device_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.revoke_device(device_id uuid) TO openclaw_user;


--
-- Name: TABLE node_tokens; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT,DELETE ON TABLE app_public.node_tokens TO openclaw_user;
GRANT SELECT ON TABLE app_public.node_tokens TO openclaw_auth;


--
-- Name: COLUMN node_tokens.user_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(user_id) ON TABLE app_public.node_tokens TO openclaw_auth;


--
-- Name: COLUMN node_tokens.label; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(label),UPDATE(label) ON TABLE app_public.node_tokens TO openclaw_user;
GRANT INSERT(label) ON TABLE app_public.node_tokens TO openclaw_auth;


--
-- Name: COLUMN node_tokens.auto_approve; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(auto_approve),UPDATE(auto_approve) ON TABLE app_public.node_tokens TO openclaw_user;
GRANT INSERT(auto_approve) ON TABLE app_public.node_tokens TO openclaw_auth;


--
-- Name: COLUMN node_tokens.last_used_at; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(last_used_at) ON TABLE app_public.node_tokens TO openclaw_auth;


--
-- Name: COLUMN node_tokens.expires_at; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(expires_at) ON TABLE app_public.node_tokens TO openclaw_user;


--
-- Name: COLUMN node_tokens.revoked_at; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(revoked_at) ON TABLE app_public.node_tokens TO openclaw_auth;


--
-- Name: FUNCTION revoke_node_token(node_token_id uuid); Type: ACL; Schema: app_public; Owner: openclaw_auth
--

REVOKE ALL ON FUNCTION app_public.revoke_node_token(node_token_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.revoke_node_token(node_token_id uuid) TO openclaw_user;


--
-- Name: FUNCTION search_file_chunks(query text, query_embedding public.vector, match_count integer); Type: ACL; Schema: app_public; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_public.search_file_chunks(query text, query_embedding public.vector, match_count integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.search_file_chunks(query text, query_embedding public.vector, match_count integer) TO openclaw_user;


--
-- Name: FUNCTION search_memories(query text, query_embedding public.vector, match_count integer); Type: ACL; Schema: app_public; Owner: openclaw_owner
--

REVOKE ALL ON FUNCTION app_public.search_memories(query text, query_embedding public.vector, match_count integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.search_memories(query text, query_embedding public.vector, match_count integer) TO openclaw_user;


--
-- Name: TABLE system_config_schemas; Type: ACL; Schema: app_hidden; Owner: openclaw_owner
--

GRANT SELECT ON TABLE app_hidden.system_config_schemas TO openclaw_admin;
GRANT SELECT ON TABLE app_hidden.system_config_schemas TO openclaw_maintenance;


--
-- Name: TABLE device_pairing_code_secrets; Type: ACL; Schema: app_private; Owner: openclaw_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app_private.device_pairing_code_secrets TO openclaw_auth;


--
-- Name: TABLE device_token_secrets; Type: ACL; Schema: app_private; Owner: openclaw_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app_private.device_token_secrets TO openclaw_auth;


--
-- Name: TABLE node_token_secrets; Type: ACL; Schema: app_private; Owner: openclaw_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app_private.node_token_secrets TO openclaw_auth;


--
-- Name: TABLE payment_events; Type: ACL; Schema: app_private; Owner: openclaw_owner
--

GRANT SELECT,INSERT ON TABLE app_private.payment_events TO openclaw_billing;


--
-- Name: TABLE refresh_tokens; Type: ACL; Schema: app_private; Owner: openclaw_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app_private.refresh_tokens TO openclaw_auth;
GRANT SELECT,DELETE ON TABLE app_private.refresh_tokens TO openclaw_maintenance;


--
-- Name: TABLE sessions; Type: ACL; Schema: app_private; Owner: openclaw_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app_private.sessions TO openclaw_auth;
GRANT SELECT,DELETE ON TABLE app_private.sessions TO openclaw_maintenance;


--
-- Name: TABLE user_secrets; Type: ACL; Schema: app_private; Owner: openclaw_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app_private.user_secrets TO openclaw_auth;


--
-- Name: TABLE approvals; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT ON TABLE app_public.approvals TO openclaw_user;


--
-- Name: COLUMN approvals.device_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(device_id) ON TABLE app_public.approvals TO openclaw_user;


--
-- Name: COLUMN approvals.conversation_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(conversation_id) ON TABLE app_public.approvals TO openclaw_user;


--
-- Name: COLUMN approvals.run_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(run_id) ON TABLE app_public.approvals TO openclaw_user;


--
-- Name: COLUMN approvals.command; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(command) ON TABLE app_public.approvals TO openclaw_user;


--
-- Name: COLUMN approvals.params; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(params) ON TABLE app_public.approvals TO openclaw_user;


--
-- Name: COLUMN approvals.status; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(status) ON TABLE app_public.approvals TO openclaw_user;


--
-- Name: COLUMN approvals.reason; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(reason) ON TABLE app_public.approvals TO openclaw_user;


--
-- Name: COLUMN approvals.expires_at; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(expires_at) ON TABLE app_public.approvals TO openclaw_user;


--
-- Name: COLUMN approvals.decided_at; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(decided_at) ON TABLE app_public.approvals TO openclaw_user;


--
-- Name: COLUMN approvals.decided_by; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(decided_by) ON TABLE app_public.approvals TO openclaw_user;


--
-- Name: COLUMN approvals.tool_call_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(tool_call_id) ON TABLE app_public.approvals TO openclaw_user;


--
-- Name: TABLE audit_log; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT ON TABLE app_public.audit_log TO openclaw_admin;


--
-- Name: COLUMN audit_log.actor_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(actor_id) ON TABLE app_public.audit_log TO openclaw_auditor;


--
-- Name: COLUMN audit_log.actor_role; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(actor_role) ON TABLE app_public.audit_log TO openclaw_auditor;


--
-- Name: COLUMN audit_log.action; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(action) ON TABLE app_public.audit_log TO openclaw_auditor;


--
-- Name: COLUMN audit_log.target_table; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(target_table) ON TABLE app_public.audit_log TO openclaw_auditor;


--
-- Name: COLUMN audit_log.target_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(target_id) ON TABLE app_public.audit_log TO openclaw_auditor;


--
-- Name: COLUMN audit_log.details; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(details) ON TABLE app_public.audit_log TO openclaw_auditor;


--
-- Name: TABLE conversation_summaries; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT,DELETE ON TABLE app_public.conversation_summaries TO openclaw_user;


--
-- Name: COLUMN conversation_summaries.conversation_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(conversation_id) ON TABLE app_public.conversation_summaries TO openclaw_user;


--
-- Name: COLUMN conversation_summaries.up_to_message_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(up_to_message_id),UPDATE(up_to_message_id) ON TABLE app_public.conversation_summaries TO openclaw_user;


--
-- Name: COLUMN conversation_summaries.message_count; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(message_count),UPDATE(message_count) ON TABLE app_public.conversation_summaries TO openclaw_user;


--
-- Name: COLUMN conversation_summaries.summary; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(summary),UPDATE(summary) ON TABLE app_public.conversation_summaries TO openclaw_user;


--
-- Name: TABLE conversations; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT,DELETE ON TABLE app_public.conversations TO openclaw_user;


--
-- Name: COLUMN conversations.session_key; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(session_key) ON TABLE app_public.conversations TO openclaw_user;


--
-- Name: COLUMN conversations.title; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(title),UPDATE(title) ON TABLE app_public.conversations TO openclaw_user;


--
-- Name: COLUMN conversations.archived_at; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(archived_at) ON TABLE app_public.conversations TO openclaw_user;


--
-- Name: COLUMN conversations.last_message_at; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(last_message_at) ON TABLE app_public.conversations TO openclaw_user;


--
-- Name: TABLE coupons; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT,DELETE ON TABLE app_public.coupons TO openclaw_admin;
GRANT SELECT ON TABLE app_public.coupons TO openclaw_billing;


--
-- Name: COLUMN coupons.code; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(code) ON TABLE app_public.coupons TO openclaw_admin;


--
-- Name: COLUMN coupons.percent_off; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(percent_off),UPDATE(percent_off) ON TABLE app_public.coupons TO openclaw_admin;


--
-- Name: COLUMN coupons.amount_off_cents; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(amount_off_cents),UPDATE(amount_off_cents) ON TABLE app_public.coupons TO openclaw_admin;


--
-- Name: COLUMN coupons.plan_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(plan_id),UPDATE(plan_id) ON TABLE app_public.coupons TO openclaw_admin;


--
-- Name: COLUMN coupons.max_redemptions; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(max_redemptions),UPDATE(max_redemptions) ON TABLE app_public.coupons TO openclaw_admin;


--
-- Name: COLUMN coupons.redeemed_count; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(redeemed_count) ON TABLE app_public.coupons TO openclaw_billing;


--
-- Name: COLUMN coupons.valid_from; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(valid_from),UPDATE(valid_from) ON TABLE app_public.coupons TO openclaw_admin;


--
-- Name: COLUMN coupons.valid_until; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(valid_until),UPDATE(valid_until) ON TABLE app_public.coupons TO openclaw_admin;


--
-- Name: TABLE device_pairing_codes; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT,DELETE ON TABLE app_public.device_pairing_codes TO openclaw_user;
GRANT SELECT ON TABLE app_public.device_pairing_codes TO openclaw_auth;
GRANT SELECT,DELETE ON TABLE app_public.device_pairing_codes TO openclaw_maintenance;


--
-- Name: COLUMN device_pairing_codes.user_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(user_id) ON TABLE app_public.device_pairing_codes TO openclaw_auth;


--
-- Name: COLUMN device_pairing_codes.expires_at; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(expires_at) ON TABLE app_public.device_pairing_codes TO openclaw_user;


--
-- Name: COLUMN device_pairing_codes.used_at; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(used_at) ON TABLE app_public.device_pairing_codes TO openclaw_auth;


--
-- Name: COLUMN device_pairing_codes.device_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(device_id) ON TABLE app_public.device_pairing_codes TO openclaw_auth;


--
-- Name: TABLE file_chunks; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT,DELETE ON TABLE app_public.file_chunks TO openclaw_user;
GRANT SELECT ON TABLE app_public.file_chunks TO openclaw_maintenance;


--
-- Name: COLUMN file_chunks.file_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(file_id) ON TABLE app_public.file_chunks TO openclaw_user;


--
-- Name: COLUMN file_chunks.chunk_index; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(chunk_index) ON TABLE app_public.file_chunks TO openclaw_user;


--
-- Name: COLUMN file_chunks.content; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(content) ON TABLE app_public.file_chunks TO openclaw_user;


--
-- Name: COLUMN file_chunks.token_count; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(token_count) ON TABLE app_public.file_chunks TO openclaw_user;


--
-- Name: COLUMN file_chunks.embedding; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(embedding),UPDATE(embedding) ON TABLE app_public.file_chunks TO openclaw_user;


--
-- Name: COLUMN file_chunks.embedding_model; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(embedding_model),UPDATE(embedding_model) ON TABLE app_public.file_chunks TO openclaw_user;


--
-- Name: TABLE installed_skills; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT,DELETE ON TABLE app_public.installed_skills TO openclaw_user;


--
-- Name: COLUMN installed_skills.store_skill_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(store_skill_id) ON TABLE app_public.installed_skills TO openclaw_user;


--
-- Name: COLUMN installed_skills.store_skill_version_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(store_skill_version_id),UPDATE(store_skill_version_id) ON TABLE app_public.installed_skills TO openclaw_user;


--
-- Name: COLUMN installed_skills.custom_skill_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(custom_skill_id) ON TABLE app_public.installed_skills TO openclaw_user;


--
-- Name: COLUMN installed_skills.enabled; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(enabled),UPDATE(enabled) ON TABLE app_public.installed_skills TO openclaw_user;


--
-- Name: TABLE messages; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT,DELETE ON TABLE app_public.messages TO openclaw_user;


--
-- Name: COLUMN messages.conversation_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(conversation_id) ON TABLE app_public.messages TO openclaw_user;


--
-- Name: COLUMN messages.role; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(role) ON TABLE app_public.messages TO openclaw_user;


--
-- Name: COLUMN messages.content; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(content),UPDATE(content) ON TABLE app_public.messages TO openclaw_user;


--
-- Name: COLUMN messages.tool_calls; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(tool_calls),UPDATE(tool_calls) ON TABLE app_public.messages TO openclaw_user;


--
-- Name: COLUMN messages.tool_call_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(tool_call_id) ON TABLE app_public.messages TO openclaw_user;


--
-- Name: COLUMN messages.run_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(run_id) ON TABLE app_public.messages TO openclaw_user;


--
-- Name: COLUMN messages.idempotency_key; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(idempotency_key) ON TABLE app_public.messages TO openclaw_user;


--
-- Name: COLUMN messages.status; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(status),UPDATE(status) ON TABLE app_public.messages TO openclaw_user;


--
-- Name: COLUMN messages.model; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(model),UPDATE(model) ON TABLE app_public.messages TO openclaw_user;


--
-- Name: COLUMN messages.prompt_tokens; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(prompt_tokens),UPDATE(prompt_tokens) ON TABLE app_public.messages TO openclaw_user;


--
-- Name: COLUMN messages.completion_tokens; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(completion_tokens),UPDATE(completion_tokens) ON TABLE app_public.messages TO openclaw_user;


--
-- Name: COLUMN messages.memories_extracted_at; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(memories_extracted_at) ON TABLE app_public.messages TO openclaw_user;


--
-- Name: COLUMN messages.error; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(error),UPDATE(error) ON TABLE app_public.messages TO openclaw_user;


--
-- Name: TABLE skill_categories; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT ON TABLE app_public.skill_categories TO openclaw_anonymous;
GRANT SELECT ON TABLE app_public.skill_categories TO openclaw_user;
GRANT DELETE ON TABLE app_public.skill_categories TO openclaw_admin;


--
-- Name: COLUMN skill_categories.slug; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(slug),UPDATE(slug) ON TABLE app_public.skill_categories TO openclaw_admin;


--
-- Name: COLUMN skill_categories.name; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(name),UPDATE(name) ON TABLE app_public.skill_categories TO openclaw_admin;


--
-- Name: COLUMN skill_categories.description; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(description),UPDATE(description) ON TABLE app_public.skill_categories TO openclaw_admin;


--
-- Name: COLUMN skill_categories.sort_order; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(sort_order),UPDATE(sort_order) ON TABLE app_public.skill_categories TO openclaw_admin;


--
-- Name: TABLE store_skills; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT ON TABLE app_public.store_skills TO openclaw_anonymous;
GRANT SELECT ON TABLE app_public.store_skills TO openclaw_user;
GRANT DELETE ON TABLE app_public.store_skills TO openclaw_admin;


--
-- Name: COLUMN store_skills.category_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(category_id),UPDATE(category_id) ON TABLE app_public.store_skills TO openclaw_user;
GRANT UPDATE(category_id) ON TABLE app_public.store_skills TO openclaw_admin;


--
-- Name: COLUMN store_skills.slug; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(slug) ON TABLE app_public.store_skills TO openclaw_user;


--
-- Name: COLUMN store_skills.title; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(title),UPDATE(title) ON TABLE app_public.store_skills TO openclaw_user;


--
-- Name: COLUMN store_skills.description; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(description),UPDATE(description) ON TABLE app_public.store_skills TO openclaw_user;


--
-- Name: COLUMN store_skills.is_published; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(is_published) ON TABLE app_public.store_skills TO openclaw_admin;


--
-- Name: TABLE system_configs; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT ON TABLE app_public.system_configs TO openclaw_anonymous;
GRANT SELECT ON TABLE app_public.system_configs TO openclaw_user;
GRANT DELETE ON TABLE app_public.system_configs TO openclaw_admin;


--
-- Name: COLUMN system_configs.key; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(key) ON TABLE app_public.system_configs TO openclaw_admin;


--
-- Name: COLUMN system_configs.value; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(value),UPDATE(value) ON TABLE app_public.system_configs TO openclaw_admin;


--
-- Name: COLUMN system_configs.description; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(description),UPDATE(description) ON TABLE app_public.system_configs TO openclaw_admin;


--
-- Name: COLUMN system_configs.is_public; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(is_public),UPDATE(is_public) ON TABLE app_public.system_configs TO openclaw_admin;


--
-- Name: TABLE usage_events; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT ON TABLE app_public.usage_events TO openclaw_user;
GRANT SELECT,DELETE ON TABLE app_public.usage_events TO openclaw_maintenance;


--
-- Name: COLUMN usage_events.user_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(user_id) ON TABLE app_public.usage_events TO openclaw_maintenance;


--
-- Name: COLUMN usage_events.kind; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(kind) ON TABLE app_public.usage_events TO openclaw_user;
GRANT INSERT(kind) ON TABLE app_public.usage_events TO openclaw_maintenance;


--
-- Name: COLUMN usage_events.amount; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(amount) ON TABLE app_public.usage_events TO openclaw_user;
GRANT INSERT(amount) ON TABLE app_public.usage_events TO openclaw_maintenance;


--
-- Name: COLUMN usage_events.details; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(details) ON TABLE app_public.usage_events TO openclaw_user;
GRANT INSERT(details) ON TABLE app_public.usage_events TO openclaw_maintenance;


--
-- Name: TABLE user_assistant_configs; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT,DELETE ON TABLE app_public.user_assistant_configs TO openclaw_user;


--
-- Name: COLUMN user_assistant_configs.assistant_name; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(assistant_name),UPDATE(assistant_name) ON TABLE app_public.user_assistant_configs TO openclaw_user;


--
-- Name: COLUMN user_assistant_configs.tone; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(tone),UPDATE(tone) ON TABLE app_public.user_assistant_configs TO openclaw_user;


--
-- Name: COLUMN user_assistant_configs.language; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(language),UPDATE(language) ON TABLE app_public.user_assistant_configs TO openclaw_user;


--
-- Name: COLUMN user_assistant_configs.instructions; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(instructions),UPDATE(instructions) ON TABLE app_public.user_assistant_configs TO openclaw_user;


--
-- Name: COLUMN user_assistant_configs.provider; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(provider),UPDATE(provider) ON TABLE app_public.user_assistant_configs TO openclaw_user;


--
-- Name: COLUMN user_assistant_configs.model; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(model),UPDATE(model) ON TABLE app_public.user_assistant_configs TO openclaw_user;


--
-- Name: COLUMN user_assistant_configs.allowed_node_commands; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(allowed_node_commands),UPDATE(allowed_node_commands) ON TABLE app_public.user_assistant_configs TO openclaw_user;


--
-- Name: COLUMN user_assistant_configs.sensitive_commands; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(sensitive_commands),UPDATE(sensitive_commands) ON TABLE app_public.user_assistant_configs TO openclaw_user;


--
-- Name: TABLE user_custom_skill_versions; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT,DELETE ON TABLE app_public.user_custom_skill_versions TO openclaw_user;
GRANT SELECT ON TABLE app_public.user_custom_skill_versions TO openclaw_maintenance;


--
-- Name: COLUMN user_custom_skill_versions.skill_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(skill_id) ON TABLE app_public.user_custom_skill_versions TO openclaw_user;


--
-- Name: COLUMN user_custom_skill_versions.version; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(version) ON TABLE app_public.user_custom_skill_versions TO openclaw_user;


--
-- Name: COLUMN user_custom_skill_versions.object_key; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(object_key) ON TABLE app_public.user_custom_skill_versions TO openclaw_user;


--
-- Name: COLUMN user_custom_skill_versions.size_bytes; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(size_bytes),UPDATE(size_bytes) ON TABLE app_public.user_custom_skill_versions TO openclaw_user;


--
-- Name: COLUMN user_custom_skill_versions.sha256; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(sha256),UPDATE(sha256) ON TABLE app_public.user_custom_skill_versions TO openclaw_user;


--
-- Name: COLUMN user_custom_skill_versions.manifest; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(manifest) ON TABLE app_public.user_custom_skill_versions TO openclaw_user;


--
-- Name: COLUMN user_custom_skill_versions.status; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(status),UPDATE(status) ON TABLE app_public.user_custom_skill_versions TO openclaw_user;


--
-- Name: COLUMN user_custom_skill_versions.problems; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(problems) ON TABLE app_public.user_custom_skill_versions TO openclaw_user;


--
-- Name: TABLE user_custom_skills; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT,DELETE ON TABLE app_public.user_custom_skills TO openclaw_user;


--
-- Name: COLUMN user_custom_skills.name; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(name) ON TABLE app_public.user_custom_skills TO openclaw_user;


--
-- Name: COLUMN user_custom_skills.title; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(title),UPDATE(title) ON TABLE app_public.user_custom_skills TO openclaw_user;


--
-- Name: COLUMN user_custom_skills.description; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(description),UPDATE(description) ON TABLE app_public.user_custom_skills TO openclaw_user;


--
-- Name: TABLE user_files; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT,DELETE ON TABLE app_public.user_files TO openclaw_user;
GRANT SELECT,DELETE ON TABLE app_public.user_files TO openclaw_maintenance;


--
-- Name: COLUMN user_files.object_key; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(object_key) ON TABLE app_public.user_files TO openclaw_user;


--
-- Name: COLUMN user_files.filename; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(filename),UPDATE(filename) ON TABLE app_public.user_files TO openclaw_user;


--
-- Name: COLUMN user_files.mime_type; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(mime_type) ON TABLE app_public.user_files TO openclaw_user;


--
-- Name: COLUMN user_files.size_bytes; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(size_bytes),UPDATE(size_bytes) ON TABLE app_public.user_files TO openclaw_user;


--
-- Name: COLUMN user_files.sha256; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(sha256),UPDATE(sha256) ON TABLE app_public.user_files TO openclaw_user;


--
-- Name: COLUMN user_files.status; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(status),UPDATE(status) ON TABLE app_public.user_files TO openclaw_user;


--
-- Name: COLUMN user_files.error; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(error) ON TABLE app_public.user_files TO openclaw_user;


--
-- Name: COLUMN user_files.page_count; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(page_count) ON TABLE app_public.user_files TO openclaw_user;


--
-- Name: COLUMN user_files.deleted_at; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT UPDATE(deleted_at) ON TABLE app_public.user_files TO openclaw_user;


--
-- Name: TABLE user_memories; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT,DELETE ON TABLE app_public.user_memories TO openclaw_user;
GRANT SELECT ON TABLE app_public.user_memories TO openclaw_maintenance;


--
-- Name: COLUMN user_memories.kind; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(kind),UPDATE(kind) ON TABLE app_public.user_memories TO openclaw_user;


--
-- Name: COLUMN user_memories.content; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(content),UPDATE(content) ON TABLE app_public.user_memories TO openclaw_user;


--
-- Name: COLUMN user_memories.importance; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(importance),UPDATE(importance) ON TABLE app_public.user_memories TO openclaw_user;


--
-- Name: COLUMN user_memories.source_message_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(source_message_id),UPDATE(source_message_id) ON TABLE app_public.user_memories TO openclaw_user;


--
-- Name: COLUMN user_memories.embedding; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(embedding),UPDATE(embedding) ON TABLE app_public.user_memories TO openclaw_user;


--
-- Name: COLUMN user_memories.embedding_model; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(embedding_model),UPDATE(embedding_model) ON TABLE app_public.user_memories TO openclaw_user;


--
-- Name: COLUMN user_memories.memory_key; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(memory_key),UPDATE(memory_key) ON TABLE app_public.user_memories TO openclaw_user;


--
-- Name: TABLE user_memory_revisions; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT SELECT,DELETE ON TABLE app_public.user_memory_revisions TO openclaw_user;


--
-- Name: COLUMN user_memory_revisions.user_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(user_id) ON TABLE app_public.user_memory_revisions TO openclaw_user;


--
-- Name: COLUMN user_memory_revisions.memory_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(memory_id) ON TABLE app_public.user_memory_revisions TO openclaw_user;


--
-- Name: COLUMN user_memory_revisions.kind; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(kind) ON TABLE app_public.user_memory_revisions TO openclaw_user;


--
-- Name: COLUMN user_memory_revisions.content; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(content) ON TABLE app_public.user_memory_revisions TO openclaw_user;


--
-- Name: COLUMN user_memory_revisions.source_message_id; Type: ACL; Schema: app_public; Owner: openclaw_owner
--

GRANT INSERT(source_message_id) ON TABLE app_public.user_memory_revisions TO openclaw_user;


--
-- PostgreSQL database dump complete
--
