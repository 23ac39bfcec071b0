// Which address per-address limits see. Without TRUST_PROXY a client's own X-Real-IP is ignored
// (it could otherwise dodge the sign-in and connect lockouts by naming a new address each time);
// behind nginx (TRUST_PROXY=1) the header nginx sets is the client.
import { describe, expect, it } from "vitest";
import { clientIp } from "../lib/client-ip.ts";

describe("clientIp", () => {
  it("ignores X-Real-IP unless the deployment trusts its proxy", () => {
    expect(clientIp("10.0.0.5", "203.0.113.7", false)).toBe("10.0.0.5");
    expect(clientIp(undefined, "203.0.113.7", false)).toBe("unknown");
  });
  it("uses X-Real-IP from a trusted proxy, and only a valid address", () => {
    expect(clientIp("10.0.0.5", "203.0.113.7", true)).toBe("203.0.113.7");
    expect(clientIp("10.0.0.5", " 2001:db8::1 ", true)).toBe("2001:db8::1");
    expect(clientIp("10.0.0.5", ["198.51.100.2", "1.1.1.1"], true)).toBe("198.51.100.2");
    expect(clientIp("10.0.0.5", "not-an-ip", true)).toBe("10.0.0.5");
    expect(clientIp("10.0.0.5", "", true)).toBe("10.0.0.5");
    expect(clientIp("10.0.0.5", undefined, true)).toBe("10.0.0.5");
  });
});
