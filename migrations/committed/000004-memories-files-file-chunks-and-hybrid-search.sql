--! Previous: sha1:129f74178a07b7ad4e69b7eaf5d888efebd5e77b
--! Hash: sha1:877c7d61c82702612595a3111f5a643bf355b459
--! Message: memories, files, file chunks and hybrid search

-- Embeddings are vector(384): the local embedder's size and a size OpenAI-compatible models can
-- be asked for. embedding_model records what made each vector so a model change can re-embed.
create type app_public.memory_kind as enum ('fact', 'preference', 'instruction', 'note');

create table app_public.user_memories (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  kind app_public.memory_kind not null default 'fact',
  content text not null check (char_length(content) between 1 and 4000),
  importance smallint not null default 3 check (importance between 1 and 5),
  source_message_id uuid,
  embedding vector(384),
  embedding_model text check (embedding_model is null or char_length(embedding_model) <= 200),
  tsv tsvector generated always as (to_tsvector('simple', content)) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((embedding is null) = (embedding_model is null)),
  foreign key (source_message_id, user_id) references app_public.messages (id, user_id) on delete set null (source_message_id)
);
comment on table app_public.user_memories is 'Durable facts and preferences about a user, searchable by meaning and by words.';
create index user_memories_user_id_idx on app_public.user_memories (user_id);
create index user_memories_source_message_idx on app_public.user_memories (source_message_id, user_id);
create index user_memories_embedding_idx on app_public.user_memories using hnsw (embedding vector_cosine_ops);
create index user_memories_tsv_idx on app_public.user_memories using gin (tsv);
create trigger _100_timestamps before update on app_public.user_memories
  for each row execute function app_private.tg__set_updated_at();
alter table app_public.user_memories enable row level security;
alter table app_public.user_memories force row level security;
create policy select_own on app_public.user_memories for select to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy insert_own on app_public.user_memories for insert to openclaw_user with check (user_id = (select app_public.current_user_id()));
create policy update_own on app_public.user_memories for update to openclaw_user
  using (user_id = (select app_public.current_user_id())) with check (user_id = (select app_public.current_user_id()));
create policy delete_own on app_public.user_memories for delete to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy select_all on app_public.user_memories for select to openclaw_admin using (true);
grant select, delete on app_public.user_memories to openclaw_user;
grant insert (kind, content, importance, source_message_id, embedding, embedding_model) on app_public.user_memories to openclaw_user;
grant update (kind, content, importance, embedding, embedding_model) on app_public.user_memories to openclaw_user;

create type app_public.file_status as enum ('pending_upload', 'uploaded', 'processing', 'ready', 'failed', 'deleted');

