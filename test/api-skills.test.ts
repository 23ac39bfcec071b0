// Custom skill packages over real HTTP against a real S3 server (s3rver on a free loopback port),
// the way files are uploaded (api-files.test.ts): create a skill → request a version upload → PUT
// the zip to the presigned URL → confirm (the server checks size, hash, type and zip header itself
// and deletes what does not fit) → check_skill_package queued once → the worker marks it valid
// (here: the superuser, as the worker would) → submit to the store (pending review, visible to
// the author only) → an admin approves → another user installs and uninstalls it. Another user
// can neither request, confirm, submit nor delete on someone's skill, and learns nothing about it.
//
// The API's storage is memoized on first use (api/services.ts), so the S3 server starts and
// S3_ENDPOINT is set before the API starts.
process.env.SKILL_PACKAGE_MAX_BYTES = "65536";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiServer } from "../api/server.ts";
import { getApiServices } from "../api/services.ts";
import type { Storage } from "../lib/storage.ts";
import { readConfirmedObject } from "../worker/stored-object.ts";
import { gql, signUp, signUpAdmin, startTestApiWithS3, type ApiWithS3, type GqlResult, type Session } from "./support/api.ts";
import { rootPool } from "./support/db.ts";
import { errorCode, presignedKey, putToPresigned, queuedJobs, sha256 } from "./support/uploads.ts";
import { makeZip, skillZip } from "./support/zips.ts";

let api: ApiServer;
let env: ApiWithS3;
let storage: Storage;
let alice: Session;
let bob: Session;
let admin: Session;
const root = rootPool();
const MAX = 65536;

beforeAll(async () => {
  env = await startTestApiWithS3("skills");
  ({ api, storage } = env);
  expect(storage.endpoint).toBe(env.s3Url);
  expect((await getApiServices()).config.skills.maxPackageBytes).toBe(MAX);
  alice = await signUp(api, "skills-alice");
  bob = await signUp(api, "skills-bob");
  admin = await signUpAdmin(api, root, "skills-admin");
});

afterAll(async () => {
  await env?.close();
  await root.end();
});

// ---- API helpers -----------------------------------------------------------------------------

const VERSION_FIELDS = "rowId userId skillId version objectKey sizeBytes sha256 status problems manifest";

interface VersionNode {
  rowId: string;
  userId: string;
  skillId: string;
  version: string;
  objectKey: string;
  sizeBytes: string;
  sha256: string | null;
  status: string;
  problems: string[];
  manifest: Record<string, unknown> | null;
}
interface Ticket {
  versionId: string;
  skillVersion: VersionNode | null;
  uploadUrl: string;
  uploadMethod: string;
  requiredHeaders: { name: string; value: string }[];
  objectKey: string;
  expiresAt: string;
  maxBytes: number;
}
interface StoreVersionNode {
  rowId: string;
  storeSkillId: string;
  authorId: string | null;
  sourceVersionId: string | null;
  version: string;
  objectKey: string;
  sha256: string;
  manifest: Record<string, unknown>;
  reviewState: string;
}
interface Submission {
  versionId: string;
  storeSkillId: string;
  storeSkillVersionId: string;
  skillVersion: { rowId: string; status: string } | null;
  storeSkill: { rowId: string; slug: string; title: string; authorId: string | null; isPublished: boolean } | null;
  storeSkillVersion: StoreVersionNode | null;
}
const STORE_VERSION_FIELDS = "rowId storeSkillId authorId sourceVersionId version objectKey sha256 manifest reviewState";

const code = errorCode;
const suffix = () => randomUUID().slice(0, 8);

