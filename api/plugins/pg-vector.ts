// pgvector's `vector` type for PostGraphile v5 (which otherwise drops every column and function
// that uses it): a codec that reads and writes Postgres' text form, and a Vector scalar (a JSON
// list of numbers) for input and output. Modelled on graphile-build-pg's PgLtreePlugin.
import { gatherConfig } from "graphile-build";
import { GraphQLError, Kind, type ValueNode } from "grafast/graphql";
import { sql as pgSql } from "pg-sql2";

// The slice of the gather-phase API this plugin touches (the full types live in graphile-build-pg).
interface FindCodecEvent {
  serviceName: string;
  pgType: { typname: string; typnamespace: string };
  pgCodec: unknown;
}
interface GatherInfo {
  state: { vectorCodec: unknown };
  helpers: { pgIntrospection: { getExtensionByName(service: string, name: string): Promise<{ extnamespace: string } | undefined> } };
}

function toNumbers(value: unknown): number[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 16000 || !value.every((x) => typeof x === "number" && Number.isFinite(x))) {
    throw new GraphQLError("A Vector is a non-empty list of finite numbers.");
  }
  return value as number[];
}

function literalNumbers(ast: ValueNode): number[] {
  if (ast.kind !== Kind.LIST) throw new GraphQLError("A Vector is a list of numbers.");
  return toNumbers(ast.values.map((v) => (v.kind === Kind.INT || v.kind === Kind.FLOAT ? Number(v.value) : NaN)));
}

export const PgVectorPlugin: GraphileConfig.Plugin = {
  name: "PgVectorPlugin",
  version: "1.0.0",
  gather: gatherConfig({
    initialState(_cache: unknown, { lib }: { lib: { sql: typeof pgSql } }) {
      const { sql } = lib;
      const vectorCodec = {
        name: "vector",
        sqlType: sql`vector`,
        toPg: (value: number[]) => `[${toNumbers(value).join(",")}]`,
        fromPg: (text: string) => text.slice(1, -1).split(",").map(Number),
        executor: null,
        attributes: undefined,
      };
      return { vectorCodec };
    },
    hooks: {
      async pgCodecs_findPgCodec(info: GatherInfo, event: FindCodecEvent) {
        if (event.pgCodec || event.pgType.typname !== "vector") return;
        const extension = await info.helpers.pgIntrospection.getExtensionByName(event.serviceName, "vector");
        if (extension && event.pgType.typnamespace === extension.extnamespace) {
          event.pgCodec = info.state.vectorCodec;
        }
      },
    },
  } as never),
  schema: {
    hooks: {
      init(_, build) {
        const codec = build.pgCodecs.vector;
        if (codec) {
          build.registerScalarType(
            "Vector",
            { pgCodec: codec },
            () => ({
              description: "A pgvector embedding: a list of numbers.",
              serialize: (value: unknown) => value,
              parseValue: toNumbers,
              parseLiteral: literalNumbers,
            }),
            "Vector scalar from PgVectorPlugin",
          );
          build.setGraphQLTypeForPgCodec(codec, "output", "Vector");
          build.setGraphQLTypeForPgCodec(codec, "input", "Vector");
        }
        return _;
      },
    },
  },
};
