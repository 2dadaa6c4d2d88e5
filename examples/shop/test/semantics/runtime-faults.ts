import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { IdempotencyStore } from '../../../../lambdas/runtime/index.ts';
import type { Consumer, CrashPoint } from './program.ts';

/** One invocation of a consumer in the in-process level: which messages it holds, whether it died. */
export interface Invocation {
  readonly consumer: Consumer;
  /** correlationIds of the batch's records. */
  readonly correlationIds: ReadonlySet<string>;
  dead: boolean;
  /** Called once when a fault kills it. */
  readonly onCrash: () => void;
}

export interface ArmedCrash {
  readonly consumer: Consumer;
  readonly correlationId: string;
  readonly businessId: string;
  readonly point: CrashPoint;
  fired: boolean;
}
export interface ArmedFailure {
  readonly consumer: Consumer;
  readonly correlationId: string;
  readonly businessId: string;
  remaining: number;
}

const never = () => new Promise<never>(() => {});

/**
 * Faults at exact step boundaries, kept at the edge: a middleware on the handlers' DynamoDB client
 * and the runtime's SQS client, and a wrapper around the idempotency store. A crashed invocation
 * never returns and every later call it makes hangs, as if its process had died.
 */
export class RuntimeFaults {
  readonly current = new AsyncLocalStorage<Invocation>();
  crashes: ArmedCrash[] = [];
  failures: ArmedFailure[] = [];

  reset(): void {
    this.crashes = [];
    this.failures = [];
  }

  private crash(invocation: Invocation): Promise<never> {
    invocation.dead = true;
    invocation.onCrash();
    return never();
  }

  private crashAt(
    point: CrashPoint,
    invocation: Invocation,
    matches: (c: ArmedCrash) => boolean,
  ): ArmedCrash | undefined {
    const found = this.crashes.find(
      (c) =>
        !c.fired &&
        c.point === point &&
        c.consumer === invocation.consumer &&
        invocation.correlationIds.has(c.correlationId) &&
        matches(c),
    );
    if (found) found.fired = true;
    return found;
  }

  /**
   * Business writes (direct, or staged and committed with the idempotency record): retryable
   * failures, crashes before and after the effect.
   */
  instrumentHandlerClient(client: DynamoDBClient, storeless: (c: Consumer) => boolean): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const invocation = this.current.getStore();
        if (!invocation) return next(args);
        if (invocation.dead) return never();
        // A staged handler's effect is the runtime's commit (TransactWriteItems) of its writes.
        if (!['UpdateItemCommand', 'PutItemCommand', 'TransactWriteItemsCommand'].includes(context.commandName ?? ''))
          return next(args);
        const input = JSON.stringify(args.input);
        const mentions = (id: { businessId: string; correlationId: string }) =>
          input.includes(id.businessId) ||
          (invocation.consumer === 'analytics' && invocation.correlationIds.has(id.correlationId));
        const failure = this.failures.find(
          (f) =>
            f.remaining > 0 &&
            f.consumer === invocation.consumer &&
            invocation.correlationIds.has(f.correlationId) &&
            mentions(f),
        );
        if (failure) {
          failure.remaining--;
          throw Object.assign(new Error('throughput exceeded (injected transient failure)'), {
            name: 'ProvisionedThroughputExceededException',
          });
        }
        if (this.crashAt('before-effect', invocation, mentions)) return this.crash(invocation);
        const result = await next(args);
        if (invocation.dead) return never();
        const late =
          this.crashAt('after-effect', invocation, mentions) ??
          (storeless(invocation.consumer) ? this.crashAt('after-completion', invocation, mentions) : undefined);
        if (late) return this.crash(invocation);
        return result;
      },
      { step: 'initialize', name: 'semanticsFaults' },
    );
  }

  /** The runtime's own SQS calls (DLQ sends, visibility changes, deletes) die with their invocation. */
  instrumentRuntimeSqs(client: SQSClient): void {
    client.middlewareStack.add((next) => async (args) => (this.current.getStore()?.dead ? never() : next(args)), {
      step: 'initialize',
      name: 'semanticsDeadInvocation',
    });
  }

  /** Completion reached the store, then the worker died before the batch response. */
  wrapStore(store: IdempotencyStore): IdempotencyStore {
    const alive = async <T>(call: () => Promise<T>): Promise<T> => (this.current.getStore()?.dead ? never() : call());
    return {
      acquire: (r) => alive(() => store.acquire(r)),
      release: (r) => alive(() => store.release(r)),
      complete: async (r) => {
        const result = await alive(() => store.complete(r));
        const invocation = this.current.getStore();
        if (invocation && this.crashAt('after-completion', invocation, () => true)) return this.crash(invocation);
        return result;
      },
    };
  }
}
