--! Previous: sha1:ebe32eb7a8bd31898f8f902027533f1370117552
--! Hash: sha1:e3d9331a6b9718e9a2457630a7bba037ba775806
--! Message: subscription notifications for messages and devices

-- Subscription feeds: NOTIFY on a topic per user, carrying ids only. The API derives the topic a
-- subscriber listens on from the verified token and re-reads each row under the subscriber's
-- RLS, so a forged or misdirected notification carries nothing.
create function app_private.tg__notify_subscribers() returns trigger
  language plpgsql volatile as $$
begin
  perform pg_notify('postgraphile:' || tg_argv[0] || ':' || new.user_id,
    jsonb_build_object('event', tg_argv[1], 'id', new.id)::text);
  return null;
end;
$$;

create trigger _810_notify_subscribers after insert on app_public.messages
  for each row execute function app_private.tg__notify_subscribers('messages', 'message_created');
create trigger _810_notify_subscribers after update of status, last_seen_at, name on app_public.devices
  for each row execute function app_private.tg__notify_subscribers('devices', 'device_updated');
