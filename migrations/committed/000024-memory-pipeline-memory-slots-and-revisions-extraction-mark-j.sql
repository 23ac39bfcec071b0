--! Previous: sha1:6527e68563e6e37925b24f1e1b5cfa76cd006cc6
--! Hash: sha1:1cce5cb8092bd47c19ce97e46d59a2cbb8f1f821
--! Message: Memory pipeline: memory slots and revisions, extraction mark, job triggers, housekeeping functions, default plan

-- The memory pipeline and housekeeping: what the worker's tasks need from the database.
--   * memories get a slot (memory_key) so a newer statement of a one-value fact updates the older
--     one, and every change of a memory's text keeps the previous text in user_memory_revisions;
--   * a message remembers that its memories were extracted (the idempotency mark of that job);
--   * triggers queue extract_memories, summarize_conversation and reembed with job keys;
--   * SECURITY DEFINER housekeeping for the scheduled tasks (quota periods, retention), owned by
--     the NOLOGIN maintenance role and callable by the worker's login only.

------------------------------------------------------------------------------------------------
-- Memory slots and history.
alter table app_public.user_memories
  add column if not exists memory_key text check (memory_key is null or char_length(memory_key) between 1 and 200);
comment on column app_public.user_memories.memory_key is
  'A slot for facts with one current value (e.g. name, location, pref:coffee): a newer statement updates the memory in that slot.';
create unique index if not exists user_memories_key_idx on app_public.user_memories (user_id, memory_key) where memory_key is not null;
do $$
begin
  if not exists (select 1 from pg_constraint where conname = 'user_memories_id_user_id_key') then
    alter table app_public.user_memories add constraint user_memories_id_user_id_key unique (id, user_id);
  end if;
end
$$;
grant insert (memory_key), update (memory_key) on app_public.user_memories to openclaw_user;

create table if not exists app_public.user_memory_revisions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  memory_id uuid not null,
  kind app_public.memory_kind not null,
  content text not null check (char_length(content) between 1 and 4000),
  source_message_id uuid,
  replaced_at timestamptz not null default now(),
  foreign key (memory_id, user_id) references app_public.user_memories (id, user_id) on delete cascade,
  foreign key (source_message_id, user_id) references app_public.messages (id, user_id) on delete set null (source_message_id)
);
comment on table app_public.user_memory_revisions is
  E'@behavior -insert -update\nEarlier texts of a memory, kept whenever its text changes (by the memory pipeline or by the user).';
create index if not exists user_memory_revisions_memory_idx on app_public.user_memory_revisions (memory_id, user_id, replaced_at);
create index if not exists user_memory_revisions_user_id_idx on app_public.user_memory_revisions (user_id);
create index if not exists user_memory_revisions_message_idx on app_public.user_memory_revisions (source_message_id, user_id);
alter table app_public.user_memory_revisions enable row level security;
alter table app_public.user_memory_revisions force row level security;
drop policy if exists select_own on app_public.user_memory_revisions;
drop policy if exists insert_own on app_public.user_memory_revisions;
drop policy if exists delete_own on app_public.user_memory_revisions;
drop policy if exists select_all on app_public.user_memory_revisions;
create policy select_own on app_public.user_memory_revisions for select to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy insert_own on app_public.user_memory_revisions for insert to openclaw_user with check (user_id = (select app_public.current_user_id()));
create policy delete_own on app_public.user_memory_revisions for delete to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy select_all on app_public.user_memory_revisions for select to openclaw_admin using (true);
grant select, delete on app_public.user_memory_revisions to openclaw_user;
grant insert (user_id, memory_id, kind, content, source_message_id) on app_public.user_memory_revisions to openclaw_user;

-- Which message last changed a memory (set by the memory pipeline).
grant update (source_message_id) on app_public.user_memories to openclaw_user;

-- A memory whose text changes keeps its old text, and an embedding that no longer matches the
-- text is dropped (the reembed job makes a new one). Runs as the caller: RLS applies.
create or replace function app_private.tg_user_memories__revise() returns trigger
  language plpgsql volatile set search_path = pg_catalog, public, pg_temp as $$
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
comment on function app_private.tg_user_memories__revise() is
  'Keeps the previous text of a memory whose text changes, and drops an embedding made for the old text.';
