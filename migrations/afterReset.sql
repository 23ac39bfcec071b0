-- Runs as a superuser on the application database, before the committed migrations
-- (graphile-migrate's afterReset hook, and scripts/setup.ts on every start). Idempotent.
-- Extensions: vector is untrusted (superuser only); pgcrypto supplies digest() and crypt().
create extension if not exists vector with schema public;
create extension if not exists pgcrypto with schema public;

-- Functions are not executable by PUBLIC by default: every function's audience is granted explicitly.
alter default privileges for role openclaw_owner revoke execute on functions from public;
-- Nothing may create objects in public.
revoke create on schema public from public;
