// The worker as a real process: a confirmed skill upload queues check_skill_package, the worker
// (its own child process, as openclaw_worker) checks the package under the uploader's tenant
// context and marks it valid or invalid with reasons. A job naming another user's version changes
// nothing: row-level security applies inside tasks.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql, signUp, startTestApiWithS3, type ApiWithS3, type Session } from "./support/api.ts";
import { rootPool } from "./support/db.ts";
import { putToPresigned, sha256 } from "./support/uploads.ts";
import { jobGone, startWorkerProcess, type WorkerProcess } from "./support/worker.ts";
import { deflatedZeros, makeZip, skillZip } from "./support/zips.ts";

let env: ApiWithS3;
let worker: WorkerProcess;
let alice: Session;
let bob: Session;
const root = rootPool();

beforeAll(async () => {
  env = await startTestApiWithS3("worker-skills");
  alice = await signUp(env.api, "worker-alice");
  bob = await signUp(env.api, "worker-bob");
  worker = await startWorkerProcess({ S3_ENDPOINT: env.s3Url });
});

afterAll(async () => {
  await worker?.stop();
  await env?.close();
  await root.end();
});

async function uploadVersion(user: Session, body: Buffer): Promise<string> {
  const skill = await gql<{ createUserCustomSkill: { userCustomSkill: { rowId: string } } }>(
    env.api,
    "mutation ($name: String!) { createUserCustomSkill(input: {userCustomSkill: {name: $name, title: \"T\", description: \"D\"}}) { userCustomSkill { rowId } } }",
    { name: `skill-${randomUUID().slice(0, 8)}` },
    user.accessToken,
  );
  const skillId = skill.data!.createUserCustomSkill.userCustomSkill.rowId;
  const ticket = await gql<{ requestSkillVersionUpload: { versionId: string; uploadUrl: string; uploadMethod: string; requiredHeaders: { name: string; value: string }[] } }>(
    env.api,
    `mutation ($input: RequestSkillVersionUploadInput!) { requestSkillVersionUpload(input: $input) { versionId uploadUrl uploadMethod requiredHeaders { name value } } }`,
    { input: { skillId, version: "1.0.0", sizeBytes: body.length, sha256: sha256(body) } },
    user.accessToken,
  );
  const t = ticket.data!.requestSkillVersionUpload;
  expect(await putToPresigned(t as never, body)).toBe(200);
  const confirmed = await gql(env.api, "mutation ($id: UUID!) { confirmSkillVersionUpload(input: {versionId: $id}) { versionId } }", { id: t.versionId }, user.accessToken);
  expect(confirmed.errors).toBeUndefined();
  return t.versionId;
}

