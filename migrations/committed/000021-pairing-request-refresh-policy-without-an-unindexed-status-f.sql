--! Previous: sha1:99b4585df402aae48fb7a00e9ead869117af0a38
--! Hash: sha1:d0d09e43c68bc036bedc785c0d633fa53027d0eb
--! Message: Pairing-request refresh policy without an unindexed status filter

-- The auth role's refresh of pairing requests is already narrowed by gateway_node_enroll's own
-- WHERE (user and status); a USING clause on status alone could not use an index.
alter policy auth_refresh on app_public.device_pairing_requests using (true);
