--! Previous: sha1:674cb5bec14e06b6ae116acf21cc69af25e2936c
--! Hash: sha1:862c136c313a3b69a03f31f9ba19f905a06a7897
--! Message: store versions only from the author's own packages; generated create hidden

-- A store version can only come from one of the author's own uploaded packages: its object key
-- must be under the author's skills prefix and its source version must be theirs (read under
-- their RLS). Submissions go through submitSkillVersionToStore, not the generated create.
drop policy insert_own on app_public.store_skill_versions;
create policy insert_own on app_public.store_skill_versions for insert to openclaw_user
  with check (author_id = (select app_public.current_user_id()) and review_state = 'pending'
              and object_key like 'users/' || (select app_public.current_user_id())::text || '/skills/%'
              and exists (select 1 from app_public.store_skills s where s.id = store_skill_id
                          and s.author_id = (select app_public.current_user_id()))
              and exists (select 1 from app_public.user_custom_skill_versions v where v.id = source_version_id));
comment on table app_public.store_skill_versions is E'@behavior -insert\nVersions of store skills under review or published. Created by submitSkillVersionToStore.';
