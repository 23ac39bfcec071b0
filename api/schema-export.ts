// The GraphQL schema as SDL, sorted so the checked-in schema.graphql diffs cleanly.
import { lexicographicSortSchema, printSchema } from "grafast/graphql";
import { makeSchema } from "postgraphile";
import preset from "../postgraphile.config.ts";

export async function printApiSchema(): Promise<string> {
  const { schema } = await makeSchema(preset);
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