async function createSkill(user: Session, name = `weather-${suffix()}`) {
  const r = await gql<{ createUserCustomSkill: { userCustomSkill: { rowId: string; name: string } } }>(
    api,
    "mutation ($name: String!) { createUserCustomSkill(input: {userCustomSkill: {name: $name, title: \"Weather\", description: \"Tells the weather.\"}}) { userCustomSkill { rowId name } } }",
    { name },
    user.accessToken,
  );
  expect(r.errors).toBeUndefined();
  return r.data!.createUserCustomSkill.userCustomSkill;
}
function request(user: Session | null, input: Record<string, unknown>) {
  return gql<{ requestSkillVersionUpload: Ticket }>(
    api,
    `mutation ($input: RequestSkillVersionUploadInput!) { requestSkillVersionUpload(input: $input) {
       versionId uploadUrl uploadMethod requiredHeaders { name value } objectKey expiresAt maxBytes skillVersion { ${VERSION_FIELDS} } } }`,
    { input },
    user?.accessToken,
  );
}
function confirm(user: Session, versionId: string) {
  return gql<{ confirmSkillVersionUpload: { versionId: string; skillVersion: VersionNode | null } }>(
    api,
    `mutation ($id: UUID!) { confirmSkillVersionUpload(input: {versionId: $id}) { versionId skillVersion { ${VERSION_FIELDS} } } }`,
    { id: versionId },
    user.accessToken,
  );
}
function submit(user: Session, input: Record<string, unknown>) {
  return gql<{ submitSkillVersionToStore: Submission }>(
    api,
    `mutation ($input: SubmitSkillVersionToStoreInput!) { submitSkillVersionToStore(input: $input) {
       versionId storeSkillId storeSkillVersionId skillVersion { rowId status }
       storeSkill { rowId slug title authorId isPublished } storeSkillVersion { ${STORE_VERSION_FIELDS} } } }`,
    { input },
    user.accessToken,
  );
}
function removeVersion(user: Session, versionId: string) {
  return gql<{ deleteSkillVersion: { versionId: string; deleted: boolean } }>(
    api,
    "mutation ($id: UUID!) { deleteSkillVersion(input: {versionId: $id}) { versionId deleted } }",
    { id: versionId },
    user.accessToken,
  );
}
function storeVersion(user: Session | null, id: string) {
  return gql<{ storeSkillVersion: StoreVersionNode | null }>(
    api,
    `query ($id: UUID!) { storeSkillVersion(rowId: $id) { ${STORE_VERSION_FIELDS} } }`,
    { id },
    user?.accessToken,
  );
}
function storeSkill(user: Session | null, id: string) {
  return gql<{ storeSkill: { rowId: string; isPublished: boolean } | null }>(
    api,
    "query ($id: UUID!) { storeSkill(rowId: $id) { rowId isPublished } }",
    { id },
    user?.accessToken,
  );
}
/** PUTs a body to a ticket's URL with the headers it asks for (or others). */
/** Requests a version upload as `user` and PUTs `body` (declared as the body unless overridden). */
async function upload(user: Session, skillId: string, version: string, body: Buffer, declared: Record<string, unknown> = {}, headers?: Record<string, string>) {
  const r = await request(user, { skillId, version, sizeBytes: body.length, sha256: sha256(body), ...declared });
  expect(r.errors).toBeUndefined();
  const ticket = r.data!.requestSkillVersionUpload;
  expect(await putToPresigned(ticket, body, headers)).toBe(200);
  return ticket;
}
const jobsFor = (versionId: string) => queuedJobs(root, "version_id", versionId);
/** Where a ticket's PUT goes: beside the version's own key, which only confirm writes. */
const uploadKeyOf = (ticket: Ticket) => presignedKey(ticket.uploadUrl, storage.bucket);
async function row(versionId: string) {
  const { rows } = await root.query<{ status: string; problems: string[]; sha256: string | null; object_key: string; size_bytes: string }>(
    "select status, problems, sha256, object_key, size_bytes from app_public.user_custom_skill_versions where id = $1",
    [versionId],
  );
  return rows[0] ?? null;
}
/** What the check_skill_package worker does for a package it accepts. */
async function markValid(versionId: string, manifest: Record<string, unknown> = { name: "weather", entry: "SKILL.md" }) {
  const r = await root.query("update app_public.user_custom_skill_versions set status = 'valid', manifest = $2 where id = $1 and status = 'uploaded'", [
    versionId,
    JSON.stringify(manifest),
  ]);
  expect(r.rowCount).toBe(1);
}
/** Uploads, confirms and validates a version: ready to submit. */
async function validVersion(user: Session, skillId: string, version: string) {
  const body = skillZip("weather", version);
  const ticket = await upload(user, skillId, version, body);
  expect((await confirm(user, ticket.versionId)).errors).toBeUndefined();
  await markValid(ticket.versionId);
  return { ticket, body };
}

// ---- tests -----------------------------------------------------------------------------------

