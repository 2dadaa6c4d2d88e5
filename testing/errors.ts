/** Base of the errors the testing helpers raise: the message says what happened and what to do. */
export class FanoutTestingError extends Error {
  override readonly name: string = 'FanoutTestingError';
}

/** Messages were still queued or running when the wait ended. */
export class NotSettledError extends FanoutTestingError {
  override readonly name = 'NotSettledError';
  constructor(timeoutMs: number) {
    super(
      `Messages were still queued or running after ${timeoutMs} ms. Fix: look for a consumer that keeps failing (its outcomes), or pass a longer timeout to settled().`,
    );
  }
}

/** `items()` was asked for a table the topology does not declare. */
export class UnknownTableError extends FanoutTestingError {
  override readonly name = 'UnknownTableError';
  constructor(table: string, known: readonly string[]) {
    super(
      `Table '${table}' is not in the stack's outputs. Fix: use one of the topology's tables: ${known.join(', ') || '(none)'}.`,
    );
  }
}
