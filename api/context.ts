// What every GraphQL request carries besides pgSettings (built in postgraphile.config.ts from
// the verified token only).
import type { ApiServices } from "./services.ts";

declare global {
  namespace Grafast {
    interface Context {
      services: ApiServices;
      /** The caller's address, for rate limits. */
      ip: string;
      /** The verified token's subject, or null when anonymous. */
      userId: string | null;
      /** The verified token's live sign-in (app_private.sessions), or null when anonymous. */
      sessionId: string | null;
      role: "anonymous" | "user" | "admin";
    }
  }
}

export {};
