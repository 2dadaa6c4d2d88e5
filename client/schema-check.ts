import { CLAIM_CHECK, resolveClaimCheck } from '../contracts/index.ts';
import type { Message } from '@aws-sdk/client-sqs';
import { s3FetchObject } from './claim-check.ts';
import { deadLetterQueues } from './dlq-source.ts';
import { holdMessages } from './dlq-peek.ts';
import type { OperatorContext } from './operator.ts';
import { type ReadArchiveOptions, readArchive } from './schema-check-archive.ts';
import { releaseMessages, viewMessage } from './sqs-util.ts';
import { validatePayload } from './validate-payload.ts';

/** A waiting message the current schemas would reject: what its consumer will dead-letter (again) when it is replayed. */
export interface SchemaViolation {
  /** Where it waits: the subscriber (or work queue) whose DLQ holds it, or `archive of <topic>`. */
  readonly source: string;
  readonly messageId: string;
  readonly eventType: string | undefined;
  /** Why it fails: the validation issues, an unknown event type, or an undecodable payload. */
  readonly issue: string;
}

export interface SchemaCheckResult {
  /** Messages read, per source. */
  readonly checked: Readonly<Record<string, number>>;
  readonly violations: readonly SchemaViolation[];
}

/** Most messages read per DLQ unless told otherwise (each is held while the check runs). */
export const SCHEMA_CHECK_MAX_DEFAULT = 1000;

async function issueOf(
  ops: OperatorContext,
  eventType: string | undefined,
  body: string,
  claimCheck: string | undefined,
) {
  try {
    const payload = await resolveClaimCheck(body, claimCheck, s3FetchObject(ops.clients.s3));
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return `payload is not JSON (${payload.slice(0, 40)}…)`;
    }
    validatePayload(ops.target.source, eventType ?? '', parsed);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

async function violationsIn(ops: OperatorContext, source: string, messages: readonly Message[]) {
  const violations: SchemaViolation[] = [];
  for (const message of messages) {
    const view = viewMessage(message);
    const issue = await issueOf(ops, view.eventType, view.payload, view.attributes[CLAIM_CHECK.attribute]);
    if (issue) violations.push({ source, messageId: message.MessageId!, eventType: view.eventType, issue });
  }
  return violations;
}

/**
 * Runs the topology's current schemas over every message a FIFO topic's archive holds (replayed into
 * a scratch queue, see `readArchive`). The message id is the id the replay delivered it under.
 */
export async function checkArchiveSchemas(
  ops: OperatorContext,
  topic: string,
  options: Partial<ReadArchiveOptions> = {},
): Promise<SchemaCheckResult> {
  const source = `archive of ${topic}`;
  const messages = await readArchive(ops, topic, { ...options, max: options.max ?? SCHEMA_CHECK_MAX_DEFAULT });
  return { checked: { [source]: messages.length }, violations: await violationsIn(ops, source, messages) };
}

/**
 * Runs the topology's current schemas over the messages waiting in the DLQs of `subscribers` (every
 * subscriber with a DLQ when none is named) and lists those they would reject. Messages are held
 * while read and made visible again at once: the DLQs keep them all.
 */
export async function checkDeadLetterSchemas(
  ops: OperatorContext,
  subscribers: readonly string[] = [],
  max = SCHEMA_CHECK_MAX_DEFAULT,
): Promise<SchemaCheckResult> {
  const names =
    subscribers.length > 0
      ? subscribers
      : ops.target.topology.endpoints.filter((e) => e.hasDeadLetterQueue).map((e) => e.name);
  const checked: Record<string, number> = {};
  const violations: SchemaViolation[] = [];
  for (const subscriber of names) {
    // A subscriber named without a DLQ is an error, not a pass.
    const { deadLetterQueueUrl } = deadLetterQueues(ops, subscriber, 'queue', 'peek');
    const held = await holdMessages(ops.clients.sqs, deadLetterQueueUrl, max);
    try {
      checked[subscriber] = held.length;
      violations.push(...(await violationsIn(ops, subscriber, held)));
    } finally {
      await releaseMessages(ops.clients.sqs, deadLetterQueueUrl, held);
    }
  }
  return { checked, violations };
}
