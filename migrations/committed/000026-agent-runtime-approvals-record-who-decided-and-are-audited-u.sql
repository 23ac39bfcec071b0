--! Previous: sha1:69400ef83dfe0ab629f2390d4333a2d5a25d9e93
--! Hash: sha1:0c3e0faa6ba96645960e07f68fa85a69fe994a5b
--! Message: agent runtime: approvals record who decided and are audited, users' own sensitive commands, failed turns keep their reason, turn quota functions

-- Agent runtime: approvals say who decided and are audited with their outcome; users add their
-- own sensitive commands; a failed turn keeps its reason; turns reserve and record quota through
-- two SECURITY DEFINER functions (users can read their quota rows but never change them).

-- Who decided an approval: an operator connection's client (e.g. "operator:cli") or "timeout".
alter table app_public.approvals add column if not exists decided_by text
  check (decided_by is null or char_length(decided_by) <= 200);
alter table app_public.approvals add column if not exists tool_call_id text
  check (tool_call_id is null or char_length(tool_call_id) <= 200);
grant update (decided_by) on app_public.approvals to openclaw_user;
grant insert (tool_call_id) on app_public.approvals to openclaw_user;
create index if not exists approvals_run_idx on app_public.approvals (user_id, run_id) where run_id is not null;

-- Every request and every decision goes to the audit log with what was asked and what was decided.
grant create on schema app_private to openclaw_auditor;
set local role openclaw_auditor;
create or replace function app_private.tg_approvals__audit() returns trigger
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
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
grant execute on function app_private.tg_approvals__audit() to openclaw_owner;
reset role;
revoke create on schema app_private from openclaw_auditor;
drop trigger if exists _900_audit on app_public.approvals;
create trigger _900_audit after insert or update on app_public.approvals
  for each row execute function app_private.tg_approvals__audit();

-- Commands that always need the user's confirmation, on top of the administrator's list.
alter table app_public.user_assistant_configs add column if not exists sensitive_commands text[] not null default '{}'
  check (cardinality(sensitive_commands) <= 200);
comment on column app_public.user_assistant_configs.sensitive_commands is
  'Node commands the assistant must ask about before running, added to the administrator''s agent.sensitive_commands.';
grant insert (sensitive_commands), update (sensitive_commands) on app_public.user_assistant_configs to openclaw_user;

-- Why a turn failed or stopped, shown in chat history.
alter table app_public.messages add column if not exists error text check (error is null or char_length(error) <= 2000);
grant insert (error), update (error, model) on app_public.messages to openclaw_user;

-- The administrator's floor of sensitive commands (public: apps may show which commands ask first).
alter table app_public.system_configs no force row level security;
insert into app_public.system_configs (key, value, description, is_public)
  values ('agent.sensitive_commands', '["system.run"]',
          'Node commands the assistant always asks the user to confirm before running (users can add more).', true)
  on conflict (key) do nothing;
alter table app_public.system_configs force row level security;

grant update (messages_used, tokens_used) on app_public.usage_quotas to openclaw_maintenance;
grant insert (user_id, kind, amount, details) on app_public.usage_events to openclaw_maintenance;
grant create on schema app_hidden to openclaw_maintenance;
set local role openclaw_maintenance;

-- Quota for a turn. The current period's row for the calling user, made from their plan when the
-- hourly rollover has not made it yet (a user who signed up a minute ago).
drop function if exists app_hidden.turn_quota();
create function app_hidden.turn_quota()
  returns table (period_start timestamptz, period_end timestamptz, messages_limit int, tokens_limit bigint,
                 messages_used int, tokens_used bigint)
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  v_user uuid := app_public.current_user_id();
  r record;
  v_start timestamptz;
begin
  if v_user is null then
    raise exception 'no user' using errcode = '42501';
  end if;
  if not exists (select 1 from app_public.usage_quotas q where q.user_id = v_user and q.period_start <= now() and q.period_end > now()) then
    select coalesce(s.current_period_start, u.created_at) as anchor, p.monthly_messages, p.monthly_tokens, p.storage_bytes, p.max_devices,
           (select max(q.period_end) from app_public.usage_quotas q where q.user_id = u.id and q.period_end <= now()) as last_end
      into r
      from app_public.users u
      left join app_public.subscriptions s on s.user_id = u.id and s.status in ('trialing', 'active')
      join app_public.plans p on p.id = coalesce(s.plan_id, (select d.id from app_public.plans d where d.is_default limit 1))
     where u.id = v_user;
    if found then
      v_start := least(greatest(coalesce(r.last_end, r.anchor), r.anchor), now());
      while v_start + interval '1 month' <= now() loop
        v_start := v_start + interval '1 month';
      end loop;
      insert into app_public.usage_quotas (user_id, period_start, period_end, messages_limit, tokens_limit, storage_bytes_limit, devices_limit)
        values (v_user, v_start,
                least(v_start + interval '1 month',
                      coalesce((select min(q.period_start) from app_public.usage_quotas q where q.user_id = v_user and q.period_start > v_start),
                               'infinity')),
                r.monthly_messages, r.monthly_tokens, r.storage_bytes, r.max_devices)
        on conflict (user_id, period_start) do nothing;
    end if;
  end if;
  return query
    select q.period_start, q.period_end, q.messages_limit, q.tokens_limit, q.messages_used, q.tokens_used
      from app_public.usage_quotas q
     where q.user_id = v_user and q.period_start <= now() and q.period_end > now()
     order by q.period_start desc limit 1;
end;
$$;
comment on function app_hidden.turn_quota() is
  'The calling user''s quota row for the current period (made from their plan if missing). Used by the agent before a turn.';

-- Records a turn's usage on the current period's row and in the usage ledger. Amounts only grow.
drop function if exists app_hidden.record_turn_usage(int, bigint, jsonb);
create function app_hidden.record_turn_usage(p_messages int, p_tokens bigint, p_details jsonb)
  returns void
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
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
comment on function app_hidden.record_turn_usage(int, bigint, jsonb) is
  'Adds a turn''s messages and tokens to the calling user''s current quota row and the usage ledger.';

revoke all on function app_hidden.turn_quota(), app_hidden.record_turn_usage(int, bigint, jsonb) from public;
grant execute on function app_hidden.turn_quota(), app_hidden.record_turn_usage(int, bigint, jsonb) to openclaw_user;
reset role;
revoke create on schema app_hidden from openclaw_maintenance;
grant usage on schema app_hidden to openclaw_user;
