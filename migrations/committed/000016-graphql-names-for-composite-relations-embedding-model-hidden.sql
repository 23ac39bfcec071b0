--! Previous: sha1:717cb3b026c690532a3ffb1b9afad74ccb7cc70d
--! Hash: sha1:8c58b670b84f49994715bda605fcee2ac693bdec
--! Message: GraphQL names for composite relations; embedding model hidden

-- Which model made an embedding is the worker's business too.
comment on column app_public.user_memories.embedding_model is E'@behavior -*';
comment on column app_public.file_chunks.embedding_model is E'@behavior -*';

-- Composite foreign keys (parent_id, user_id) keep rows under their owner's parents; in GraphQL
-- they are plain relations with plain names.
comment on constraint approvals_conversation_id_user_id_fkey on app_public.approvals is E'@fieldName conversation\n@foreignFieldName approvals';
comment on constraint approvals_device_id_user_id_fkey on app_public.approvals is E'@fieldName device\n@foreignFieldName approvals';
comment on constraint conversation_summaries_conversation_id_user_id_fkey on app_public.conversation_summaries is E'@fieldName conversation\n@foreignFieldName summaries';
comment on constraint conversation_summaries_up_to_message_id_user_id_fkey on app_public.conversation_summaries is E'@fieldName upToMessage\n@foreignFieldName summariesUpToHere';
comment on constraint device_pairing_codes_device_id_user_id_fkey on app_public.device_pairing_codes is E'@fieldName device\n@foreignFieldName pairingCodes';
comment on constraint device_pairing_requests_node_token_id_user_id_fkey on app_public.device_pairing_requests is E'@fieldName nodeToken\n@foreignFieldName pairingRequests';
comment on constraint file_chunks_file_id_user_id_fkey on app_public.file_chunks is E'@fieldName file\n@foreignFieldName chunks';
comment on constraint installed_skills_custom_skill_id_user_id_fkey on app_public.installed_skills is E'@fieldName customSkill\n@foreignFieldName installations';
comment on constraint messages_conversation_id_user_id_fkey on app_public.messages is E'@fieldName conversation\n@foreignFieldName messages';
comment on constraint user_custom_skill_versions_skill_id_user_id_fkey on app_public.user_custom_skill_versions is E'@fieldName skill\n@foreignFieldName versions';
comment on constraint user_memories_source_message_id_user_id_fkey on app_public.user_memories is E'@fieldName sourceMessage\n@foreignFieldName memories';

-- The (id, user_id) unique keys exist for those foreign keys; the primary key is the lookup.
comment on constraint devices_id_user_id_key on app_public.devices is E'@behavior -*';
comment on constraint node_tokens_id_user_id_key on app_public.node_tokens is E'@behavior -*';
comment on constraint conversations_id_user_id_key on app_public.conversations is E'@behavior -*';
comment on constraint messages_id_user_id_key on app_public.messages is E'@behavior -*';
comment on constraint user_files_id_user_id_key on app_public.user_files is E'@behavior -*';
comment on constraint user_custom_skills_id_user_id_key on app_public.user_custom_skills is E'@behavior -*';
comment on constraint user_custom_skill_versions_id_user_id_key on app_public.user_custom_skill_versions is E'@behavior -*';
