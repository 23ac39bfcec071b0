// Writes schema.graphql from the running database's schema: `npm run schema:export`.
// test/api-schema.test.ts fails when the checked-in file drifts from what the API serves.
import "../lib/polyfills.ts";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { printApiSchema } from "../api/schema-export.ts";
import { closeApiServices } from "../api/services.ts";
import { ROOT_DIR } from "../lib/config.ts";

const file = path.join(ROOT_DIR, "schema.graphql");
writeFileSync(file, await printApiSchema());
await closeApiServices();
console.error(`wrote ${path.relative(process.cwd(), file)}`);
process.exit(0);