describe("create, upload, confirm, submit, review, install", () => {
  it("the whole flow: author → store review → another user installs and uninstalls", async () => {
    const skill = await createSkill(alice);
    const body = skillZip(skill.name, "1.0.0");
    expect(body.subarray(0, 4)).toEqual(Buffer.from("PK\x03\x04", "latin1"));

    const r = await request(alice, { skillId: skill.rowId, version: "1.0.0", sizeBytes: body.length, sha256: sha256(body) });
    expect(r.errors).toBeUndefined();
    const ticket = r.data!.requestSkillVersionUpload;
    expect(ticket.objectKey).toMatch(new RegExp(`^users/${alice.userId}/skills/${skill.rowId}/[0-9a-f-]{36}\\.zip$`));
    // The URL writes beside the version's key, inside the skill's prefix; never to the version's key.
    expect(uploadKeyOf(ticket)).toMatch(new RegExp(`^users/${alice.userId}/skills/${skill.rowId}/`));
    expect(uploadKeyOf(ticket)).not.toBe(ticket.objectKey);
    expect(ticket.skillVersion?.objectKey).toBe(ticket.objectKey);
    expect(ticket.uploadMethod).toBe("PUT");
    expect(ticket.requiredHeaders).toEqual([{ name: "Content-Type", value: "application/zip" }]);
    expect(new Date(ticket.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(ticket.maxBytes).toBe(MAX);
    expect(ticket.skillVersion).toMatchObject({
      rowId: ticket.versionId,
      userId: alice.userId,
      skillId: skill.rowId,
      version: "1.0.0",
      status: "pending_upload",
      sizeBytes: String(body.length),
    });

    // Confirming before anything is stored says so and leaves the version pending.
    expect(code(await confirm(alice, ticket.versionId))).toBe("UPLOAD_MISSING");
    expect((await row(ticket.versionId))?.status).toBe("pending_upload");
    // Nothing can go to the store before it is checked.
    expect(code(await submit(alice, { versionId: ticket.versionId }))).toBe("NOT_VALIDATED");

    expect(await putToPresigned(ticket, body)).toBe(200);
    const c = await confirm(alice, ticket.versionId);
    expect(c.errors).toBeUndefined();
    expect(c.data!.confirmSkillVersionUpload.skillVersion).toMatchObject({ status: "uploaded", sha256: sha256(body), problems: [], objectKey: ticket.objectKey });
    // The package was copied to the version's key and is gone from the upload key.
    expect(await storage.statObject(ticket.objectKey)).toMatchObject({ size: body.length, contentType: "application/zip" });
    expect(await storage.statObject(uploadKeyOf(ticket))).toBeNull();

    const jobs = await jobsFor(ticket.versionId);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      task_identifier: "check_skill_package",
      key: `check_skill_package:${ticket.versionId}`,
      payload: { version_id: ticket.versionId, user_id: alice.userId },
      revision: 0,
    });
    // Confirming again changes nothing and queues nothing more.
    expect((await confirm(alice, ticket.versionId)).data?.confirmSkillVersionUpload.skillVersion?.status).toBe("uploaded");
    expect(await jobsFor(ticket.versionId)).toHaveLength(1);
    const notYet = await submit(alice, { versionId: ticket.versionId });
    expect(code(notYet)).toBe("NOT_VALIDATED");
    expect(notYet.errors![0]!.extensions!.status).toBe("uploaded");

    await markValid(ticket.versionId, { name: skill.name, entry: "SKILL.md" });
    const slug = `weather-store-${suffix()}`;
    const s = await submit(alice, { versionId: ticket.versionId, storeSkillSlug: slug, title: "Weather for everyone" });
    expect(s.errors).toBeUndefined();
    const sub = s.data!.submitSkillVersionToStore;
    expect(sub.storeSkill).toEqual({ rowId: sub.storeSkillId, slug, title: "Weather for everyone", authorId: alice.userId, isPublished: false });
    expect(sub.storeSkillVersion).toEqual({
      rowId: sub.storeSkillVersionId,
      storeSkillId: sub.storeSkillId,
      authorId: alice.userId,
      sourceVersionId: ticket.versionId,
      version: "1.0.0",
      objectKey: ticket.objectKey,
      sha256: sha256(body),
      manifest: { name: skill.name, entry: "SKILL.md" },
      reviewState: "pending",
    });
    // Submitting again answers with the same submission.
    const again = await submit(alice, { versionId: ticket.versionId, storeSkillSlug: slug });
    expect(again.errors).toBeUndefined();
    expect(again.data!.submitSkillVersionToStore.storeSkillVersionId).toBe(sub.storeSkillVersionId);

    // Pending: the author sees it, nobody else does, and nobody else can install it.
    expect((await storeVersion(alice, sub.storeSkillVersionId)).data?.storeSkillVersion?.reviewState).toBe("pending");
    for (const who of [bob, null]) {
      expect((await storeVersion(who, sub.storeSkillVersionId)).data?.storeSkillVersion).toBeNull();
      expect((await storeSkill(who, sub.storeSkillId)).data?.storeSkill).toBeNull();
    }
    const anonList = await gql<{ storeSkillVersions: { nodes: { rowId: string }[] } }>(api, "{ storeSkillVersions { nodes { rowId } } }");
    expect(anonList.data?.storeSkillVersions.nodes.map((n) => n.rowId)).not.toContain(sub.storeSkillVersionId);
    const install = (user: Session) =>
      gql<{ createInstalledSkill: { installedSkill: { rowId: string; storeSkillId: string; storeSkillVersionId: string } } }>(
        api,
        "mutation ($s: UUID!, $v: UUID!) { createInstalledSkill(input: {installedSkill: {storeSkillId: $s, storeSkillVersionId: $v}}) { installedSkill { rowId storeSkillId storeSkillVersionId } } }",
        { s: sub.storeSkillId, v: sub.storeSkillVersionId },
        user.accessToken,
      );
    const early = await install(bob);
    expect(code(early)).toBe("FORBIDDEN"); // the insert policy: the store skill is not visible to Bob
    expect((await root.query("select 1 from app_public.installed_skills where user_id = $1", [bob.userId])).rowCount).toBe(0);

    // A user cannot review; an admin approves, which publishes.
    const review = (user: Session) =>
      gql<{ adminReviewStoreSkillVersion: { result: { reviewState: string } } }>(
        api,
        "mutation ($v: UUID!) { adminReviewStoreSkillVersion(input: {versionId: $v, approve: true}) { result { reviewState } } }",
        { v: sub.storeSkillVersionId },
        user.accessToken,
      );
    expect(code(await review(alice))).toBe("FORBIDDEN");
    const ok = await review(admin);
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.adminReviewStoreSkillVersion.result.reviewState).toBe("approved");
    for (const who of [bob, null]) {
      expect((await storeVersion(who, sub.storeSkillVersionId)).data?.storeSkillVersion).toMatchObject({ reviewState: "approved", sha256: sha256(body) });
      expect((await storeSkill(who, sub.storeSkillId)).data?.storeSkill).toEqual({ rowId: sub.storeSkillId, isPublished: true });
    }

    // Bob installs it and uninstalls it.
    const installed = await install(bob);
    expect(installed.errors).toBeUndefined();
    const installId = installed.data!.createInstalledSkill.installedSkill.rowId;
    expect(installed.data!.createInstalledSkill.installedSkill).toMatchObject({ storeSkillId: sub.storeSkillId, storeSkillVersionId: sub.storeSkillVersionId });
    const mine = await gql<{ installedSkills: { nodes: { rowId: string }[] } }>(api, "{ installedSkills { nodes { rowId } } }", {}, bob.accessToken);
    expect(mine.data?.installedSkills.nodes.map((n) => n.rowId)).toEqual([installId]);
    const un = await gql(api, "mutation ($id: UUID!) { deleteInstalledSkill(input: {rowId: $id}) { deletedInstalledSkillId } }", { id: installId }, bob.accessToken);
    expect(un.errors).toBeUndefined();
    expect((await root.query("select 1 from app_public.installed_skills where id = $1", [installId])).rowCount).toBe(0);

    // The published package stays: its version cannot be deleted from under the store.
    expect(code(await removeVersion(alice, ticket.versionId))).toBe("VERSION_IN_STORE");
    expect(await storage.statObject(ticket.objectKey)).not.toBeNull();
    expect(await row(ticket.versionId)).not.toBeNull();

    // The next version goes to the same store skill without naming it.
    const next = await validVersion(alice, skill.rowId, "1.1.0");
    const s2 = await submit(alice, { versionId: next.ticket.versionId });
    expect(s2.errors).toBeUndefined();
    expect(s2.data!.submitSkillVersionToStore).toMatchObject({ storeSkillId: sub.storeSkillId, storeSkillVersion: { version: "1.1.0", reviewState: "pending" } });
  });

  it("a new store skill takes the custom skill's name as slug; someone else's slug is refused", async () => {
    const skill = await createSkill(alice);
    const { ticket } = await validVersion(alice, skill.rowId, "0.1.0");
    const s = await submit(alice, { versionId: ticket.versionId });
    expect(s.errors).toBeUndefined();
    expect(s.data!.submitSkillVersionToStore.storeSkill).toMatchObject({ slug: skill.name, title: "Weather", isPublished: false });

    // Bob cannot put his version under Alice's (unpublished, invisible to him) store skill.
    const bobs = await createSkill(bob);
    const mine = await validVersion(bob, bobs.rowId, "1.0.0");
    const taken = await submit(bob, { versionId: mine.ticket.versionId, storeSkillSlug: skill.name });
    expect(code(taken)).toBe("SLUG_TAKEN");
    expect(JSON.stringify(taken.errors)).not.toContain(alice.userId);
    expect((await root.query("select 1 from app_public.store_skill_versions where source_version_id = $1", [mine.ticket.versionId])).rowCount).toBe(0);
    expect(code(await submit(bob, { versionId: mine.ticket.versionId, storeSkillSlug: "Not A Slug" }))).toBe("INVALID_INPUT");
    expect(code(await submit(bob, { versionId: mine.ticket.versionId, categoryId: randomUUID() }))).toBe("INVALID_REFERENCE");
  });

  it("a version that is still pending in the store can be deleted once withdrawn; deleting removes the object and the row", async () => {
    const skill = await createSkill(alice);
    const { ticket } = await validVersion(alice, skill.rowId, "2.0.0");
    const s = await submit(alice, { versionId: ticket.versionId });
    expect(s.errors).toBeUndefined();
    expect(code(await removeVersion(alice, ticket.versionId))).toBe("VERSION_IN_STORE");
    const withdrawn = await gql(
      api,
      "mutation ($id: UUID!) { updateStoreSkillVersion(input: {rowId: $id, patch: {reviewState: withdrawn}}) { storeSkillVersion { reviewState } } }",
      { id: s.data!.submitSkillVersionToStore.storeSkillVersionId },
      alice.accessToken,
    );
    expect(withdrawn.errors).toBeUndefined();
    const del = await removeVersion(alice, ticket.versionId);
    expect(del.errors).toBeUndefined();
    expect(del.data!.deleteSkillVersion).toEqual({ versionId: ticket.versionId, deleted: true });
    expect(await storage.statObject(ticket.objectKey)).toBeNull();
    expect(await row(ticket.versionId)).toBeNull();
    expect(code(await removeVersion(alice, ticket.versionId))).toBe("NOT_FOUND");
    // The version number is free again.
    const body = skillZip("weather", "2.0.0");
    expect((await request(alice, { skillId: skill.rowId, version: "2.0.0", sizeBytes: body.length, sha256: sha256(body) })).errors).toBeUndefined();
  });

  it("a package changed in the store after it was checked is refused at submission and deleted", async () => {
    const skill = await createSkill(alice);
    const { ticket } = await validVersion(alice, skill.rowId, "3.0.0");
    // No URL writes the version's key (see "a confirmed package is immutable"); whatever else
    // might write the store directly, submission hashes the package again.
    await storage.putObject(ticket.objectKey, skillZip("evil", "3.0.0"), "application/zip");
    const s = await submit(alice, { versionId: ticket.versionId });
    expect(code(s)).toBe("PACKAGE_CHANGED");
    expect(await storage.statObject(ticket.objectKey)).toBeNull();
    expect(await row(ticket.versionId)).toMatchObject({ status: "invalid", problems: ["the stored package changed after it was checked"] });
    expect((await root.query("select 1 from app_public.store_skill_versions where source_version_id = $1", [ticket.versionId])).rowCount).toBe(0);
  });
});

