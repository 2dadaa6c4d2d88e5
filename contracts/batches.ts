import { SQS_LIMITS } from '../topology/sqs-limits.ts';

/** `items` cut into batches of at most `size` (by default what one SQS or SNS batch call takes), in order. */
export function batchesOf<T>(items: readonly T[], size: number = SQS_LIMITS.batchEntriesMax): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}
