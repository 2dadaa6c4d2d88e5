/** Thrown by a handler when retrying cannot help: the message goes to the DLQ at once. */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
}
