// GraphQL subscriptions a user may hold: their new messages and their devices' status.
// NOTIFY bypasses RLS, so the topic is never chosen by the client: it is derived from the
// verified token (context userId), payloads carry only ids, and each row is re-read with the
// subscriber's own pgSettings, so RLS decides what is actually sent.
import { jsonParse } from "@dataplan/json";
import { context, lambda, listen, SafeError } from "grafast";
import { extendSchema, gql } from "graphile-utils";
import "../context.ts";

function topicFor(feed: string) {
  return lambda(context().get("userId"), (userId: string | null) => {
    if (!userId) throw new SafeError("Sign in to subscribe.", { code: "UNAUTHENTICATED" });
    return `postgraphile:${feed}:${userId}`;
  });
}

export const SubscriptionsPlugin = extendSchema((build) => {
  const { messages, devices } = build.input.pgRegistry.pgResources;
  if (!messages || !devices) throw new Error("SubscriptionsPlugin needs the messages and devices tables");
  return {
    typeDefs: gql`
      type MessageEvent {
        event: String!
        "Null when the row is gone or not yours."
        message: Message
      }
      type DeviceEvent {
        event: String!
        device: Device
      }
      extend type Subscription {
        "New messages in any of the signed-in user's conversations."
        myMessages: MessageEvent
        "Status, last-seen and name changes of the signed-in user's devices."
        myDevices: DeviceEvent
      }
    `,
    objects: {
      Subscription: {
        plans: {
          myMessages: {
            subscribePlan() {
              return listen(context().get("pgSubscriber"), topicFor("messages"), jsonParse);
            },
            plan: ($event) => $event,
          },
          myDevices: {
            subscribePlan() {
              return listen(context().get("pgSubscriber"), topicFor("devices"), jsonParse);
            },
            plan: ($event) => $event,
          },
        },
      },
      MessageEvent: {
        plans: {
          event: ($event) => ($event as never as { get(k: string): never }).get("event"),
          message: ($event) => messages.get({ id: ($event as never as { get(k: string): never }).get("id") }),
        },
      },
      DeviceEvent: {
        plans: {
          event: ($event) => ($event as never as { get(k: string): never }).get("event"),
          device: ($event) => devices.get({ id: ($event as never as { get(k: string): never }).get("id") }),
        },
      },
    },
  };
}, "SubscriptionsPlugin");
