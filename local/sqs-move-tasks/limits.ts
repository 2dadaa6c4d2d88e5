/** AWS limits and defaults of the SQS message move task APIs. */
export const MOVE_TASK_LIMITS = {
  /** StartMessageMoveTask MaxNumberOfMessagesPerSecond range. */
  minMessagesPerSecond: 1,
  maxMessagesPerSecond: 500,
  /** ListMessageMoveTasks MaxResults range and default. */
  minListResults: 1,
  maxListResults: 10,
  defaultListResults: 1,
  /** Messages received, sent and deleted per step of a move (the SQS batch limit). */
  messagesPerStep: 10,
  /** Visibility timeout of the messages a move holds while it sends them. */
  holdSeconds: 30,
} as const;
