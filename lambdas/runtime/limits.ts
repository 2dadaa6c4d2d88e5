/** AWS limits and runtime tunables, named once (the SQS limits the stack shares are topology's SQS_LIMITS). */
export const DYNAMODB_LIMITS = {
  /** Items of one TransactWriteItems call. */
  transactItemsMax: 100,
  /** Bytes of one TransactWriteItems call (4 MB), with room for the request's own framing. */
  transactBytesMax: 3_900_000,
  /** Attempts of a staged commit whose transaction was cancelled by conflicts alone. */
  transactAttemptsMax: 4,
} as const;

export const EMF_LIMITS = {
  /** Values of one metric in one EMF document. */
  valuesPerMetricMax: 100,
} as const;

export const RUNTIME_DEFAULTS = {
  /** Stop starting records when less than this remains (capped at a quarter of the invocation). */
  deadlineMarginMs: 2_000,
  /** Remaining time assumed when the context has no getRemainingTimeInMillis (plain calls, tests). */
  remainingTimeWithoutContextMs: 900_000,
  /**
   * Largest handler result (bytes of JSON) kept inline on the idempotency record (items max 400 KB);
   * a larger one on a request/reply endpoint is kept in the payload bucket (claim-check).
   */
  storedResultMaxBytes: 100_000,
  /** How often one container checks the queue depth for at-most-once shedding. */
  shedCheckIntervalMs: 10_000,
  /** Receive calls one shedding pass makes at most (10 messages each). */
  shedReceivesMax: 10,
  /** First and largest pause between polls while waiting on another holder's lease. */
  leasePollInitialMs: 100,
  leasePollMaxMs: 1_000,
} as const;