async function settled(versionId: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await root.query<{ status: string; problems: string[]; manifest: Record<string, unknown> | null }>(
      "select status, problems, manifest from app_public.user_custom_skill_versions where id = $1",
      [versionId],
    );
    if (rows[0] && (rows[0].status === "valid" || rows[0].status === "invalid")) return rows[0];
    if (Date.now() > deadline) throw new Error(`version ${versionId} still ${rows[0]?.status}:\n${worker.output().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("check_skill_package in the worker process", () => {
  it("marks a good package valid with its manifest", async () => {
    const id = await uploadVersion(alice, skillZip("weather", "1.0.0"));
    const row = await settled(id);
    expect(row.problems).toEqual([]);
    expect(row.status).toBe("valid");
    expect(row.manifest).toMatchObject({ name: "weather", description: "Tells the weather.", files: ["SKILL.md", "scripts/run.sh"], fileCount: 2 });
    // The body of SKILL.md is kept for the agent (use_skill).
    expect(row.manifest!.instructions).toBe("Ask me about the weather.");
  });

  it("keeps a long Chinese SKILL.md body cut to what the manifest column holds", async () => {
    const body = "请按照以下步骤查询天气并用简短的中文回答用户。".repeat(2000); // about 70 000 bytes of UTF-8
    const id = await uploadVersion(alice, makeZip({ "SKILL.md": `---\nname: long-zh\ndescription: 长说明\n---\n${body}` }));
    const row = await settled(id);
    expect(row.status).toBe("valid");
    const kept = row.manifest!.instructions as string;
    expect(kept.length).toBeGreaterThan(5000);
    expect(body.startsWith(kept)).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(row.manifest))).toBeLessThan(65536);
  });

  it("marks packages with ../ paths, links or no SKILL.md invalid, with reasons", async () => {
    const traversal = await uploadVersion(alice, makeZip({ "SKILL.md": "---\nname: x\ndescription: y\n---\n", "../escape.sh": "rm -rf /" }));
    const noSkill = await uploadVersion(alice, makeZip({ "README.md": "hello" }));
    const link = await uploadVersion(alice, makeZip({ "SKILL.md": "---\nname: x\ndescription: y\n---\n", "etc": "/etc/passwd" }, { symlinks: ["etc"] }));
    const noFront = await uploadVersion(alice, makeZip({ "SKILL.md": "# just a title\n" }));
    expect(await settled(traversal)).toMatchObject({ status: "invalid", problems: ['"../escape.sh" leaves the package (..)'] });
    expect(await settled(noSkill)).toMatchObject({ status: "invalid", problems: ["no SKILL.md at the root of the package"] });
    expect(await settled(link)).toMatchObject({ status: "invalid", problems: ['"etc" is a symbolic link'] });
    expect((await settled(noFront)).problems[0]).toContain("has no front matter");
  });

  it("marks a package whose entry inflates far beyond its declared size invalid", async () => {
    // The headers claim 10 bytes; the deflate stream holds 200 MiB of zeros. The worker counts
    // what it inflates and stops at the declared size.
    const bomb = makeZip({ "SKILL.md": "---\nname: x\ndescription: y\n---\n", "payload.bin": { deflated: deflatedZeros(200), declaredSize: 10 } });
    const id = await uploadVersion(alice, bomb);
    expect(await settled(id)).toMatchObject({ status: "invalid", problems: ['"payload.bin" inflates beyond its declared size (10 bytes)'], manifest: null });
  });

  it("a job for user A naming user B's version changes nothing (RLS inside the task)", async () => {
    // Bob's version, held back from the queue: confirm it with the trigger's job removed.
    const bobsVersion = await uploadVersion(bob, skillZip("bobs", "1.0.0"));
    const bobRow = await settled(bobsVersion);
    const c = await root.connect();
    try {
      // One transaction: the job the status change queues is gone before anyone can see it.
      await c.query("begin");
      await c.query("update app_public.user_custom_skill_versions set status = 'uploaded', problems = '{}', manifest = null where id = $1", [bobsVersion]);
      await c.query("select graphile_worker.remove_job('check_skill_package:' || $1)", [bobsVersion]);
      await c.query("commit");
    } finally {
      c.release();
    }
    await root.query("select graphile_worker.add_job('check_skill_package', json_build_object('version_id', $1::uuid, 'user_id', $2::uuid), job_key := 'forged:' || $1)", [bobsVersion, alice.userId]);
    // The worker takes the forged job and finishes it...
    await jobGone(root, `forged:${bobsVersion}`, worker.output, 10_000);
    // ...without seeing Bob's row.
    const { rows } = await root.query("select status from app_public.user_custom_skill_versions where id = $1", [bobsVersion]);
    expect(rows[0].status).toBe("uploaded");
    expect(bobRow.status).toBe("valid");
    expect(worker.output()).toContain("nothing waiting");
  });

  it("exposes health and job metrics, and stops cleanly on SIGTERM", async () => {
    const text = await (await fetch(`http://127.0.0.1:${worker.port}/metrics`)).text();
    const okLine = text.split("\n").find((l) => l.startsWith("openclaw_worker_jobs_total{") && l.includes('task="check_skill_package"') && l.includes('outcome="ok"'));
    expect(Number(okLine?.split(" ").pop())).toBeGreaterThanOrEqual(5);
    expect(await worker.stop()).toBe(0);
    expect(worker.output()).toContain("worker stopped");
  });
});
