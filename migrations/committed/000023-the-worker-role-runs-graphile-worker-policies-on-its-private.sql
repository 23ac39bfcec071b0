--! Previous: sha1:3a7f269e1a606b0e0eb15e41135fb052709ea98c
--! Hash: sha1:6527e68563e6e37925b24f1e1b5cfa76cd006cc6
--! Message: The worker role runs graphile-worker: policies on its private tables

-- The worker's login role runs graphile-worker. graphile-worker 0.18 enables row-level security on
-- its private tables (without policies), so a role that does not own them sees no jobs: give the
-- worker role the whole queue. (Tenant data stays behind the app tables' own policies: tasks run
-- as openclaw_user with the job's user id, through db/tenant.ts.)
create policy worker_all on graphile_worker._private_jobs for all to openclaw_worker using (true) with check (true);
create policy worker_all on graphile_worker._private_job_queues for all to openclaw_worker using (true) with check (true);
create policy worker_all on graphile_worker._private_tasks for all to openclaw_worker using (true) with check (true);
create policy worker_all on graphile_worker._private_known_crontabs for all to openclaw_worker using (true) with check (true);
