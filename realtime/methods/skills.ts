// skills.test (an agent turn with only one of the user's own skill versions, answered with its
// transcript) and skills.bins, which the node host asks for and this platform leaves empty.
import { isUuid } from "../../lib/events.ts";
import { invalidRequest } from "../protocol/frames.ts";
import { agentCall, str } from "./params.ts";
import type { MethodFamily } from "./types.ts";

export const skillMethods: MethodFamily = {
  operator: {
    "skills.test": {
      scope: "operator.write",
      async run(ctx, params) {
        const versionId = str(params, "versionId");
        if (!isUuid(versionId)) throw invalidRequest("unknown skill version", { code: "SKILL_VERSION_NOT_FOUND" });
        if (typeof params.message !== "string") throw invalidRequest("message required");
        return agentCall(() => ctx.agent.testSkill(ctx.conn.userId!, versionId, params.message as string));
      },
    },
  },
  node: {
    "skills.bins": { async run() { return { bins: [] }; } },
  },
};