describe("a confirmed package is immutable", () => {
  it("a PUT to the upload URL after confirm replaces nothing: the package check and the store get the verified package", async () => {
    const skill = await createSkill(alice);
    const body = skillZip("weather", "4.0.0");
    const ticket = await upload(alice, skill.rowId, "4.0.0", body);
    expect((await confirm(alice, ticket.versionId)).errors).toBeUndefined();
    const confirmed = (await row(ticket.versionId))!;
    expect(confirmed).toMatchObject({ status: "uploaded", sha256: sha256(body), size_bytes: String(body.length) });

    // The upload URL is still within its lifetime and the store takes another zip.
    expect(await putToPresigned(ticket, skillZip("evil", "4.0.0"))).toBe(200);
    // What check_skill_package reads (worker/stored-object.ts) is the verified package.
    expect(await readConfirmedObject(storage, confirmed, MAX, "package")).toEqual({ body });
    expect(await row(ticket.versionId)).toEqual(confirmed);

    // And after the check, what goes to the store is still that package.
    await markValid(ticket.versionId);
    expect(await putToPresigned(ticket, skillZip("evil", "4.0.0"))).toBe(200);
    const s = await submit(alice, { versionId: ticket.versionId });
    expect(s.errors).toBeUndefined();
    expect(s.data!.submitSkillVersionToStore.storeSkillVersion).toMatchObject({ objectKey: confirmed.object_key, sha256: sha256(body) });
    expect(sha256((await storage.getObject(confirmed.object_key, MAX))!)).toBe(sha256(body));
  });
});

