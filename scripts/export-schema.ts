// Writes the two checked-in schemas from the migrated dev database: `npm run schema:export`.
//   schema.graphql   what the API serves            (test/api-schema.test.ts fails when it drifts)
//   db/schema.sql    the database's app schemas     (test/db-schema.test.ts fails when it drifts)
// One command for both, run after every migration, so each migration's effect shows in the diff.
import "../lib/polyfills.ts";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { printApiSchema } from "../api/schema-export.ts";
import { closeApiServices } from "../api/services.ts";
import { dumpSchema, SCHEMA_FILE } from "../db/schema-dump.ts";
import { loadConfig, ROOT_DIR } from "../lib/config.ts";

const wrote = (file: string) => console.error(`wrote ${path.relative(process.cwd(), file)}`);

writeFileSync(SCHEMA_FILE, (await dumpSchema(loadConfig())).sql);
wrote(SCHEMA_FILE);
const graphqlFile = path.join(ROOT_DIR, "schema.graphql");
writeFileSync(graphqlFile, await printApiSchema());
await closeApiServices();
wrote(graphqlFile);
process.exit(0);
