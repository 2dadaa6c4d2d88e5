import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import {
  CLAIM_CHECK,
  DEAD_LETTER_FILE_FORMAT,
  type DeadLetterFile,
  type DeadLetterRecord,
  decodeDeadLetterReason,
  type FileMessageAttribute,
  readClaimCheckPointer,
  resolveClaimCheck,
} from '../contracts/index.ts';
import { s3FetchObject } from './claim-check.ts';
import { holdMessages } from './dlq-peek.ts';
import { redactPayloads } from './dlq-redact.ts';
import { type DeadLetterSource, deadLetterQueues } from './dlq-source.ts';
import type { OperatorContext } from './operator.ts';
import { releaseMessages, viewMessage } from './sqs-util.ts';

export interface PullOptions {
  /** Most messages to read. @default 100 */
  readonly max?: number;
  /** Payload paths (dotted) to mask before anything is returned. @default [] */
  readonly redact?: readonly string[];
  /** @default 'queue' */
  readonly source?: DeadLetterSource;
}

export interface PullResult {
  readonly file: DeadLetterFile;
  /** Per redacted path, how many payloads had it. */
  readonly redactedCounts: Readonly<Record<string, number>>;
}

const fileAttribute = (a: MessageAttributeValue): FileMessageAttribute => ({
  dataType: a.DataType ?? 'String',
  ...(a.StringValue !== undefined ? { stringValue: a.StringValue } : {}),
  ...(a.BinaryValue !== undefined ? { binaryValue: Buffer.from(a.BinaryValue).toString('base64') } : {}),
});

/** A received dead letter as a file record (payload not yet redacted), its claim-check payload fetched. */
async function toRecord(ctx: OperatorContext, m: Message): Promise<DeadLetterRecord> {
  const { envelope, attributes, eventType, payload: message } = viewMessage(m);
  const messageAttributes = Object.fromEntries(
    Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, fileAttribute(v)]),
  );
  const marker = attributes[CLAIM_CHECK.attribute];
  const claimCheck = readClaimCheckPointer(message, marker);
  const payload = claimCheck ? await resolveClaimCheck(message, marker, s3FetchObject(ctx.clients.s3)) : message;
  const reason = decodeDeadLetterReason(attributes);
  return {
    messageId: m.MessageId!,
    systemAttributes: { ...m.Attributes },
    messageAttributes,
    ...(envelope ? { snsEnvelope: envelope } : {}),
    ...(eventType !== undefined ? { eventType } : {}),
    ...(reason ? { reason } : {}),
    ...(claimCheck ? { claimCheck } : {}),
    payload,
  };
}

/**
 * Reads up to `max` dead letters of `subscriber` with their whole envelope (attributes, SNS envelope,
 * FIFO group and deduplication id, receive count, reason, claim-check payload) without removing
 * them: each is held while read and made visible again at once, as `peekDeadLetters` does. The
 * `redact` paths are masked in every payload before this returns.
 */
export async function pullDeadLetters(
  ctx: OperatorContext,
  subscriber: string,
  options: PullOptions = {},
): Promise<PullResult> {
  const source = options.source ?? 'queue';
  const { endpoint, deadLetterQueueUrl } = deadLetterQueues(ctx, subscriber, source, 'pull');
  const held = await holdMessages(ctx.clients.sqs, deadLetterQueueUrl, options.max ?? 100);
  let records: DeadLetterRecord[];
  try {
    records = [];
    for (const m of held) records.push(await toRecord(ctx, m));
  } finally {
    await releaseMessages(ctx.clients.sqs, deadLetterQueueUrl, held);
  }
  const redact = options.redact ?? [];
  const { payloads, matched } = redactPayloads(records, redact);
  return {
    file: {
      header: {
        format: DEAD_LETTER_FILE_FORMAT,
        stack: ctx.target.outputs.stackName,
        consumer: subscriber,
        source,
        fifo: endpoint.fifo,
        deadLetterQueueUrl,
        pulledAt: new Date().toISOString(),
        count: records.length,
        redacted: redact,
      },
      records: records.map((r, i) => ({ ...r, payload: payloads[i]! })),
    },
    redactedCounts: matched,
  };
}
