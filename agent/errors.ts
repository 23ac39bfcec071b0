/** A refusal the gateway turns into an error response (code goes to error.details.code). */
export class AgentError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}
