--! Previous: sha1:cbbf72a4e2198aa970a21cb92eecbc5405f4ac99
--! Hash: sha1:f3cc4310c89dda9137fd058834e980a622d3a3c5
--! Message: approvals are decided through the gateway: GraphQL only reads them

-- Confirmations are decided through the gateway (exec.approval.resolve), which records who decided
-- and wakes the waiting run; the generated GraphQL API only reads them. The row-level grants stay
-- for the gateway, which works as the user.
comment on table app_public.approvals is
  E'@behavior -insert -update -delete\nConfirmations of sensitive device commands: every request and decision (decided through the gateway).';
