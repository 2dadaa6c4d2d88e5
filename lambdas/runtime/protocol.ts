import type { SQSRecord } from 'aws-lambda';
import type { EventHandler, InvocationScope, RecordContext } from './definition.ts';
import type { MessageIdentity } from './idempotency/key.ts';

/**
 * One decoded, validated record, as its consumer's protocol gets it: the fenced lease
 * (lease/handle-lease.ts) or the staged commit (staged/handle-staged.ts), each returning the record's
 * outcome and throwing what the handler throws.
 */
export interface RecordWork {
  readonly scope: InvocationScope;
  readonly record: SQSRecord;
  readonly payload: unknown;
  readonly handler: EventHandler<unknown>;
  readonly ctx: RecordContext;
  /** Which message it is, by its idempotency key; none when the consumer keeps no record of it. */
  readonly identity: MessageIdentity | undefined;
}