drop trigger if exists _200_revise on app_public.user_memories;
create trigger _200_revise before update on app_public.user_memories
  for each row execute function app_private.tg_user_memories__revise();

------------------------------------------------------------------------------------------------
-- The idempotency mark of extract_memories: set in the same transaction as the memories it wrote.
alter table app_public.messages add column if not exists memories_extracted_at timestamptz;
comment on column app_public.messages.memories_extracted_at is
  E'@behavior -update -insert\nWhen the worker extracted memories from this message (null: not yet).';
grant update (memories_extracted_at) on app_public.messages to openclaw_user;

------------------------------------------------------------------------------------------------
-- Queueing (as in the file and skill upload triggers: SECURITY DEFINER, owned by openclaw_jobs).
drop trigger if exists _500_queue_memory_jobs on app_public.messages;
drop trigger if exists _500_queue_reembed on app_public.user_memories;
set local role openclaw_jobs;
drop function if exists app_private.tg_messages__queue_memory_jobs();
drop function if exists app_private.tg_user_memories__queue_reembed();
reset role;

-- A user's message queues extraction (one job per message). Every message re-arms the
-- conversation's summary job; job_key_mode preserve_run_at keeps the first run time, so a busy
-- conversation is summarised at most every few seconds rather than never.
create function app_private.tg_messages__queue_memory_jobs() returns trigger
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
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
comment on function app_private.tg_messages__queue_memory_jobs() is
  'Queues extract_memories for a user''s message and (throttled) summarize_conversation for its conversation.';

-- A memory without an embedding (written through the API, or its text changed) queues the
-- user's reembed job, which embeds every row of that user the current model did not make.
create function app_private.tg_user_memories__queue_reembed() returns trigger
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
begin
  perform graphile_worker.add_job(
    'reembed',
    json_build_object('user_id', new.user_id),
    job_key := 'reembed:' || new.user_id::text
  );
  return null;
end;
$$;
comment on function app_private.tg_user_memories__queue_reembed() is
  'Queues the reembed job of a user who has a memory without an embedding.';

grant create on schema app_private to openclaw_jobs;
alter function app_private.tg_messages__queue_memory_jobs() owner to openclaw_jobs;
alter function app_private.tg_user_memories__queue_reembed() owner to openclaw_jobs;
revoke create on schema app_private from openclaw_jobs;
set local role openclaw_jobs;
grant execute on function app_private.tg_messages__queue_memory_jobs() to openclaw_owner;
grant execute on function app_private.tg_user_memories__queue_reembed() to openclaw_owner;
reset role;

create trigger _500_queue_memory_jobs after insert on app_public.messages
  for each row execute function app_private.tg_messages__queue_memory_jobs();
create trigger _500_queue_reembed after insert or update on app_public.user_memories
  for each row when (new.embedding is null) execute function app_private.tg_user_memories__queue_reembed();

------------------------------------------------------------------------------------------------
-- Housekeeping for the scheduled tasks. Each function is SECURITY DEFINER, owned by the NOLOGIN
-- maintenance role, whose policies below say exactly what it may read and change; only the
-- worker's login may call them.
grant usage on schema app_public, app_hidden, app_private to openclaw_maintenance;
grant execute on function app_public.current_user_id() to openclaw_maintenance;
grant select on app_public.users, app_public.plans, app_public.subscriptions, app_public.usage_quotas,
  app_public.user_files, app_public.user_custom_skill_versions, app_public.store_skill_versions,
  app_public.user_memories, app_public.file_chunks, app_public.device_pairing_codes,
  app_public.device_pairing_requests, app_public.usage_events to openclaw_maintenance;
grant insert (user_id, period_start, period_end, messages_limit, tokens_limit, storage_bytes_limit, devices_limit)
  on app_public.usage_quotas to openclaw_maintenance;
