// memorySearch and fileSearch: the caller's memories and file passages most relevant to a text.
// The API embeds the text with the configured model (db/search.ts), so clients need no model
// of their own; the generated searchMemories/searchFileChunks fields remain for clients that
// bring their own query vector.
import { lambda, SafeError, type Step } from "grafast";
import { extendSchema, gql } from "graphile-utils";
import { searchFileChunks, searchMemories } from "../../db/search.ts";
import "../context.ts";
import { withRequest, type RequestDeps } from "./request.ts";

interface SearchArgs {
  query: string;
  first: number | null;
}

export const SearchPlugin = extendSchema(
  () => ({
    typeDefs: gql`
      type MemoryHit {
        id: UUID!
        kind: MemoryKind!
        content: String!
        importance: Int!
        "Fused rank (higher is better)."
        score: Float!
      }
      type FileChunkHit {
        id: UUID!
        fileId: UUID!
        chunkIndex: Int!
        content: String!
        score: Float!
      }
      extend type Query {
        "Your memories most relevant to a text, best first (meaning and words)."
        memorySearch(query: String!, first: Int = 10): [MemoryHit!]!
        "Passages of your files most relevant to a text, best first (meaning and words)."
        fileSearch(query: String!, first: Int = 10): [FileChunkHit!]!
      }
    `,
    objects: {
      Query: {
        plans: {
          memorySearch(_, fieldArgs) {
            const $args = lambda([fieldArgs.getRaw("query"), fieldArgs.getRaw("first")], ([query, first]) => ({ query, first }) as SearchArgs);
            return lambda(withRequest($args as Step<SearchArgs>), ([args, services, userId]: RequestDeps<SearchArgs>) => {
              if (!userId) throw new SafeError("Sign in to search your memories.", { code: "UNAUTHENTICATED" });
              return searchMemories(services.pool, userId, services.embedder, args.query, args.first);
            });
          },
          fileSearch(_, fieldArgs) {
            const $args = lambda([fieldArgs.getRaw("query"), fieldArgs.getRaw("first")], ([query, first]) => ({ query, first }) as SearchArgs);
            return lambda(withRequest($args as Step<SearchArgs>), ([args, services, userId]: RequestDeps<SearchArgs>) => {
              if (!userId) throw new SafeError("Sign in to search your files.", { code: "UNAUTHENTICATED" });
              return searchFileChunks(services.pool, userId, services.embedder, args.query, args.first);
            });
          },
        },
      },
    },
  }),
  "SearchPlugin",
);
