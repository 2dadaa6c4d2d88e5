/** SQS limits the consumer runtime needs as well: a small object of their own, so Lambda bundles carry only these. */
export const SQS_LIMITS = {
  /** Largest visibility timeout in seconds (12 hours). */
  visibilityTimeoutMaxSeconds: 43_200,
  /** Entries per SNS PublishBatch and SQS SendMessageBatch / DeleteMessageBatch / ReceiveMessage. */
  batchEntriesMax: 10,
  /** Largest message in bytes: body plus every attribute's name, data type and value (1 MiB). */
  messageBytesMax: 1_048_576,
} as const;

/**
 * Bytes a queue with a DLQ keeps free under SQS's message size for the dead-letter reason the runtime
 * attaches to the copy it sends there (the reason attribute's name, type and a reason cut to its
 * minimum): such a queue's MaximumMessageSize is `messageBytesMax` less this, so SQS itself refuses, at
 * send time, a message whose copy could not carry its reason.
 */
export const DEAD_LETTER_RESERVE_BYTES = 1024;
