// Node tokens and pairing through the API, as a user would do them.
import type { ApiServer } from "../../api/server.ts";
import { gql, type Session } from "./api.ts";

export async function issueNodeToken(api: ApiServer, user: Session, autoApprove: boolean): Promise<string> {
  const r = await gql<{ issueNodeToken: { result: { secret: string } } }>(
    api,
    "mutation ($auto: Boolean) { issueNodeToken(input: {label: \"test node\", autoApprove: $auto}) { result { secret } } }",
    { auto: autoApprove },
    user.accessToken,
  );
  const secret = r.data?.issueNodeToken.result.secret;
  if (!secret) throw new Error(`issueNodeToken failed: ${JSON.stringify(r.errors)}`);
  return secret;
}

export async function pendingPairingRequests(api: ApiServer, user: Session): Promise<{ rowId: string; deviceKeyId: string; status: string }[]> {
  const r = await gql<{ devicePairingRequests: { nodes: { rowId: string; deviceKeyId: string; status: string }[] } }>(
    api,
    "{ devicePairingRequests(condition: {status: pending}) { nodes { rowId deviceKeyId status } } }",
    {},
    user.accessToken,
  );
  if (!r.data) throw new Error(`devicePairingRequests failed: ${JSON.stringify(r.errors)}`);
  return r.data.devicePairingRequests.nodes;
}

export async function approvePairing(api: ApiServer, user: Session, requestId: string): Promise<void> {
  const r = await gql(api, "mutation ($id: UUID!) { approveDevicePairing(input: {requestId: $id}) { clientMutationId } }", { id: requestId }, user.accessToken);
  if (r.errors) throw new Error(`approveDevicePairing failed: ${JSON.stringify(r.errors)}`);
}
