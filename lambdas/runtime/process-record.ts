import type { SQSRecord } from 'aws-lambda';
import { REQUEST_REPLY } from '../../contracts/runtime.ts';
import { payloadText } from './claim-check.ts';
import { sendToDeadLetterQueue } from './dead-letter.ts';
import { parsePayload, unwrapRecord, type UnwrappedMessage } from './decode.ts';
import type { InvocationScope, RecordContext } from './definition.ts';
import { errorMessage, errorStack, failureKind, type FailureKind } from './errors.ts';
import { messageIdentity } from './idempotency/key.ts';
import { keepResult } from './idempotency/keep-result.ts';
import type { KeptResult } from './idempotency/store.ts';
import { type PartialOutcome, type RecordOutcome, receiveCountOf } from './outcome.ts';
import type { RecordWork } from './protocol.ts';
import { type Answer, sendReply } from './reply.ts';
import { handleLeased } from './lease/handle-lease.ts';
import { handleStaged } from './staged/handle-staged.ts';
import { noStage } from './staged/stage.ts';
import { logLine } from './telemetry/log.ts';
import { schemaFor, validatePayload } from './validate.ts';

/** Decodes, validates, deduplicates and handles one record; never throws. */
export async function processRecord(scope: InvocationScope, record: SQSRecord): Promise<RecordOutcome> {
  scope.commits?.enter();
  try {
    return await processEntered(scope, record);
  } finally {
    scope.commits?.leave();
  }
}

async function processEntered(scope: InvocationScope, record: SQSRecord): Promise<RecordOutcome> {
  const started = scope.now();
  const receiveCount = receiveCountOf(record);
  let message: UnwrappedMessage | undefined;
  let key: string | undefined;
  let outcome: PartialOutcome;
  try {
    message = unwrapRecord(record, scope.config.source);
    const work = await prepare(scope, record, message, receiveCount);
    key = work.identity?.key;
    outcome = await runProtocol(work);
  } catch (error) {
    const stack = errorStack(error);
    outcome = {
      ...(await onFailure(scope, record, receiveCount, failureKind(error), errorMessage(error))),
      ...(stack ? { stack } : {}),
    };
  }
  const { value, kept, answer: answerable, ...settled } = outcome;
  if (message && scope.config.requestReply)
    await answer(scope, record, message, settled, answerable === false ? NOT_YOURS : { value, kept });
  return {
    ...settled,
    messageId: record.messageId,
    eventType: message?.eventType,
    correlationId: message?.attributes[REQUEST_REPLY.correlationIdAttribute],
    idempotencyKey: key,
    publishedAtMs: message?.publishedAtMs,
    receiveCount,
    durationMs: scope.now() - started,
  };
}

/** Reads, validates and identifies a record: everything its protocol needs to run it. */
async function prepare(
  scope: InvocationScope,
  record: SQSRecord,
  message: UnwrappedMessage,
  receiveCount: number,
): Promise<RecordWork> {
  const { config, definition } = scope;
  const schema = schemaFor(definition.events, message.eventType, config.name);
  const payload = validatePayload(
    schema,
    message.eventType,
    parsePayload(await payloadText(message, scope.fetchObject)),
  );
  const handler = definition.handlers[message.eventType]!;
  const ctx = recordContext(scope, record, message, receiveCount);
  // Staged at-least-once writes commit without a record: a copy writes again.
  const keyed = scope.store !== undefined && !(scope.commits && config.delivery === 'at-least-once');
  const identity = keyed ? messageIdentity(config, record, message, payload) : undefined;
  return { scope, record, payload, handler, ctx, identity };
}

/** The consumer's protocol: staged commits, a fenced lease on its idempotency record, or none. */
async function runProtocol(work: RecordWork): Promise<PartialOutcome> {
  const { commits, store } = work.scope;
  if (commits) return handleStaged({ ...work, commits });
  if (store && work.identity) return handleLeased({ ...work, store, identity: work.identity });
  // No idempotency record: the handler runs for every copy.
  return { kind: 'processed', value: await work.handler(work.payload, work.ctx) };
}

