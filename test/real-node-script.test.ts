// The real node host is started through the shared reference script; a clone without the shared
// folder beside it uses the copy in test/support, which must stay byte-identical to the reference.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REAL_NODE_SCRIPT_COPY, REAL_NODE_SCRIPT_REFERENCE } from "./support/real-node.ts";

describe("run-real-node.sh", () => {
  it.skipIf(!existsSync(REAL_NODE_SCRIPT_REFERENCE))("the copy in test/support is the shared reference, byte for byte", () => {
    expect(readFileSync(REAL_NODE_SCRIPT_COPY, "utf8")).toBe(readFileSync(REAL_NODE_SCRIPT_REFERENCE, "utf8"));
  });
});
