--! Previous: sha1:8409b0e403836d4a2c98799b300d1949e5960683
--! Hash: sha1:717cb3b026c690532a3ffb1b9afad74ccb7cc70d
--! Message: file uploads: queue ingestion on confirm, verification state out of the generated API

-- File uploads: queue ingestion when an upload is confirmed, and keep the verification state of
-- user_files out of the generated GraphQL API (only the API's confirm/delete mutations change it).
-- Idempotent: safe to run again on a database that already has it.

------------------------------------------------------------------------------------------------
-- Queueing. The request roles cannot touch graphile_worker; a SECURITY DEFINER trigger owned by
-- openclaw_jobs adds the job. graphile_worker.add_job (and add_jobs, which it calls) are SECURITY
-- INVOKER and graphile-worker enables row-level security (with no policies) on its private tables,
-- so openclaw_jobs needs the table privileges add_jobs uses plus policies of its own.
grant usage on schema graphile_worker to openclaw_jobs;
grant execute on function graphile_worker.add_job(text, json, text, timestamptz, integer, text, integer, text[], text),
                          graphile_worker.add_jobs(graphile_worker.job_spec[], boolean)
  to openclaw_jobs;
grant select, insert on graphile_worker._private_tasks, graphile_worker._private_job_queues to openclaw_jobs;
grant select, insert, update on graphile_worker._private_jobs to openclaw_jobs;
drop policy if exists openclaw_jobs_add on graphile_worker._private_tasks;
drop policy if exists openclaw_jobs_read on graphile_worker._private_tasks;
create policy openclaw_jobs_read on graphile_worker._private_tasks for select to openclaw_jobs using (true);
create policy openclaw_jobs_add on graphile_worker._private_tasks for insert to openclaw_jobs with check (true);
drop policy if exists openclaw_jobs_add on graphile_worker._private_job_queues;
drop policy if exists openclaw_jobs_read on graphile_worker._private_job_queues;
create policy openclaw_jobs_read on graphile_worker._private_job_queues for select to openclaw_jobs using (true);
create policy openclaw_jobs_add on graphile_worker._private_job_queues for insert to openclaw_jobs with check (true);
-- add_jobs clears the key of a locked job with the same key and upserts on the key.
drop policy if exists openclaw_jobs_add on graphile_worker._private_jobs;
create policy openclaw_jobs_add on graphile_worker._private_jobs for all to openclaw_jobs using (true) with check (true);

drop trigger if exists _500_queue_ingest on app_public.user_files;
-- The function belongs to openclaw_jobs once created, and the owner role (NOINHERIT) may only
-- drop it as that role.
set local role openclaw_jobs;
drop function if exists app_private.tg_user_files__queue_ingest();
reset role;

-- One job per confirmed file; the job key dedupes a job that has not started yet.
create function app_private.tg_user_files__queue_ingest() returns trigger
  language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
begin
  perform graphile_worker.add_job(
    'ingest_file',
    json_build_object('file_id', new.id, 'user_id', new.user_id),
    job_key := 'ingest_file:' || new.id::text
  );
  return null;
end;
$$;
comment on function app_private.tg_user_files__queue_ingest() is
  'Queues the ingest_file worker job when a file''s upload is confirmed (status becomes uploaded).';
grant create on schema app_private to openclaw_jobs;
alter function app_private.tg_user_files__queue_ingest() owner to openclaw_jobs;
revoke create on schema app_private from openclaw_jobs;
-- The table owner attaches the trigger.
set local role openclaw_jobs;
grant execute on function app_private.tg_user_files__queue_ingest() to openclaw_owner;
reset role;

create trigger _500_queue_ingest after update of status on app_public.user_files
  for each row when (new.status = 'uploaded' and old.status is distinct from 'uploaded')
  execute function app_private.tg_user_files__queue_ingest();

------------------------------------------------------------------------------------------------
-- Through GraphQL a user may rename a file, nothing more: its size, hash and status are what
-- the server verified (confirmFileUpload) or the worker recorded, and deleting goes through
-- deleteFile so the stored object goes too. The grants stay: the API and the worker change these
-- columns as the user through db/tenant.ts.
comment on table app_public.user_files is E'@behavior -insert -delete\nDocuments a user uploaded; ingested into file_chunks for search.';
comment on column app_public.user_files.size_bytes is E'@behavior -update';
comment on column app_public.user_files.sha256 is E'@behavior -update';
comment on column app_public.user_files.status is E'@behavior -update';
comment on column app_public.user_files.error is E'@behavior -update';
comment on column app_public.user_files.page_count is E'@behavior -update';
comment on column app_public.user_files.deleted_at is E'@behavior -update';
