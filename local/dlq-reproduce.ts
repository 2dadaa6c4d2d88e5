import { randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type MessageAttributeValue, SendMessageCommand } from '@aws-sdk/client-sqs';
import {
  CLAIM_CHECK,
  type ClaimCheckPointer,
  claimCheckBody,
  type DeadLetterFile,
  type DeadLetterRecord,
  type FanoutManifest,
  isDeadLetterAttribute,
  joinSnsEnvelope,
  type LoggedOutcomeKind,
  OUTPUT_KEYS,
  parseOutcomeLine,
  sha256Hex,
} from '../contracts/index.ts';
import type { LocalCloud } from './cloud.ts';
import { LocalCloudError } from './errors.ts';

/** A dead-letter file that cannot be put into this local cloud; the message names the rule and the fix. */
export class ReproduceError extends LocalCloudError {
  override readonly name = 'ReproduceError';
}

/** Outcomes that mean the handler now takes the message. */
const SUCCEEDED: ReadonlySet<LoggedOutcomeKind> = new Set(['processed', 'duplicate']);
/** Outcomes of a record put back for a later attempt that says nothing about the handler yet. */
const WAIT_FOR_NEXT: ReadonlySet<LoggedOutcomeKind> = new Set(['deferred', 'not-started']);

export interface ReproducedLetter {
  /** The message id in the file (its id in the DLQ it was pulled from). */
  readonly messageId: string;
  /** Its id in the local queue, which the function's log lines name. */
  readonly localMessageId: string;
  readonly eventType: string | undefined;
  /** The first outcome that decided it, or `none` when none came in time. */
  readonly outcome: LoggedOutcomeKind | 'none';
  readonly succeeded: boolean;
  readonly reason: string | undefined;
}

export interface ReproduceOptions {
  /** Milliseconds to wait for every outcome. */
  readonly timeoutMs: number;
  /** Called once per letter as its outcome decides it. */
  readonly onResult?: (letter: ReproducedLetter) => void;
}

function consumersOf(cloud: LocalCloud): string[] {
  const manifest = cloud.outputs[OUTPUT_KEYS.manifest];
  if (!manifest) return [];
  return (JSON.parse(manifest) as FanoutManifest).endpoints.map((e) => e.name);
}

/** The message attributes to send: the record's own, without the reason of its dead-lettering (as a replay strips it). */
function sendAttributes(record: DeadLetterRecord): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, a] of Object.entries(record.messageAttributes)) {
    if (isDeadLetterAttribute(name)) continue;
    attributes[name] =
      a.binaryValue !== undefined
        ? { DataType: a.dataType, BinaryValue: Buffer.from(a.binaryValue, 'base64') }
        : { DataType: a.dataType, StringValue: a.stringValue ?? '' };
  }
  return attributes;
}

/** The message text to send: the payload, or a pointer to it re-uploaded to the local payload bucket. */
async function messageText(cloud: LocalCloud, file: string, record: DeadLetterRecord): Promise<string> {
  if (!record.claimCheck) return record.payload;
  const bucket = cloud.outputs[OUTPUT_KEYS.payloadBucketName];
  if (!bucket) {
    throw new ReproduceError(
      `Dead letter ${record.messageId} in ${file} is claim-checked, but stack '${cloud.stackName}' has no output '${OUTPUT_KEYS.payloadBucketName}'. Fix: reproduce in the app the letters came from (--assembly, --stack).`,
    );
  }
  const pointer: ClaimCheckPointer = {
    bucket,
    key: `${CLAIM_CHECK.keyPrefix}reproduce/${randomUUID()}.json`,
    size: Buffer.byteLength(record.payload, 'utf8'),
    sha256: sha256Hex(record.payload),
  };
  await cloud.clients.s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: pointer.key, Body: record.payload, ContentType: 'application/json' }),
  );
  return claimCheckBody(pointer);
}

