/**
 * The idempotency record contract: one item per logical message and consumer in the stack's
 * idempotency table, written by the consumer runtime, created by the stack (key, TTL), read by the
 * replay tools. One definition of every attribute name and status.
 */
export const IDEMPOTENCY_RECORD = {
  /** Partition key (string): `<consumer>#<eventType>#<source>:<key>`. */
  id: 'id',
  status: 'status',
  /** Unique per attempt; fences every write after the lease was taken. */
  leaseToken: 'leaseToken',
  /** Epoch ms another attempt may take an in-progress record over. */
  leaseExpiresAt: 'leaseExpiresAt',
  /** Epoch seconds the record stops counting: the table's TTL attribute. */
  expiresAt: 'expiresAt',
  /** JSON of the handler's result (request/reply), when small enough to keep inline. */
  result: 'result',
  /** JSON claim-check pointer to the reply body in the payload bucket: a result too large to keep inline. */
  resultClaimCheck: 'resultClaimCheck',
  /** Why the result was not kept (the error a repeated request is answered with). */
  resultNotKept: 'resultNotKept',
  /** Fingerprint of the payload: tells a copy from a reused key. */
  payloadHash: 'payloadHash',
  /**
   * The producer's key attribute of the message that took the record (`sha256:<hex>` when long):
   * a message under the same key with another producer key is another message, not a copy.
   */
  producerKey: 'producerKey',
  /** Fingerprint of the reply queue that asked (request/reply). */
  requester: 'requester',
  /** Epoch ms the message was published (SNS Timestamp, else SQS SentTimestamp), when known. */
  publishedAt: 'publishedAt',
} as const;

export const IDEMPOTENCY_STATUS = { inProgress: 'IN_PROGRESS', completed: 'COMPLETED' } as const;
