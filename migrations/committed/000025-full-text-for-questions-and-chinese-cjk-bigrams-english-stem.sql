--! Previous: sha1:1cce5cb8092bd47c19ce97e46d59a2cbb8f1f821
--! Hash: sha1:69400ef83dfe0ab629f2390d4333a2d5a25d9e93
--! Message: Full text for questions and Chinese: CJK bigrams, english stems and stopwords, OR queries ranked by distinct matches

-- Full text that works on natural-language questions and on Chinese, for hybrid_search's text
-- leg (measured with scripts/recall.ts: text-only recall@5 0.000 -> 0.748, hybrid 0.811 -> 0.830).
-- What was wrong with the committed text leg (recall@5 0.000 on the fixture, EN and ZH):
-- * websearch_to_tsquery ANDs every word, so a question ("what should I avoid eating?") matches
--   only a memory holding all of its words, stopwords included: in practice none.
-- * the 'simple' parser makes a whole run of CJK characters one token, so 我对花生过敏 is one
--   lexeme and only the identical sentence matches it.
-- * 'simple' neither stems nor drops stopwords, so with OR semantics "I", "my", "what" would
--   match nearly every memory.
-- What this does instead:
-- * documents and queries go through one text preparation: NFKC, then every CJK run
--   (Han, kana, Hangul: the local embedder's set) is written out as overlapping character
--   bigrams, plus its unigrams for documents only (so a one-character query still matches);
--   everything else is left to the 'english' configuration (stopwords out, snowball stems;
--   CJK grams pass through it unchanged).
-- * the query is the OR of its lexemes; one shared word is enough to be found. Ranking: how many
--   distinct query lexemes a row holds (ts_rank over the stripped vector), then cover density
--   (ts_rank_cd: closer together, weighted) to break ties, so a passage repeating one query word
--   does not outrank one holding several of them, and ties rarely fall to the row id.
-- hybrid_search and the search_* functions keep their signatures, SECURITY INVOKER, RLS,
-- pinned search_path and volatility.

select '[0]'::vector; -- loads pgvector in this session so the hnsw.* settings below are known

-- The text that is indexed and searched, in two parts: terms (everything but CJK, as it was,
-- and every CJK run as overlapping character bigrams, a one-character run as itself) and the
-- unigrams of the longer CJK runs. Bigrams carry most of the meaning (过敏, 花生); unigrams catch
-- the many one-character words (药, 睡, 狗, 车) at a low weight. NFKC first, so full-width
-- letters and digits index as ASCII. Immutable (the tsv columns are generated from it):
-- changing what it returns means rebuilding the tsv columns, as below.
create or replace function app_hidden.search_grams(content text, out terms text, out unigrams text)
  language plpgsql immutable strict parallel safe
  set search_path = pg_catalog, pg_temp
as $$
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
comment on function app_hidden.search_grams(text) is
  'Text prepared for full-text search: words and CJK bigrams (terms), and the CJK unigrams apart.';

-- Terms at weight A, unigrams at D: ts_rank_cd counts a unigram match a tenth of a term match.
create or replace function app_hidden.search_document(content text)
  returns tsvector
  language sql immutable strict parallel safe
  set search_path = pg_catalog, pg_temp
as $$
  select setweight(to_tsvector('english', g.terms), 'A') || to_tsvector('english', g.unigrams)
  from app_hidden.search_grams(content) g
$$;
comment on function app_hidden.search_document(text) is
  'The full-text document of a memory or file chunk (the tsv columns).';

-- OR of the query's lexemes (terms and unigrams); null when it has none (only stopwords or
-- punctuation), which matches nothing. Lexemes are quoted for tsquery input (quotes and
-- backslashes doubled).
create or replace function app_hidden.search_query(query_text text)
  returns tsquery
  language sql immutable strict parallel safe
  set search_path = pg_catalog, pg_temp
as $$
  select string_agg('''' || replace(replace(l, '\', '\\'), '''', '''''') || '''', ' | ')::tsquery
  from app_hidden.search_grams(query_text) g,
       unnest(tsvector_to_array(to_tsvector('english', g.terms || ' ' || g.unigrams))) l
$$;
comment on function app_hidden.search_query(text) is
  'A search text as a full-text query: any of its words or CJK grams (OR), null if it has none.';

-- Inserting or updating a row computes the generated column as the caller; hybrid_search (security
-- invoker) builds the query as the caller.
grant execute on function app_hidden.search_grams(text), app_hidden.search_document(text),
  app_hidden.search_query(text) to openclaw_user;

-- The tsv columns, recomputed with the new document (PostgreSQL 15 cannot change a generation
-- expression in place). Dropping the column drops its GIN index and column comment; both return.
alter table app_public.user_memories drop column if exists tsv;
alter table app_public.user_memories add column tsv tsvector generated always as (app_hidden.search_document(content)) stored;
create index user_memories_tsv_idx on app_public.user_memories using gin (tsv);
comment on column app_public.user_memories.tsv is E'@behavior -*';

alter table app_public.file_chunks drop column if exists tsv;
alter table app_public.file_chunks add column tsv tsvector generated always as (app_hidden.search_document(content)) stored;
create index file_chunks_tsv_idx on app_public.file_chunks using gin (tsv);
comment on column app_public.file_chunks.tsv is E'@behavior -*';

-- hybrid_search as in 000007, but for the text leg's query: app_hidden.search_query instead of
-- websearch_to_tsquery('simple', ...).
create or replace function app_hidden.hybrid_search(source text, query_text text, query_embedding vector, match_count int)
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
$$;