describe("what is refused when the upload is requested", () => {
  it("too large, bad versions and hashes, duplicates, anonymous callers, unknown skills", async () => {
    const skill = await createSkill(alice);
    const base = { skillId: skill.rowId, version: "1.0.0", sizeBytes: 100, sha256: "a".repeat(64) };
    const tooBig = await request(alice, { ...base, sizeBytes: MAX + 1 });
    expect(code(tooBig)).toBe("PACKAGE_TOO_LARGE");
    expect(tooBig.errors![0]!.extensions!.maxBytes).toBe(MAX);
    expect(code(await request(alice, { ...base, version: "v1" }))).toBe("INVALID_INPUT");
    expect(code(await request(alice, { ...base, version: "1.0.0/../../x" }))).toBe("INVALID_INPUT");
    expect(code(await request(alice, { ...base, sizeBytes: 0 }))).toBe("INVALID_INPUT");
    expect(code(await request(alice, { ...base, sha256: "abc" }))).toBe("INVALID_INPUT");
    expect(code(await request(null, base))).toBe("UNAUTHENTICATED");
    expect(code(await request(alice, { ...base, skillId: randomUUID() }))).toBe("NOT_FOUND");
    expect((await root.query("select 1 from app_public.user_custom_skill_versions where skill_id = $1", [skill.rowId])).rowCount).toBe(0);

    const first = await request(alice, base);
    expect(first.errors).toBeUndefined();
    const dup = await request(alice, { ...base, sizeBytes: 200 });
    expect(code(dup)).toBe("VERSION_EXISTS");
    expect(dup.errors![0]!.extensions!.versionId).toBe(first.data!.requestSkillVersionUpload.versionId);
    // Two at once: exactly one wins.
    const [a, b] = await Promise.all([request(alice, { ...base, version: "1.0.1" }), request(alice, { ...base, version: "1.0.1" })]);
    expect([code(a), code(b)].sort()).toEqual([undefined, "VERSION_EXISTS"].sort());
    expect((await root.query("select 1 from app_public.user_custom_skill_versions where skill_id = $1", [skill.rowId])).rowCount).toBe(2);
  });
});

