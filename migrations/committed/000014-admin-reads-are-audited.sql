--! Previous: sha1:38875a1feddeda23cf1f8fbd8a4381fa399ec0a7
--! Hash: sha1:8409b0e403836d4a2c98799b300d1949e5960683
--! Message: admin reads are audited

-- Admin reads are audited too: the admin functions record who looked at what. They stay STABLE
-- (GraphQL queries, not mutations); the audit write happens in the volatile definer they call.
create function app_hidden.audit_admin_action(action text, details jsonb default '{}') returns void
  language sql volatile security definer set search_path = pg_catalog, pg_temp as $$
  select app_private.audit('admin.' || action, null, null, coalesce(details, '{}'::jsonb))
$$;
grant execute on function app_hidden.audit_admin_action(text, jsonb) to openclaw_admin;
grant create on schema app_hidden to openclaw_auditor;
alter function app_hidden.audit_admin_action(text, jsonb) owner to openclaw_auditor;
revoke create on schema app_hidden from openclaw_auditor;

create or replace function app_public.admin_search_users(query text default null, status app_public.user_status default null)
  returns setof app_public.users
  language plpgsql stable
  set search_path = pg_catalog, pg_temp
as $$
begin
  perform app_hidden.audit_admin_action('search_users', jsonb_build_object('query', query, 'status', status));
  return query
    select u.* from app_public.users u
    where (query is null or strpos(u.email, lower(query)) > 0 or strpos(lower(u.display_name), lower(query)) > 0)
      and (admin_search_users.status is null or u.status = admin_search_users.status)
    order by u.created_at desc;
end;
$$;

create or replace function app_public.admin_daily_activity(since date default (current_date - 29), until date default current_date)
  returns setof app_public.daily_activity
  language plpgsql stable
  set search_path = pg_catalog, pg_temp
as $$
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

create or replace function app_public.admin_dashboard() returns app_public.dashboard
  language plpgsql stable
  set search_path = pg_catalog, pg_temp
as $$
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