/** The queue URL of the file's consumer in this cloud, or one line saying it is not there. */
function consumerQueue(cloud: LocalCloud, name: string, file: DeadLetterFile): string {
  const { consumer, fifo } = file.header;
  const queueUrl = cloud.outputs[OUTPUT_KEYS.queueUrl(consumer)];
  if (!queueUrl) {
    const known = consumersOf(cloud);
    throw new ReproduceError(
      `Consumer '${consumer}' of ${name} is not in stack '${cloud.stackName}'${known.length ? ` (its consumers: ${known.join(', ')})` : ''}. ` +
        'Fix: reproduce with the assembly of the app the letters came from (--assembly, --stack).',
    );
  }
  if (fifo !== queueUrl.endsWith('.fifo')) {
    throw new ReproduceError(
      `Consumer '${consumer}' of ${name} was ${fifo ? 'FIFO' : 'standard'} where the letters were pulled, but its queue in stack '${cloud.stackName}' is ${fifo ? 'standard' : 'FIFO'}. ` +
        'Fix: reproduce with the assembly of the app the letters came from (--assembly, --stack).',
    );
  }
  return queueUrl;
}

/**
 * Puts the file's dead letters into the local queue of their consumer (body and attributes as they
 * were, the reason stripped, a new FIFO deduplication id, claim-check payloads re-uploaded) in file
 * order, and resolves with each letter's first deciding outcome from the function's outcome lines.
 */
export async function reproduceDeadLetters(
  cloud: LocalCloud,
  name: string,
  file: DeadLetterFile,
  options: ReproduceOptions,
): Promise<ReproducedLetter[]> {
  const queueUrl = consumerQueue(cloud, name, file);
  const byLocalId = new Map<string, DeadLetterRecord>();
  const results = new Map<string, ReproducedLetter>();
  let done: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (done = resolve));
  const decide = (letter: ReproducedLetter) => {
    if (results.has(letter.localMessageId)) return;
    results.set(letter.localMessageId, letter);
    options.onResult?.(letter);
    if (results.size === file.records.length) done();
  };
  const early = new Map<string, ReturnType<typeof parseOutcomeLine>>();
  const onOutcome = (outcome: NonNullable<ReturnType<typeof parseOutcomeLine>>) => {
    const record = byLocalId.get(outcome.messageId);
    if (!record) return void early.set(outcome.messageId, outcome);
    if (WAIT_FOR_NEXT.has(outcome.outcome)) return;
    decide({
      messageId: record.messageId,
      localMessageId: outcome.messageId,
      eventType: outcome.eventType ?? record.eventType,
      outcome: outcome.outcome,
      succeeded: SUCCEEDED.has(outcome.outcome),
      reason: outcome.reason,
    });
  };
  const unsubscribe = cloud.events.on('log', ({ line }) => {
    const outcome = parseOutcomeLine(line);
    if (outcome && outcome.consumer === file.header.consumer) onOutcome(outcome);
  });
  try {
    if (file.records.length === 0) return [];
    for (const record of file.records) {
      const groupId = record.systemAttributes.MessageGroupId;
      if (file.header.fifo && !groupId) {
        throw new ReproduceError(
          `Dead letter ${record.messageId} in ${name} has no MessageGroupId, which FIFO consumer '${file.header.consumer}' needs. Fix: pull the letters again with \`fanout dlq pull\`.`,
        );
      }
      const body = joinSnsEnvelope(record.snsEnvelope, await messageText(cloud, name, record));
      const { MessageId } = await cloud.clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: body,
          MessageAttributes: sendAttributes(record),
          ...(file.header.fifo ? { MessageGroupId: groupId, MessageDeduplicationId: randomUUID() } : {}),
        }),
      );
      byLocalId.set(MessageId!, record);
      const seen = early.get(MessageId!);
      if (seen) onOutcome(seen);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([allDone, new Promise<void>((resolve) => (timer = setTimeout(resolve, options.timeoutMs)))]);
    clearTimeout(timer);
    for (const [localMessageId, record] of byLocalId) {
      decide({
        messageId: record.messageId,
        localMessageId,
        eventType: record.eventType,
        outcome: 'none',
        succeeded: false,
        reason: `no outcome within ${options.timeoutMs / 1000} s: the consumer's filter criteria may drop it, or it is still in the queue`,
      });
    }
    return [...byLocalId.keys()].map((id) => results.get(id)!);
  } finally {
    unsubscribe();
  }
}
