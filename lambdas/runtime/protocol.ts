import type { SQSRecord } from 'aws-lambda';
import type { EventHandler, InvocationScope, RecordContext } from './definition.ts';
import type { MessageIdentity } from './idempotency/key.ts';
import type { PartialOutcome } from './outcome.ts';

/** One decoded, validated record, ready for its consumer's delivery protocol. */
export interface RecordWork {
  readonly scope: InvocationScope;
  readonly record: SQSRecord;
  readonly payload: unknown;
  readonly handler: EventHandler<unknown>;
  readonly ctx: RecordContext;
  /** Which message it is, by its idempotency key; none when the consumer keeps no record of it. */
  readonly identity: MessageIdentity | undefined;
}

/**
 * How a record's handler runs and its effect is recorded: plainly, under a fenced lease (lease/), or
 * with its staged writes committed together with its idempotency record (staged/). Throws what the
 * handler throws; the caller turns it into a failure outcome.
 */
export type RecordProtocol = (work: RecordWork) => Promise<PartialOutcome>;

/** No idempotency record: the handler runs for every copy. */
export const runPlain: RecordProtocol = async ({ payload, handler, ctx }) => ({
  kind: 'processed',
  value: await handler(payload, ctx),
});
