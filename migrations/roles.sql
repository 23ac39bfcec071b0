-- Cluster-wide roles (roles are not per database, so they live outside the migrations).
-- Idempotent and additive: run by scripts/setup.ts as a superuser before the database exists.
-- Passwords come from settings openclaw.<role>_password (set by the caller; empty = leave as is).
do $$
declare
  r record;
begin
  for r in
    select * from (values
      -- name, login, inherit, comment
      ('openclaw_owner',         true,  false, 'Owns the database and every object; runs migrations. Never used by a running service.'),
      ('openclaw_authenticator', true,  false, 'API and gateway login. No privileges of its own: it can only SET ROLE to anonymous, user or admin.'),
      ('openclaw_worker',        true,  false, 'graphile-worker login. Uses the job queue; reaches tenant data only through SET LOCAL ROLE openclaw_user.'),
      ('openclaw_anonymous',     false, true,  'Requests without a verified token.'),
      ('openclaw_user',          false, true,  'A signed-in tenant; row-level security keys everything on app.user_id.'),
      ('openclaw_admin',         false, true,  'A platform admin: a user plus admin-only policies.'),
      ('openclaw_auth',          false, true,  'Owns the SECURITY DEFINER auth functions (register, login, token lookups); its policies say what they may see.'),
      ('openclaw_auditor',       false, true,  'Owns the SECURITY DEFINER audit writer; may only append to audit_log.'),
      ('openclaw_jobs',          false, true,  'Owns the SECURITY DEFINER triggers that queue worker jobs; may only call graphile_worker.add_job.'),
      ('openclaw_billing',       false, true,  'Owns the SECURITY DEFINER billing functions (orders, coupons, payment confirmation, subscription activation).'),
      ('openclaw_maintenance',   false, true,  'Owns the SECURITY DEFINER housekeeping functions the worker''s scheduled tasks call (quota periods, retention).')
    ) as t(name, login, inherit, note)
  loop
    if not exists (select 1 from pg_roles where rolname = r.name) then
      execute format('create role %I %s %s nosuperuser nocreatedb nocreaterole noreplication nobypassrls',
        r.name, case when r.login then 'login' else 'nologin' end, case when r.inherit then 'inherit' else 'noinherit' end);
    else
      execute format('alter role %I %s %s nosuperuser nocreatedb nocreaterole noreplication nobypassrls',
        r.name, case when r.login then 'login' else 'nologin' end, case when r.inherit then 'inherit' else 'noinherit' end);
    end if;
    execute format('comment on role %I is %L', r.name, r.note);
    if r.login and coalesce(current_setting('openclaw.' || r.name || '_password', true), '') <> '' then
      execute format('alter role %I password %L', r.name, current_setting('openclaw.' || r.name || '_password'));
    end if;
  end loop;
end
$$;

-- The authenticator may become exactly these roles, nothing else.
grant openclaw_anonymous, openclaw_user, openclaw_admin to openclaw_authenticator;
-- Admins are users with extra policies: every "to openclaw_user" grant and policy applies to them too.
grant openclaw_user to openclaw_admin;
-- The worker runs task bodies as the tenant.
grant openclaw_user to openclaw_worker;
-- The owner hands SECURITY DEFINER functions to the definer roles (alter function ... owner to), which
-- needs membership; the owner is NOINHERIT so it never uses their privileges implicitly.
grant openclaw_auth, openclaw_auditor, openclaw_jobs, openclaw_billing, openclaw_maintenance to openclaw_owner;