describe("confirm checks the stored package itself and deletes what does not fit", () => {
  let skillId: string;
  beforeAll(async () => {
    skillId = (await createSkill(alice)).rowId;
  });
  let n = 0;
  const nextVersion = () => `9.0.${n++}`;

  async function expectRejected(ticket: Ticket, reason: RegExp) {
    expect(await storage.statObject(uploadKeyOf(ticket))).not.toBeNull();
    const c = await confirm(alice, ticket.versionId);
    expect(code(c)).toBe("UPLOAD_MISMATCH");
    expect(String(c.errors![0]!.extensions!.reason)).toMatch(reason);
    expect(await storage.statObject(uploadKeyOf(ticket))).toBeNull();
    expect(await storage.statObject(ticket.objectKey)).toBeNull();
    const r = await row(ticket.versionId);
    expect(r?.status).toBe("invalid");
    expect(r?.problems).toHaveLength(1);
    expect(r?.problems[0]).toMatch(reason);
    expect(await jobsFor(ticket.versionId)).toEqual([]);
    // It stays rejected and cannot be submitted.
    expect(code(await confirm(alice, ticket.versionId))).toBe("UPLOAD_FAILED");
    expect(code(await submit(alice, { versionId: ticket.versionId }))).toBe("NOT_VALIDATED");
  }

  it("more bytes than declared", async () => {
    const body = skillZip("weather", "1.0.0");
    const ticket = await upload(alice, skillId, nextVersion(), body, { sizeBytes: 10 });
    await expectRejected(ticket, new RegExp(`${body.length} bytes, not the 10 declared`));
  });

  it("more than the limit", async () => {
    const r = await request(alice, { skillId, version: nextVersion(), sizeBytes: MAX, sha256: "b".repeat(64) });
    const ticket = r.data!.requestSkillVersionUpload;
    const body = Buffer.concat([Buffer.from("PK\x03\x04", "latin1"), Buffer.alloc(MAX * 2, 1)]);
    expect(await putToPresigned(ticket, body)).toBe(200); // the store takes it anyway
    await expectRejected(ticket, /more than the 65536 allowed/);
  });

  it("a different hash than declared", async () => {
    const body = skillZip("weather", "1.0.0");
    const ticket = await upload(alice, skillId, nextVersion(), body, { sha256: sha256(skillZip("other", "1.0.0")) });
    await expectRejected(ticket, /SHA-256/);
  });

  it("not a zip, though stored as application/zip", async () => {
    const body = Buffer.from("#!/bin/sh\nrm -rf /\n");
    const ticket = await upload(alice, skillId, nextVersion(), body);
    await expectRejected(ticket, /not a zip archive/);
  });

  it("an empty zip (an end record only, no entries)", async () => {
    const body = makeZip({});
    expect(body.subarray(0, 4)).toEqual(Buffer.from("PK\x05\x06", "latin1"));
    const ticket = await upload(alice, skillId, nextVersion(), body);
    await expectRejected(ticket, /not a zip archive/);
  });

  it("a zip stored with another content type", async () => {
    const body = skillZip("weather", "1.0.0");
    const ticket = await upload(alice, skillId, nextVersion(), body, {}, { "content-type": "application/octet-stream" });
    await expectRejected(ticket, /stored as application\/octet-stream, not application\/zip/);
  });
});

