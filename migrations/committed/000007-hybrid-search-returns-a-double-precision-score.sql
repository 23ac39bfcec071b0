--! Previous: sha1:9d3f120a75c46f92792726a528713351869102ae
--! Hash: sha1:31bce2ebc28003db3cb29830ddc1c7f3ee6dc7f8
--! Message: hybrid search returns a double precision score

-- hybrid_search: the fused score is double precision (1.0 / n is numeric).
select '[0]'::vector; -- loads pgvector in this session so the hnsw.* settings below are known
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
           (coalesce(1.0 / (60 + v.r), 0) + coalesce(1.0 / (60 + t.r), 0))::double precision as score,
           v.r as vector_rank, t.r as text_rank
    from vector_hits v full join text_hits t on t.id = v.id
    order by score desc, vector_rank nulls last, text_rank nulls last, id
    limit $5
  $q$, v_vector_sql, source) using v_me, query_text, query_embedding, v_candidates, v_k;
end;
$$;