create table app_public.user_files (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  object_key text not null unique check (char_length(object_key) <= 1024),
  filename text not null check (char_length(filename) between 1 and 255 and filename !~ '[/\\]'),
  mime_type text not null check (mime_type ~ '^[a-z0-9.+-]+/[a-z0-9.+-]+$' and char_length(mime_type) <= 127),
  size_bytes bigint not null check (size_bytes >= 0),
  sha256 text check (sha256 is null or sha256 ~ '^[0-9a-f]{64}$'),
  status app_public.file_status not null default 'pending_upload',
  error text check (error is null or char_length(error) <= 2000),
  page_count int check (page_count is null or page_count >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  -- Objects live under the owner's prefix; nothing else can be recorded for them.
  check (object_key like 'users/' || user_id::text || '/files/%'),
  unique (id, user_id)
);
comment on table app_public.user_files is 'Documents a user uploaded; ingested into file_chunks for search.';
create index user_files_user_id_idx on app_public.user_files (user_id, created_at desc);
create index user_files_status_idx on app_public.user_files (status) where status in ('uploaded', 'processing', 'deleted');
create trigger _100_timestamps before update on app_public.user_files
  for each row execute function app_private.tg__set_updated_at();
alter table app_public.user_files enable row level security;
alter table app_public.user_files force row level security;
create policy select_own on app_public.user_files for select to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy insert_own on app_public.user_files for insert to openclaw_user with check (user_id = (select app_public.current_user_id()));
create policy update_own on app_public.user_files for update to openclaw_user
  using (user_id = (select app_public.current_user_id())) with check (user_id = (select app_public.current_user_id()));
create policy delete_own on app_public.user_files for delete to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy select_all on app_public.user_files for select to openclaw_admin using (true);
grant select, delete on app_public.user_files to openclaw_user;
grant insert (object_key, filename, mime_type, size_bytes, sha256, status) on app_public.user_files to openclaw_user;
grant update (filename, size_bytes, sha256, status, error, page_count, deleted_at) on app_public.user_files to openclaw_user;

create table app_public.file_chunks (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  file_id uuid not null,
  chunk_index int not null check (chunk_index >= 0),
  content text not null check (char_length(content) between 1 and 20000),
  token_count int check (token_count is null or token_count >= 0),
  embedding vector(384),
  embedding_model text check (embedding_model is null or char_length(embedding_model) <= 200),
  tsv tsvector generated always as (to_tsvector('simple', content)) stored,
  created_at timestamptz not null default now(),
  check ((embedding is null) = (embedding_model is null)),
  unique (file_id, chunk_index),
  foreign key (file_id, user_id) references app_public.user_files (id, user_id) on delete cascade
);
comment on table app_public.file_chunks is 'Overlapping text chunks of a user''s files with their embeddings.';
create index file_chunks_user_id_idx on app_public.file_chunks (user_id);
create index file_chunks_file_idx on app_public.file_chunks (file_id, user_id);
create index file_chunks_embedding_idx on app_public.file_chunks using hnsw (embedding vector_cosine_ops);
create index file_chunks_tsv_idx on app_public.file_chunks using gin (tsv);
alter table app_public.file_chunks enable row level security;
alter table app_public.file_chunks force row level security;
create policy select_own on app_public.file_chunks for select to openclaw_user using (user_id = (select app_public.current_user_id()));
create policy insert_own on app_public.file_chunks for insert to openclaw_user with check (user_id = (select app_public.current_user_id()));
create policy update_own on app_public.file_chunks for update to openclaw_user
  using (user_id = (select app_public.current_user_id())) with check (user_id = (select app_public.current_user_id()));
create policy delete_own on app_public.file_chunks for delete to openclaw_user using (user_id = (select app_public.current_user_id()));
grant select, delete on app_public.file_chunks to openclaw_user;
grant insert (file_id, chunk_index, content, token_count, embedding, embedding_model) on app_public.file_chunks to openclaw_user;
grant update (embedding, embedding_model) on app_public.file_chunks to openclaw_user;

------------------------------------------------------------------------------------------------
-- Hybrid search: reciprocal rank fusion (k = 60) of vector similarity and full-text rank over
-- the caller's rows. SECURITY INVOKER, so RLS decides what is searched; the explicit user_id
-- predicates are there for the index, not for safety.
--
-- The vector leg is exact (the caller's rows through the user_id index, sorted by distance) up to
-- app.search_exact_limit rows per tenant (default 50000): an HNSW scan filters by tenant only
-- after it walks the graph, so a small tenant inside a big index can get too few rows back.
-- Above the limit the HNSW index is used with pgvector's iterative scan, which keeps walking
-- until enough of the tenant's rows are found (approximate, as any ANN search).
create function app_hidden.hybrid_search(source text, query_text text, query_embedding vector, match_count int)
  returns table (id uuid, score double precision, vector_rank bigint, text_rank bigint)
  language plpgsql stable
  set search_path = pg_catalog, public, pg_temp
  set hnsw.iterative_scan = 'strict_order'
  set hnsw.max_scan_tuples = '200000'
  set hnsw.ef_search = '200'
as $$
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
      select t.id, row_number() over (order by t.rank desc, t.id) as r
      from (
        select c.id, ts_rank_cd(c.tsv, q) as rank
        from app_public.%I c, websearch_to_tsquery('simple', coalesce($2, '')) q
        where c.user_id = $1 and c.tsv @@ q
        order by rank desc, c.id
        limit $4
      ) t
    )
    select coalesce(v.id, t.id) as id,
           coalesce(1.0 / (60 + v.r), 0) + coalesce(1.0 / (60 + t.r), 0) as score,
           v.r as vector_rank, t.r as text_rank
    from vector_hits v full join text_hits t on t.id = v.id
    order by score desc, vector_rank nulls last, text_rank nulls last, id
    limit $5
  $q$, v_vector_sql, source) using v_me, query_text, query_embedding, v_candidates, v_k;
end;
$$;
comment on function app_hidden.hybrid_search(text, text, vector, int) is
  'Ranks the caller''s user_memories or file_chunks by vector similarity fused with full-text rank (RRF).';
grant execute on function app_hidden.hybrid_search(text, text, vector, int) to openclaw_user;

create function app_public.search_memories(query text, query_embedding vector default null, match_count int default 10)
  returns table (id uuid, kind app_public.memory_kind, content text, importance smallint, score double precision,
                 vector_rank bigint, text_rank bigint)
  language sql stable
  set search_path = pg_catalog, public, pg_temp
as $$
  select m.id, m.kind, m.content, m.importance, h.score, h.vector_rank, h.text_rank
  from app_hidden.hybrid_search('user_memories', query, query_embedding, match_count) h
  join app_public.user_memories m on m.id = h.id
  order by h.score desc, h.vector_rank nulls last, h.text_rank nulls last, m.id
$$;
comment on function app_public.search_memories(text, vector, int) is
  'The caller''s memories most relevant to a text and/or an embedding, best first (hybrid: vector + full text).';
grant execute on function app_public.search_memories(text, vector, int) to openclaw_user;

create function app_public.search_file_chunks(query text, query_embedding vector default null, match_count int default 10)
  returns table (id uuid, file_id uuid, chunk_index int, content text, score double precision,
                 vector_rank bigint, text_rank bigint)
  language sql stable
  set search_path = pg_catalog, public, pg_temp
as $$
  select c.id, c.file_id, c.chunk_index, c.content, h.score, h.vector_rank, h.text_rank
  from app_hidden.hybrid_search('file_chunks', query, query_embedding, match_count) h
  join app_public.file_chunks c on c.id = h.id
  order by h.score desc, h.vector_rank nulls last, h.text_rank nulls last, c.id
$$;
comment on function app_public.search_file_chunks(text, vector, int) is
  'The caller''s file passages most relevant to a text and/or an embedding, best first (hybrid).';
grant execute on function app_public.search_file_chunks(text, vector, int) to openclaw_user;