grant update (status) on app_public.subscriptions to openclaw_maintenance;
grant update (status) on app_public.device_pairing_requests to openclaw_maintenance;
grant delete on app_public.device_pairing_codes, app_public.device_pairing_requests, app_public.usage_events,
  app_public.user_files to openclaw_maintenance;
grant select, delete on app_private.refresh_tokens to openclaw_maintenance;

do $$
declare
  t text;
begin
  foreach t in array array['users', 'plans', 'subscriptions', 'usage_quotas', 'user_files', 'user_custom_skill_versions',
    'store_skill_versions', 'user_memories', 'file_chunks', 'device_pairing_codes', 'device_pairing_requests', 'usage_events']
  loop
    execute format('drop policy if exists maintenance_all on app_public.%I', t);
    execute format('create policy maintenance_all on app_public.%I for all to openclaw_maintenance using (true) with check (true)', t);
  end loop;
end
$$;

drop function if exists app_hidden.quota_rollover();
drop function if exists app_hidden.retention_sweep(interval, interval);
drop function if exists app_hidden.files_to_purge(interval, int);
drop function if exists app_hidden.forget_purged_files(uuid[], interval);
drop function if exists app_hidden.unreferenced_object_keys(text[]);
drop function if exists app_hidden.users_needing_reembed(text, int);

-- Subscriptions past their end expire; every user then has a usage_quotas row for the current
-- month-long period, with the limits of their current plan (the default plan without one).
-- A period follows on from the previous one; after a gap it starts on the same day of the month.
create function app_hidden.quota_rollover() returns table (expired_subscriptions int, quota_periods int)
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_expired int;
  v_created int := 0;
  r record;
  v_start timestamptz;
  v_steps int;
begin
  update app_public.subscriptions s set status = 'expired'
   where s.status in ('trialing', 'active') and s.current_period_end <= now();
  get diagnostics v_expired = row_count;

  for r in
    select u.id as user_id, coalesce(s.current_period_start, u.created_at) as anchor,
           p.monthly_messages, p.monthly_tokens, p.storage_bytes, p.max_devices,
           (select max(q.period_end) from app_public.usage_quotas q where q.user_id = u.id) as last_end
      from app_public.users u
      left join app_public.subscriptions s on s.user_id = u.id and s.status in ('trialing', 'active')
      join app_public.plans p on p.id = coalesce(s.plan_id, (select d.id from app_public.plans d where d.is_default limit 1))
     where not exists (select 1 from app_public.usage_quotas q
                        where q.user_id = u.id and q.period_start <= now() and q.period_end > now())
  loop
    v_start := coalesce(greatest(r.last_end, r.anchor), r.anchor);
    if v_start > now() then
      -- A period booked to start later (a paid renewal): this gap gets its own period until then.
      v_start := now();
    end if;
    v_steps := 0;
    while v_start + interval '1 month' <= now() and v_steps < 1200 loop
      v_start := v_start + interval '1 month';
      v_steps := v_steps + 1;
    end loop;
    insert into app_public.usage_quotas (user_id, period_start, period_end, messages_limit, tokens_limit, storage_bytes_limit, devices_limit)
      values (r.user_id, v_start,
              least(v_start + interval '1 month',
                    coalesce((select min(q.period_start) from app_public.usage_quotas q where q.user_id = r.user_id and q.period_start > v_start),
                             'infinity')),
              r.monthly_messages, r.monthly_tokens, r.storage_bytes, r.max_devices)
      on conflict (user_id, period_start) do nothing;
    if found then
      v_created := v_created + 1;
    end if;
  end loop;
  return query select v_expired, v_created;
end;
$$;
comment on function app_hidden.quota_rollover() is
  'Scheduled: expires ended subscriptions and gives every user a usage_quotas row for the current period.';

-- Deletes what nobody needs any more. Returns how many rows of each kind went.
create function app_hidden.retention_sweep(usage_events_keep interval, expired_keep interval)
  returns table (pairing_codes int, pairing_requests int, usage_events int, refresh_tokens int)
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
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
comment on function app_hidden.retention_sweep(interval, interval) is
  'Scheduled: deletes expired pairing codes and requests, old usage events and dead refresh tokens.';