async function onFailure(
  scope: InvocationScope,
  record: SQSRecord,
  receiveCount: number,
  kind: FailureKind,
  reason: string,
): Promise<PartialOutcome> {
  const { config } = scope;
  if (config.delivery === 'at-most-once') return { kind: 'dropped', errorKind: kind, reason };
  const exhausted = config.maxReceiveCount !== undefined && receiveCount >= config.maxReceiveCount;
  if (kind === 'retryable' && !exhausted) return { kind: 'failed', errorKind: kind, reason };
  const deadLetterKind: FailureKind = kind === 'retryable' ? 'retries-exhausted' : kind;
  if (!config.deadLetterQueueUrl) {
    return { kind: 'failed', errorKind: deadLetterKind, reason: `${reason} (no DLQ configured: left to SQS redrive)` };
  }
  try {
    const attached = await sendToDeadLetterQueue(await scope.sqs(), config.deadLetterQueueUrl, record, {
      kind: deadLetterKind,
      message: reason,
      receiveCount,
      consumer: config.name,
    });
    const note = attached ? '' : ' (reason not attached: the message already carries 10 attributes)';
    return { kind: 'dead-lettered', errorKind: deadLetterKind, reason: reason + note };
  } catch (error) {
    return { kind: 'failed', errorKind: deadLetterKind, reason: `${reason}; DLQ send failed: ${errorMessage(error)}` };
  }
}

const NOT_YOURS = 'not-yours' as const;

/**
 * Answers a request on its reply queue once its fate is final: the result when it took effect
 * (again for a duplicate from the same requester, from what its record kept), the reason when it was
 * dead-lettered or dropped. A copy from another requester learns only that the key is taken.
 * A reply that fails or is refused is logged and never changes the record's outcome.
 */
async function answer(
  scope: InvocationScope,
  record: SQSRecord,
  message: UnwrappedMessage,
  outcome: Omit<PartialOutcome, 'value' | 'kept' | 'answer'>,
  result: { readonly value: unknown; readonly kept: KeptResult | undefined } | typeof NOT_YOURS,
) {
  const fields = { consumer: scope.config.name, messageId: record.messageId };
  try {
    const reply = await answerOf(scope, outcome, result);
    if (!reply) return;
    const sent = await sendReply(scope.sqs, scope.config, message.attributes, reply);
    if (sent && 'refused' in sent) logLine(scope.sink, 'WARN', 'reply refused', { ...fields, reason: sent.refused });
    else if (sent?.replaced)
      logLine(scope.sink, 'WARN', 'reply replaced by an error reply', { ...fields, reason: sent.replaced });
  } catch (error) {
    logLine(scope.sink, 'WARN', 'reply not sent', { ...fields, reason: errorMessage(error) });
  }
}

async function answerOf(
  scope: InvocationScope,
  outcome: Omit<PartialOutcome, 'value' | 'kept' | 'answer'>,
  result: { readonly value: unknown; readonly kept: KeptResult | undefined } | typeof NOT_YOURS,
): Promise<Answer | undefined> {
  const effective = outcome.kind === 'processed' || outcome.kind === 'duplicate';
  if (effective && result === NOT_YOURS)
    return { error: 'this idempotency key was already used by another requester; its result is not shared' };
  if (result !== NOT_YOURS && outcome.kind === 'duplicate') return { stored: result.kept };
  // Without an idempotency record the result is kept (claim-checked when large) only for the reply.
  if (result !== NOT_YOURS && outcome.kind === 'processed')
    return { fresh: result.value, kept: result.kept ?? (await keepResult(scope, result.value)) };
  if (outcome.kind === 'dead-lettered' || outcome.kind === 'dropped') return { error: outcome.reason ?? outcome.kind };
  return undefined;
}

function recordContext(
  scope: InvocationScope,
  record: SQSRecord,
  message: UnwrappedMessage,
  receiveCount: number,
): RecordContext {
  const correlationId = message.attributes[REQUEST_REPLY.correlationIdAttribute];
  return {
    eventType: message.eventType,
    messageId: record.messageId,
    correlationId,
    receiveCount,
    sequenceNumber: record.attributes.SequenceNumber,
    stage: noStage(scope.config.name),
    attributes: message.attributes,
    lambda: scope.lambda,
    log: (text, fields = {}) =>
      logLine(scope.sink, 'INFO', text, {
        consumer: scope.config.name,
        messageId: record.messageId,
        correlationId,
        ...fields,
      }),
  };
}