describe("another user's skills and versions", () => {
  it("B cannot request, confirm, submit or delete on A's skill or versions, and learns nothing about them", async () => {
    const skill = await createSkill(alice);
    const valid = await validVersion(alice, skill.rowId, "1.0.0");
    const pendingBody = skillZip("weather", "1.1.0");
    const pending = await upload(alice, skill.rowId, "1.1.0", pendingBody);
    const nobody = randomUUID();

    const onSkill = await request(bob, { skillId: skill.rowId, version: "5.0.0", sizeBytes: 10, sha256: "c".repeat(64) });
    expect(code(onSkill)).toBe("NOT_FOUND");
    expect(onSkill.errors?.[0]?.message).toBe(
      (await request(bob, { skillId: nobody, version: "5.0.0", sizeBytes: 10, sha256: "c".repeat(64) })).errors?.[0]?.message,
    );

    const attemptsOn = async (id: string): Promise<GqlResult[]> => [
      await confirm(bob, id),
      await submit(bob, { versionId: id }),
      await submit(bob, { versionId: id, storeSkillSlug: `bob-${suffix()}` }),
      await removeVersion(bob, id),
    ];
    const missing = (await attemptsOn(nobody)).map((m) => m.errors?.[0]?.message);
    for (const id of [valid.ticket.versionId, pending.versionId]) {
      const attempts = await attemptsOn(id);
      for (const a of attempts) {
        expect(code(a)).toBe("NOT_FOUND");
        expect(JSON.stringify(a.errors)).not.toContain(alice.userId);
      }
      // Exactly what a version that does not exist gets.
      expect(attempts.map((a) => a.errors?.[0]?.message)).toEqual(missing);
    }

    // A's objects and rows are untouched: nothing confirmed, queued, submitted or deleted by B.
    expect(await storage.statObject(valid.ticket.objectKey)).not.toBeNull();
    expect(await storage.statObject(uploadKeyOf(pending))).not.toBeNull();
    expect((await row(valid.ticket.versionId))?.status).toBe("valid");
    expect((await row(pending.versionId))?.status).toBe("pending_upload");
    expect(await jobsFor(pending.versionId)).toEqual([]);
    expect((await root.query("select 1 from app_public.store_skill_versions where source_version_id = any($1)", [[valid.ticket.versionId, pending.versionId]])).rowCount).toBe(0);
    const onAlicesSkill = await root.query<{ user_id: string }>("select user_id from app_public.user_custom_skill_versions where skill_id = $1", [skill.rowId]);
    expect(onAlicesSkill.rows.map((r) => r.user_id)).toEqual([alice.userId, alice.userId]);
    // B does not see them through the generated API either.
    const seen = await gql<{ userCustomSkillVersion: unknown }>(api, "query ($id: UUID!) { userCustomSkillVersion(rowId: $id) { rowId } }", { id: valid.ticket.versionId }, bob.accessToken);
    expect(seen.data?.userCustomSkillVersion).toBeNull();

    // And A still can do all of it.
    expect((await confirm(alice, pending.versionId)).errors).toBeUndefined();
    expect((await submit(alice, { versionId: valid.ticket.versionId })).errors).toBeUndefined();
  });
});