-- Files whose stored object should go: soft-deleted ones, and uploads never confirmed.
create function app_hidden.files_to_purge(abandoned_after interval, max_rows int)
  returns table (id uuid, user_id uuid, object_key text)
  language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select f.id, f.user_id, f.object_key from app_public.user_files f
   where f.status = 'deleted' or (f.status = 'pending_upload' and f.created_at < now() - abandoned_after)
   order by f.created_at
   limit max_rows
$$;
comment on function app_hidden.files_to_purge(interval, int) is
  'Scheduled: files whose object the retention task removes (deleted, or uploads never confirmed).';

-- After their objects are gone, the rows go (only rows still in a purgeable state).
create function app_hidden.forget_purged_files(ids uuid[], abandoned_after interval) returns int
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
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
comment on function app_hidden.forget_purged_files(uuid[], interval) is
  'Scheduled: deletes the rows of purged files once their objects are removed.';

-- Of the given object keys, those no file or skill version refers to (left by deleted users and skills).
create function app_hidden.unreferenced_object_keys(keys text[]) returns setof text
  language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select k from unnest(keys) k
   where not exists (select 1 from app_public.user_files f where f.object_key = k)
     and not exists (select 1 from app_public.user_custom_skill_versions v where v.object_key = k)
     and not exists (select 1 from app_public.store_skill_versions s where s.object_key = k)
$$;
comment on function app_hidden.unreferenced_object_keys(text[]) is
  'Scheduled: which of these stored objects no row refers to any more.';

-- Users with memories or file chunks the given embedding model did not make (or none at all).
create function app_hidden.users_needing_reembed(model text, max_rows int) returns setof uuid
  language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select u.id from app_public.users u
   where exists (select 1 from app_public.user_memories m where m.user_id = u.id and m.embedding_model is distinct from model)
      or exists (select 1 from app_public.file_chunks c where c.user_id = u.id and c.embedding_model is distinct from model)
   limit max_rows
$$;
comment on function app_hidden.users_needing_reembed(text, int) is
  'Which users have embeddings not made by this model (the worker queues reembed for them at start).';

grant create on schema app_hidden to openclaw_maintenance;
do $$
declare
  f text;
begin
  foreach f in array array['app_hidden.quota_rollover()', 'app_hidden.retention_sweep(interval, interval)',
    'app_hidden.files_to_purge(interval, int)', 'app_hidden.forget_purged_files(uuid[], interval)',
    'app_hidden.unreferenced_object_keys(text[])', 'app_hidden.users_needing_reembed(text, int)']
  loop
    execute format('revoke all on function %s from public', f);
    execute format('alter function %s owner to openclaw_maintenance', f);
  end loop;
end
$$;
revoke create on schema app_hidden from openclaw_maintenance;
set local role openclaw_maintenance;
grant execute on function app_hidden.quota_rollover(), app_hidden.retention_sweep(interval, interval),
  app_hidden.files_to_purge(interval, int), app_hidden.forget_purged_files(uuid[], interval),
  app_hidden.unreferenced_object_keys(text[]), app_hidden.users_needing_reembed(text, int) to openclaw_worker;
reset role;
grant usage on schema app_hidden to openclaw_worker;

------------------------------------------------------------------------------------------------
-- A fresh deployment has a default plan, so every user gets quotas from the first rollover
-- (admins change its limits or make another plan the default). Seed data under forced RLS:
-- the owner has no policy of its own, so FORCE is lifted for the insert.
alter table app_public.plans no force row level security;
insert into app_public.plans (slug, name, description, max_devices, monthly_messages, monthly_tokens, storage_bytes, allowed_models, is_default)
select 'free', 'Free', 'The default plan for new accounts.', 5, 1000, 2000000, 1073741824, '{local}', true
 where not exists (select 1 from app_public.plans where is_default or slug = 'free');
alter table app_public.plans force row level security;
