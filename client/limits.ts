import { MESSAGE_ATTRIBUTES_MAX } from '../topology/dead-letter.ts';

/** AWS limits the publisher and the DLQ tools work within. */
export const AWS_LIMITS = {
  /** Entries per SNS PublishBatch and SQS SendMessageBatch / DeleteMessageBatch / ReceiveMessage. */
  batchEntriesMax: 10,
  /** SNS message size (body + attributes), and the total of one PublishBatch. */
  snsMessageBytesMax: 262_144,
  snsBatchBytesMax: 262_144,
  /** SQS message size (body + attributes) since August 2025, and the total of one SendMessageBatch. */
  sqsMessageBytesMax: 1_048_576,
  sqsBatchBytesMax: 1_048_576,
  /** Message attributes per message (SQS; SNS delivers at most this many to SQS). */
  messageAttributesMax: MESSAGE_ATTRIBUTES_MAX,
  attributeNameLengthMax: 256,
  /** FIFO message group and deduplication ids. */
  fifoIdLengthMax: 128,
  /** Longest ReceiveMessage long poll. */
  receiveWaitSecondsMax: 20,
} as const;

/** Defaults of the publisher's batching, retry and backpressure behaviour. */
export const PUBLISHER_DEFAULTS = {
  lingerMs: 5,
  maxInFlightBatches: 8,
  maxAttempts: 6,
  backoffBaseMs: 50,
  backoffMaxMs: 5_000,
  depthCheckIntervalMs: 1_000,
  requestTimeoutMs: 30_000,
} as const;