describe("the generated API", () => {
  it("cannot set a version's status, hash, size, problems or manifest, nor create or delete versions", async () => {
    const skill = await createSkill(alice);
    const body = skillZip("weather", "1.0.0");
    const ticket = await upload(alice, skill.rowId, "1.0.0", body);
    const forged = await gql(
      api,
      "mutation ($id: UUID!) { updateUserCustomSkillVersion(input: {rowId: $id, patch: {status: valid}}) { userCustomSkillVersion { status } } }",
      { id: ticket.versionId },
      alice.accessToken,
    );
    expect(forged.errors?.[0]?.message).toMatch(/Cannot query field "updateUserCustomSkillVersion"/);
    const schema = await gql<{ __type: { inputFields: unknown } | null; mutation: { fields: { name: string }[] } }>(
      api,
      '{ __type(name: "UserCustomSkillVersionPatch") { inputFields { name } } mutation: __type(name: "Mutation") { fields { name } } }',
    );
    expect(schema.data?.__type).toBeNull();
    const names = schema.data!.mutation.fields.map((f) => f.name);
    expect(names.filter((f) => /UserCustomSkillVersion/.test(f))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(["requestSkillVersionUpload", "confirmSkillVersionUpload", "submitSkillVersionToStore", "deleteSkillVersion"]));
    const created = await gql(
      api,
      `mutation ($s: UUID!) { createUserCustomSkillVersion(input: {userCustomSkillVersion: {skillId: $s, version: "7.0.0", objectKey: "users/${alice.userId}/skills/x.zip", sizeBytes: "1", status: valid}}) { clientMutationId } }`,
      { s: skill.rowId },
      alice.accessToken,
    );
    expect(created.errors?.[0]?.message).toMatch(/Cannot query field "createUserCustomSkillVersion"/);
    const deleted = await gql(api, "mutation ($id: UUID!) { deleteUserCustomSkillVersion(input: {rowId: $id}) { clientMutationId } }", { id: ticket.versionId }, alice.accessToken);
    expect(deleted.errors?.[0]?.message).toMatch(/Cannot query field "deleteUserCustomSkillVersion"/);

    expect(await row(ticket.versionId)).toMatchObject({ status: "pending_upload" });
    expect(await jobsFor(ticket.versionId)).toEqual([]);
    expect(await storage.statObject(uploadKeyOf(ticket))).not.toBeNull();
    // The owner still reads it.
    const mine = await gql<{ userCustomSkillVersion: { status: string } }>(api, "query ($id: UUID!) { userCustomSkillVersion(rowId: $id) { status } }", { id: ticket.versionId }, alice.accessToken);
    expect(mine.data?.userCustomSkillVersion.status).toBe("pending_upload");
  });
});
