--! Previous: sha1:f3cc4310c89dda9137fd058834e980a622d3a3c5
--! Hash: sha1:59576ad3a335d323326c7625ae2b538a4899c52c
--! Message: the approvals audit trigger function is not executable by PUBLIC

-- The approvals audit trigger function was created by its owning role, which has no default
-- privileges revoking EXECUTE from PUBLIC: revoke it (only the table owner attaches the trigger).
set local role openclaw_auditor;
revoke all on function app_private.tg_approvals__audit() from public;
grant execute on function app_private.tg_approvals__audit() to openclaw_owner;
reset role;
