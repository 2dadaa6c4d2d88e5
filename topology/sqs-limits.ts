/** SQS limits the consumer runtime needs as well: a small object of their own, so Lambda bundles carry only these. */
export const SQS_LIMITS = {
  /** Largest visibility timeout in seconds (12 hours). */
  visibilityTimeoutMaxSeconds: 43_200,
  /** Entries per SNS PublishBatch and SQS SendMessageBatch / DeleteMessageBatch / ReceiveMessage. */
  batchEntriesMax: 10,
  /** Largest message in bytes: body plus every attribute's name, data type and value (1 MiB). */
  messageBytesMax: 1_048_576,
} as const;
