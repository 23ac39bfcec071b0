// uWebSockets.js, loaded once. The package we depend on (an alias, see package.json) quietly
// falls back to a slow pure-JS implementation when its native binary does not load; the gateway
// refuses to run on that fallback unless GATEWAY_ALLOW_UWS_FALLBACK=1 says it may.
import { createRequire } from "node:module";
import type * as UwsTypes from "uWebSockets.js";

const require = createRequire(import.meta.url);

export type Uws = typeof UwsTypes;

let loaded: Uws | null = null;

export function loadUws(): Uws {
  loaded ??= require("uWebSockets.js") as Uws;
  return loaded;
}

/** True when the native addon is in use (its App is a C++ function, not the JS fallback's). */
export function isNativeUws(uws: Uws = loadUws()): boolean {
  return Function.prototype.toString.call(uws.App).includes("[native code]");
}

export class UwsFallbackError extends Error {
  constructor() {
    super(
      "uWebSockets.js is running its pure-JS fallback (the native binary did not load for this Node/glibc). " +
        "Use Node 20 on glibc >= 2.31, or set GATEWAY_ALLOW_UWS_FALLBACK=1 to run slowly anyway.",
    );
  }
}

export function requireNativeUws(allowFallback: boolean): Uws {
  const uws = loadUws();
  if (!isNativeUws(uws) && !allowFallback) throw new UwsFallbackError();
  return uws;
}
