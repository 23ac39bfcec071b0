--! Previous: sha1:aa1596d6b541e544d05b5bda9980ea2a4073c2fc
--! Hash: sha1:7f4adb4dc404e7968ab11160e485e4f0e398c9fb
--! Message: API smart tags and current_user

-- How the schema reads through GraphQL (smart tags) and a few API conveniences.

-- "Subscription" is GraphQL's root type for subscriptions; the table's type is PlanSubscription.
comment on table app_public.subscriptions is E'@name plan_subscriptions\nWhich plan a user is on. Granted, extended and canceled by admins or by paid orders.';

-- Embeddings and search vectors are the worker's business: not readable or writable through GraphQL.
comment on column app_public.user_memories.embedding is E'@behavior -*';
comment on column app_public.user_memories.tsv is E'@behavior -*';
comment on column app_public.file_chunks.embedding is E'@behavior -*';
comment on column app_public.file_chunks.tsv is E'@behavior -*';

-- Rows the platform writes on a user's behalf (gateway, worker, pairing), not users directly.
comment on table app_public.devices is E'@behavior -insert\nA user''s device nodes (OpenClaw node hosts). Presence lives in Redis; this is the durable roster.';
comment on table app_public.device_pairing_requests is E'@behavior -insert';
comment on table app_public.usage_events is E'@behavior -insert';
comment on table app_public.messages is E'@behavior -insert -update\nEvery turn of every conversation, persisted before it is acknowledged.';
comment on table app_public.conversation_summaries is E'@behavior -insert -update';
comment on table app_public.file_chunks is E'@behavior -insert -update\nOverlapping text chunks of a user''s files with their embeddings.';
comment on table app_public.user_files is E'@behavior -insert\nDocuments a user uploaded; ingested into file_chunks for search.';
comment on table app_public.user_custom_skill_versions is E'@behavior -insert';

create function app_public.current_user() returns app_public.users
  language sql stable
  set search_path = pg_catalog, pg_temp
as $$
  select u.* from app_public.users u where u.id = app_public.current_user_id()
$$;
comment on function app_public.current_user() is 'The signed-in user, or null.';
grant execute on function app_public.current_user() to openclaw_user;
