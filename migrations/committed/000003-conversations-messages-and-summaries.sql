--! Previous: sha1:0bfb12fc15ec9fcbed28ab4d23c3e0c6a5ac417d
--! Hash: sha1:129f74178a07b7ad4e69b7eaf5d888efebd5e77b
--! Message: conversations, messages and summaries

create table app_public.conversations (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  session_key text not null default 'main' check (session_key ~ '^[A-Za-z0-9:_.-]{1,200}$'),
  title text check (title is null or char_length(title) <= 200),
  archived_at timestamptz,
  last_message_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id, session_key),
  unique (id, user_id)
);
comment on table app_public.conversations is 'A chat session (OpenClaw session key) between a user and their assistant.';
create index conversations_user_recent_idx on app_public.conversations (user_id, last_message_at desc nulls last);
create trigger _100_timestamps before update on app_public.conversations
  for each row execute function app_private.tg__set_updated_at();
alter table app_public.conversations enable row level security;
alter table app_public.conversations force row level security;
create policy select_own on app_public.conversations for select to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy insert_own on app_public.conversations for insert to openclaw_user with check (user_id = (select app_public.current_user_id()));
create policy update_own on app_public.conversations for update to openclaw_user
  using (user_id = (select app_public.current_user_id())) with check (user_id = (select app_public.current_user_id()));
create policy delete_own on app_public.conversations for delete to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy select_all on app_public.conversations for select to openclaw_admin using (true);
grant select, delete on app_public.conversations to openclaw_user;
grant insert (session_key, title) on app_public.conversations to openclaw_user;
grant update (title, archived_at, last_message_at) on app_public.conversations to openclaw_user;

create type app_public.message_role as enum ('user', 'assistant', 'system', 'tool');
create type app_public.message_status as enum ('complete', 'streaming', 'aborted', 'failed');

create table app_public.messages (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  conversation_id uuid not null,
  role app_public.message_role not null,
  content text not null default '' check (char_length(content) <= 200000),
  tool_calls jsonb check (tool_calls is null or (jsonb_typeof(tool_calls) = 'array' and pg_column_size(tool_calls) <= 262144)),
  tool_call_id text check (tool_call_id is null or char_length(tool_call_id) <= 200),
  run_id text check (run_id is null or char_length(run_id) <= 200),
  idempotency_key text check (idempotency_key is null or char_length(idempotency_key) between 1 and 200),
  status app_public.message_status not null default 'complete',
  model text check (model is null or char_length(model) <= 200),
  prompt_tokens int check (prompt_tokens is null or prompt_tokens >= 0),
  completion_tokens int check (completion_tokens is null or completion_tokens >= 0),
  created_at timestamptz not null default now(),
  unique (user_id, idempotency_key),
  unique (id, user_id),
  foreign key (conversation_id, user_id) references app_public.conversations (id, user_id) on delete cascade
);
comment on table app_public.messages is 'Every turn of every conversation, persisted before it is acknowledged.';
create index messages_user_id_idx on app_public.messages (user_id, created_at);
create index messages_conversation_idx on app_public.messages (conversation_id, user_id, created_at);
create index messages_run_id_idx on app_public.messages (user_id, run_id) where run_id is not null;
alter table app_public.messages enable row level security;
alter table app_public.messages force row level security;
create policy select_own on app_public.messages for select to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy insert_own on app_public.messages for insert to openclaw_user with check (user_id = (select app_public.current_user_id()));
create policy update_own on app_public.messages for update to openclaw_user
  using (user_id = (select app_public.current_user_id())) with check (user_id = (select app_public.current_user_id()));
create policy delete_own on app_public.messages for delete to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy select_all on app_public.messages for select to openclaw_admin using (true);
grant select, delete on app_public.messages to openclaw_user;
grant insert (conversation_id, role, content, tool_calls, tool_call_id, run_id, idempotency_key, status, model, prompt_tokens, completion_tokens)
  on app_public.messages to openclaw_user;
grant update (content, tool_calls, status, prompt_tokens, completion_tokens) on app_public.messages to openclaw_user;

create table app_public.conversation_summaries (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  conversation_id uuid not null,
  up_to_message_id uuid,
  message_count int not null check (message_count > 0),
  summary text not null check (char_length(summary) between 1 and 20000),
  created_at timestamptz not null default now(),
  foreign key (conversation_id, user_id) references app_public.conversations (id, user_id) on delete cascade,
  foreign key (up_to_message_id, user_id) references app_public.messages (id, user_id) on delete set null (up_to_message_id)
);
comment on table app_public.conversation_summaries is 'Rolling summaries of long conversations, used as agent context.';
create index conversation_summaries_user_id_idx on app_public.conversation_summaries (user_id);
create index conversation_summaries_conversation_idx on app_public.conversation_summaries (conversation_id, user_id, created_at desc);
create index conversation_summaries_message_idx on app_public.conversation_summaries (up_to_message_id, user_id);
alter table app_public.conversation_summaries enable row level security;
alter table app_public.conversation_summaries force row level security;
create policy select_own on app_public.conversation_summaries for select to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy insert_own on app_public.conversation_summaries for insert to openclaw_user with check (user_id = (select app_public.current_user_id()));
create policy update_own on app_public.conversation_summaries for update to openclaw_user
  using (user_id = (select app_public.current_user_id())) with check (user_id = (select app_public.current_user_id()));
create policy delete_own on app_public.conversation_summaries for delete to openclaw_user using (user_id = (select app_public.current_user_id()));
grant select, delete on app_public.conversation_summaries to openclaw_user;
grant insert (conversation_id, up_to_message_id, message_count, summary) on app_public.conversation_summaries to openclaw_user;
grant update (up_to_message_id, message_count, summary) on app_public.conversation_summaries to openclaw_user;
