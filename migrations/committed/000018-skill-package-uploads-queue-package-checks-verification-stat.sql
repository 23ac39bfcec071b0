--! Previous: sha1:860a82ca33f8db5f3096d153f0915e6d474970df
--! Hash: sha1:674cb5bec14e06b6ae116acf21cc69af25e2936c
--! Message: skill package uploads: queue package checks, verification state out of the generated API

-- Skill package uploads: queue the package check when an upload is confirmed, and keep the
-- verification state of user_custom_skill_versions out of the generated GraphQL API (only the
-- API's requestSkillVersionUpload / confirmSkillVersionUpload / deleteSkillVersion mutations and
-- the worker change it). Mirrors 000015 (user_files). Idempotent: safe to run again.
--
-- The grants and policies openclaw_jobs needs on graphile_worker's tables come from 000015; only
-- the trigger function is new.

drop trigger if exists _500_queue_check on app_public.user_custom_skill_versions;
-- The function belongs to openclaw_jobs once created, and the owner role (NOINHERIT) may only
-- drop it as that role.
set local role openclaw_jobs;
drop function if exists app_private.tg_user_custom_skill_versions__queue_check();
reset role;

-- One job per confirmed package; the job key dedupes a job that has not started yet.
create function app_private.tg_user_custom_skill_versions__queue_check() returns trigger
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
begin
  perform graphile_worker.add_job(
    'check_skill_package',
    json_build_object('version_id', new.id, 'user_id', new.user_id),
    job_key := 'check_skill_package:' || new.id::text
  );
  return null;
end;
$$;
comment on function app_private.tg_user_custom_skill_versions__queue_check() is
  'Queues the check_skill_package worker job when a skill version''s upload is confirmed (status becomes uploaded).';
grant create on schema app_private to openclaw_jobs;
alter function app_private.tg_user_custom_skill_versions__queue_check() owner to openclaw_jobs;
revoke create on schema app_private from openclaw_jobs;
-- Functions are executable by PUBLIC by default; only the table owner needs to attach it.
set local role openclaw_jobs;
revoke execute on function app_private.tg_user_custom_skill_versions__queue_check() from public;
grant execute on function app_private.tg_user_custom_skill_versions__queue_check() to openclaw_owner;
reset role;

create trigger _500_queue_check after update of status on app_public.user_custom_skill_versions
  for each row when (new.status = 'uploaded' and old.status is distinct from 'uploaded')
  execute function app_private.tg_user_custom_skill_versions__queue_check();

------------------------------------------------------------------------------------------------
-- Through GraphQL a user reads their versions, nothing more: size, hash, status, problems and
-- manifest are what the server verified (confirmSkillVersionUpload) or the worker recorded, and
-- deleting goes through deleteSkillVersion so the stored package goes too. The grants stay: the
-- API and the worker change these columns as the user through db/tenant.ts. No column is left
-- for a generated update, so the table says -update too (an empty patch type would otherwise be
-- dropped with a "Recoverable error" warning on every schema build); the column tags keep them
-- hidden should a user-editable column be added later.
comment on table app_public.user_custom_skill_versions is E'@behavior -insert -update -delete\nUploaded packages of a user''s custom skill, one per version; checked by the worker before they can be submitted to the store.';
comment on column app_public.user_custom_skill_versions.size_bytes is E'@behavior -update';
comment on column app_public.user_custom_skill_versions.sha256 is E'@behavior -update';
comment on column app_public.user_custom_skill_versions.manifest is E'@behavior -update';
comment on column app_public.user_custom_skill_versions.status is E'@behavior -update';
comment on column app_public.user_custom_skill_versions.problems is E'@behavior -update';
