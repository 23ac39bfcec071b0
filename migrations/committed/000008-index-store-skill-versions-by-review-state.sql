--! Previous: sha1:31bce2ebc28003db3cb29830ddc1c7f3ee6dc7f8
--! Hash: sha1:e51deca8672653ffa5a641e23963bd1b15e109e8
--! Message: index store skill versions by review state

-- The public listing of approved store skill versions filters on review_state alone.
create index store_skill_versions_review_state_idx on app_public.store_skill_versions (review_state);
