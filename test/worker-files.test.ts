// File ingestion through the whole flow: upload through the API (presigned PUT, confirm), the
// worker process extracts, chunks and embeds the text, and the file's passages are found by the
// API's text search (hybrid: the API embeds the query). Text, Markdown, HTML, PDF and DOCX end
// `ready`; a corrupt PDF ends `failed` with a reason and the worker goes on working.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql, signUp, startTestApiWithS3, type ApiWithS3, type Session } from "./support/api.ts";
import { rootPool } from "./support/db.ts";
import { makeDocx, makePdf } from "./support/documents.ts";
import { uploadAndConfirmFile } from "./support/uploads.ts";
import { eventually, startWorkerProcess, type WorkerProcess } from "./support/worker.ts";

let env: ApiWithS3;
let worker: WorkerProcess;
let alice: Session;
let bob: Session;
const root = rootPool();

beforeAll(async () => {
  env = await startTestApiWithS3("worker-files");
  alice = await signUp(env.api, "files-alice");
  bob = await signUp(env.api, "files-bob");
  worker = await startWorkerProcess({ S3_ENDPOINT: env.s3Url, CHUNK_SIZE: "300", CHUNK_OVERLAP: "60" });
});

afterAll(async () => {
  await worker?.stop();
  await env?.close();
  await root.end();
});

async function settled(fileId: string) {
  return eventually(
    async () => {
      const { rows } = await root.query<{ status: string; error: string | null; page_count: number | null }>(
        "select status, error, page_count from app_public.user_files where id = $1",
        [fileId],
      );
      return rows[0] && (rows[0].status === "ready" || rows[0].status === "failed") ? rows[0] : undefined;
    },
    worker.output,
  );
}

interface Hit {
  fileId: string;
  chunkIndex: number;
  content: string;
  score: number;
}
async function fileSearch(user: Session, query: string): Promise<Hit[]> {
  const r = await gql<{ fileSearch: Hit[] }>(env.api, "query ($q: String!) { fileSearch(query: $q, first: 5) { fileId chunkIndex content score } }", { q: query }, user.accessToken);
  expect(r.errors).toBeUndefined();
  return r.data!.fileSearch;
}

const filler = (topic: string) =>
  Array.from({ length: 6 }, (_, i) => `Section ${i + 1} is about ordinary household matters number ${i + 1} and has nothing on ${topic}.`).join(" ");

describe("ingest_file in the worker process", () => {
  const files: Record<string, string> = {};

  it("ingests text, Markdown, HTML, PDF and DOCX into ready files with chunks", async () => {
    files.txt = await uploadAndConfirmFile(env.api, alice, {
      filename: "boat.txt",
      mimeType: "text/plain",
      body: Buffer.from(`${filler("boats")}\n\nThe sailboat keel was repainted with antifouling in March.\n\n${filler("boats")}`),
    });
    files.md = await uploadAndConfirmFile(env.api, alice, {
      filename: "garden.md",
      mimeType: "text/markdown",
      body: Buffer.from(`# Garden\n\n${filler("plants")}\n\n## Orchids\n\nWater the **orchids** every Sunday with rainwater.\n`),
    });
    files.html = await uploadAndConfirmFile(env.api, alice, {
      filename: "recipe.html",
      mimeType: "text/html",
      body: Buffer.from(`<html><head><style>p{color:red}</style><script>var secretScript = 1;</script></head><body><h1>Soup</h1><p>${filler("soup")}</p><p>The lentil soup needs cumin and lemon.</p></body></html>`),
    });
    files.pdf = await uploadAndConfirmFile(env.api, alice, {
      filename: "insurance.pdf",
      mimeType: "application/pdf",
      body: makePdf(["Page one: the car insurance policy number is ZX-4471.", "Page two: renewal is due every October."]),
    });
    files.docx = await uploadAndConfirmFile(env.api, alice, {
      filename: "letter.docx",
      mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      body: makeDocx(["Dear landlord,", "The radiator in the bedroom has been broken since Tuesday.", "Kind regards"]),
    });
    for (const [kind, id] of Object.entries(files)) {
      const row = await settled(id);
      expect({ kind, ...row }).toMatchObject({ kind, status: "ready", error: null });
    }
    expect((await settled(files.pdf!)).page_count).toBe(2);
    const chunks = await root.query<{ file_id: string; n: string; models: string[] }>(
      "select file_id, count(*) as n, array_agg(distinct embedding_model) as models from app_public.file_chunks where file_id = any($1) group by file_id",
      [Object.values(files)],
    );
    expect(chunks.rows.length).toBe(5);
    for (const row of chunks.rows) expect(row.models).toEqual(["local:hash-v1:384"]);
    // The long text was chunked (300 characters, 60 overlap), the short letter was not.
    expect(Number(chunks.rows.find((r) => r.file_id === files.txt)!.n)).toBeGreaterThan(2);
    const html = await root.query<{ content: string }>("select content from app_public.file_chunks where file_id = $1", [files.html]);
    expect(html.rows.map((r) => r.content).join(" ")).not.toContain("secretScript");
  });

  it("finds each file's passage by hybrid search through the API, for its owner only", async () => {
    const cases: [string, string, string][] = [
      ["txt", "when was the keel repainted", "antifouling"],
      ["md", "how often should I water the orchids", "rainwater"],
      ["html", "what spices go in lentil soup", "cumin"],
      ["pdf", "car insurance policy number", "ZX-4471"],
      ["docx", "broken radiator in the bedroom", "radiator"],
    ];
    for (const [kind, query, needle] of cases) {
      const hits = await fileSearch(alice, query);
      expect({ kind, top: hits[0]?.fileId }).toEqual({ kind, top: files[kind] });
      expect(hits[0]!.content).toContain(needle);
    }
    expect(await fileSearch(bob, "car insurance policy number")).toEqual([]);
    const anonymous = await gql(env.api, '{ fileSearch(query: "insurance") { fileId } }');
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("marks a corrupt PDF failed with a reason and keeps working", async () => {
    const pdf = makePdf(["This text will never be read."]);
    const corrupt = Buffer.concat([pdf.subarray(0, 40), Buffer.from("garbage that is not a PDF body at all"), pdf.subarray(pdf.length - 10)]);
    const bad = await uploadAndConfirmFile(env.api, alice, { filename: "broken.pdf", mimeType: "application/pdf", body: corrupt });
    const row = await settled(bad);
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/PDF/i);
    expect((await root.query("select 1 from app_public.file_chunks where file_id = $1", [bad])).rowCount).toBe(0);
    // The worker is alive and ingests the next file.
    expect((await fetch(`http://127.0.0.1:${worker.port}/healthz`)).status).toBe(200);
    const next = await uploadAndConfirmFile(env.api, alice, { filename: "after.txt", mimeType: "text/plain", body: Buffer.from("The worker still works after a bad PDF.") });
    expect((await settled(next)).status).toBe("ready");
  });
});
