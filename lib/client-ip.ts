// The address a request came from. Behind the deployment's nginx every connection comes from the
// proxy, so per-address limits (sign-in lockout, gateway connect lockout) would lump all users
// together: with TRUST_PROXY=1 the address is the X-Real-IP header nginx sets from the peer it
// saw. Without it the header is ignored (a client could otherwise pick its own address).
import { isIP } from "node:net";

export function clientIp(socketAddress: string | undefined | null, realIp: string | string[] | undefined, trustProxy: boolean): string {
  if (trustProxy) {
    const header = (Array.isArray(realIp) ? realIp[0] : realIp)?.trim();
    if (header && isIP(header)) return header;
  }
  return socketAddress || "unknown";
}
