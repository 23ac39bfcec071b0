// First import of every entry point. PostGraphile v5, grafast and grafserv call
// Promise.withResolvers (Node 22+); on Node 20 the server starts, introspects, and then fails
// every database query behind a masked error. core-js supplies the spec implementation.
// Delete this file when the deployment base moves to Node 22+.
import "core-js/actual/promise/with-resolvers.js";
