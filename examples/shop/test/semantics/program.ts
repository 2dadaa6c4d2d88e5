import fc from 'fast-check';

/**
 * A scenario program: what producers, operators and the platform do in one history, over symbolic
 * business ids (accounts A–C, payments p1–p4, orders o1–o3, keys k1–k3) so that collisions — one
 * paymentId captured and refunded, one key reused — happen often and read well in a timeline.
 */
export type PaymentEvent = 'PaymentCaptured' | 'PaymentRefunded';
export type OrderEvent = 'OrderPlaced' | 'OrderCancelled' | 'OrderShipped';
export type EventType = PaymentEvent | OrderEvent;
export type Consumer = 'inventory' | 'email' | 'warehouse' | 'analytics' | 'ledger' | 'audit' | 'jobs';
/** Where a worker dies: before the effect, between the effect and the idempotency completion, after the completion. */
export type CrashPoint = 'before-effect' | 'after-effect' | 'after-completion';
/** The end-to-end level cannot pin a crash point: it kills whatever the consumer's workers are running. */
export type CrashWhen = CrashPoint | 'while-busy';

export interface PublishStep {
  readonly kind: 'publish';
  readonly event: EventType;
  /** paymentId or orderId (symbolic). */
  readonly id: string;
  /** Payments: the account (FIFO group). */
  readonly account: string;
  /** Payments: cents; orders: quantity of the one item. */
  readonly amount: number;
  /** Refunds: which refund of the payment (several refunds of one payment, each its own refundId). */
  readonly refund?: number;
  /** Explicit idempotency key; none lets the publisher mint one. */
  readonly key?: string;
  /** Schema-invalid payload, sent around the publisher (which would refuse it). */
  readonly poison?: boolean;
  /** Orders: a body over the message limit (claim-check). */
  readonly large?: boolean;
  /** Responses of this message's publish requests lost after SNS accepted them (the SDK retries). */
  readonly lostResponses?: number;
  /**
   * An attribute alone over the topic's message limit: the publisher must refuse it at once (and, on
   * a FIFO topic, the messages of its group then waiting behind it), uploading nothing.
   */
  readonly oversized?: boolean;
}
/** The same publish again: same event, payload and key (a producer retrying on its own). */
export interface AgainStep {
  readonly kind: 'again';
  readonly of: number;
}
/**
 * A request/reply call to the `jobs` work queue for job j<n>: j1 counts words, j2 checksums, j3
 * normalizes a 100,000-character text (a result too large to keep inline in the idempotency record:
 * it is kept by claim-check). Asking for a job again is a repeated request (same jobId and payload).
 */
export interface RequestStep {
  readonly kind: 'request';
  readonly job: 1 | 2 | 3;
  /**
   * With the job's own idempotency key (a requester asking again reuses it); without, the publisher
   * mints one per call, so a repeat is another message with the job's business key: refused as key reuse.
   */
  readonly keyed: boolean;
}
/** Wait until every queue is drained. */
export interface SettleStep {
  readonly kind: 'settle';
}
export interface ReplayStep {
  readonly kind: 'replay';
  readonly subscriber: Exclude<Consumer, 'analytics' | 'jobs'>;
  readonly method: 'native' | 'manual';
  /** Manual replays may filter: only one event type, or only one account/order. */
  readonly filter?: 'event-type' | 'business-id';
}
/** A worker of `consumer` dies; `target` (a publish index, modulo) and `point` pin it on the in-process level. */
export interface CrashStep {
  readonly kind: 'crash';
  readonly consumer: Consumer;
  readonly target: number;
  readonly point: CrashWhen;
}
/** The handler's write for publish `target` fails with a retryable error `times` times (in-process level). */
export interface FailStep {
  readonly kind: 'fail';
  readonly consumer: Consumer;
  readonly target: number;
  readonly times: number;
}

/** Rows written straight into an account's audit partition, past one 1 MB query page (in-process level). */
export interface FillStep {
  readonly kind: 'fill';
  readonly account: string;
}

export type Step = PublishStep | AgainStep | RequestStep | SettleStep | ReplayStep | CrashStep | FailStep | FillStep;

const PAYMENT_EVENTS: readonly PaymentEvent[] = ['PaymentCaptured', 'PaymentRefunded'];
const ORDER_EVENTS: readonly OrderEvent[] = ['OrderPlaced', 'OrderCancelled', 'OrderShipped'];
export const isPaymentEvent = (e: EventType): e is PaymentEvent => (PAYMENT_EVENTS as readonly string[]).includes(e);

/** Where a history sends: the two topics, and the request/reply work queue (end to end only). */
export type Destination = 'payments' | 'orders' | 'jobs';

export interface GeneratorOptions {
  readonly topics: readonly Destination[];
  /** Steps the e2e level cannot pin (crash points, handler failures) are left out without `inProcess`. */
  readonly inProcess: boolean;
  readonly maxSteps: number;
  /** Leave out a feature, to look for counterexamples past a known one. @default [] */
  readonly without?: readonly (
    | 'key-reuse'
    | 'lost-responses'
    | 'poison'
    | 'crashes'
    | 'replays'
    | 'bursts'
    | 'oversized'
  )[];
}

/** True about one time in `n` (eight unless said); shrinks to false. */
const rare = (n = 8) => fc.integer({ min: 1, max: n }).map((k) => k === n);

function publishArb(options: GeneratorOptions): fc.Arbitrary<PublishStep> {
  const events = [
    ...(options.topics.includes('payments') ? PAYMENT_EVENTS : []),
    ...(options.topics.includes('orders') ? ORDER_EVENTS : []),
  ];
  return fc
    .record(
      {
        event: fc.constantFrom(...events),
        n: fc.integer({ min: 1, max: 4 }),
        account: fc.constantFrom('A', 'B', 'C'),
        amount: fc.integer({ min: 1, max: 9 }),
        refund: fc.integer({ min: 1, max: 3 }),
        key: fc.option(fc.constantFrom('k1', 'k2', 'k3'), { nil: undefined, freq: 2 }),
        poison: rare(),
        large: rare(),
        oversized: options.inProcess || options.without?.includes('oversized') ? fc.constant(false) : rare(16),
        lostResponses:
          options.inProcess || options.without?.includes('lost-responses')
            ? fc.constant(0)
            : fc.integer({ min: 0, max: 2 }),
      },
      { requiredKeys: ['event', 'n', 'account', 'amount', 'refund'] },
    )
    .map(
      ({
        event,
        n,
        account,
        amount,
        refund,
        key: rawKey,
        poison: rawPoison,
        large,
        oversized,
        lostResponses,
      }): PublishStep => {
        let key: string | undefined = rawKey;
        let poison = rawPoison;
        const payment = isPaymentEvent(event);
        // Without key reuse, a key names one payload only (duplicates still share it).
        if (key !== undefined && options.without?.includes('key-reuse'))
          key = `${key}/${event}/${n}/${account}/${amount}`;
        if (options.without?.includes('poison')) poison = false;
        return {
          kind: 'publish',
          event,
          id: payment ? `p${n}` : `o${Math.min(n, 3)}`,
          account: payment ? account : '-',
          amount: payment ? amount * 100 : amount,
          ...(event === 'PaymentRefunded' ? { refund } : {}),
          ...(key !== undefined ? { key } : {}),
          ...(poison ? { poison } : {}),
          ...(large && !payment && !options.inProcess ? { large } : {}),
          ...(lostResponses ? { lostResponses } : {}),
          ...(oversized && !poison ? { oversized } : {}),
        };
      },
    );
}

/**
 * Publishes back to back (one batch at the consumer, run in parallel): several refunds of one payment
 * with their own producer keys — equal amounts, and one refund again under another key — or an
 * order's placement and its cancel in either order.
 */
function burstArb(options: GeneratorOptions): fc.Arbitrary<PublishStep[]> {
  const bursts: fc.Arbitrary<PublishStep[]>[] = [];
  if (options.topics.includes('payments'))
    bursts.push(
      fc
        .record({
          n: fc.integer({ min: 1, max: 4 }),
          account: fc.constantFrom('A', 'B', 'C'),
          refunds: fc.integer({ min: 2, max: 3 }),
          rekeyed: fc.boolean(),
        })
        .map(({ n, account, refunds, rekeyed }) => {
          const base = { kind: 'publish', id: `p${n}`, account } as const;
          const steps: PublishStep[] = [{ ...base, event: 'PaymentCaptured', amount: 900, key: `k${n}-capture` }];
          for (let r = 1; r <= refunds; r++)
            steps.push({ ...base, event: 'PaymentRefunded', amount: 100, refund: r, key: `k${n}-refund-${r}` });
          if (rekeyed)
            steps.push({ ...base, event: 'PaymentRefunded', amount: 100, refund: 1, key: `k${n}-refund-1-again` });
          return steps;
        }),
    );
  if (options.topics.includes('orders'))
    bursts.push(
      fc
        .record({
          n: fc.integer({ min: 1, max: 3 }),
          quantity: fc.integer({ min: 1, max: 9 }),
          cancelFirst: fc.boolean(),
        })
        .map(({ n, quantity, cancelFirst }) => {
          const base = { kind: 'publish', id: `o${n}`, account: '-' } as const;
          const place: PublishStep = { ...base, event: 'OrderPlaced', amount: quantity, key: `k-o${n}-place` };
          const cancel: PublishStep = { ...base, event: 'OrderCancelled', amount: 1, key: `k-o${n}-cancel` };
          return cancelFirst ? [cancel, place] : [place, cancel];
        }),
    );
  return fc.oneof(...bursts);
}

function stepArb(options: GeneratorOptions): fc.Arbitrary<Step> {
  const consumers: Consumer[] = [
    ...(options.topics.includes('payments') ? (['ledger', 'audit'] as const) : []),
    ...(options.topics.includes('orders') ? (['inventory', 'email', 'warehouse', 'analytics'] as const) : []),
    ...(options.topics.includes('jobs') && !options.inProcess ? (['jobs'] as const) : []),
  ];
  const replayable = consumers.filter((c): c is ReplayStep['subscriber'] => c !== 'analytics' && c !== 'jobs');
  const choices: fc.WeightedArbitrary<Step>[] = [
    ...(options.topics.some((t) => t !== 'jobs') ? [{ weight: 10, arbitrary: publishArb(options) }] : []),
    {
      weight: options.topics.includes('jobs') && !options.inProcess ? 3 : 0,
      arbitrary: fc
        .record({ job: fc.constantFrom(1 as const, 2 as const, 3 as const), keyed: fc.boolean() })
        .map(({ job, keyed }): Step => ({ kind: 'request', job, keyed })),
    },
    { weight: 2, arbitrary: fc.nat({ max: 9 }).map((of): Step => ({ kind: 'again', of })) },
    { weight: 1, arbitrary: fc.constant<Step>({ kind: 'settle' }) },
    {
      weight: options.inProcess || options.without?.includes('replays') ? 0 : 1,
      arbitrary: fc
        .record({
          subscriber: fc.constantFrom(...replayable),
          method: fc.constantFrom('native' as const, 'manual' as const),
          filter: fc.constantFrom(undefined, 'event-type' as const, 'business-id' as const),
        })
        .map(
          ({ subscriber, method, filter }): Step => ({
            kind: 'replay',
            subscriber,
            method,
            ...(method === 'manual' && filter ? { filter } : {}),
          }),
        ),
    },
    {
      weight: options.without?.includes('crashes') ? 0 : options.inProcess ? 3 : 1,
      arbitrary: fc
        .record({
          consumer: fc.constantFrom(...consumers),
          target: fc.nat({ max: 9 }),
          point: fc.constantFrom<CrashPoint>('before-effect', 'after-effect', 'after-completion'),
        })
        .map(
          (c): Step => ({
            kind: 'crash',
            ...c,
            ...(options.inProcess ? {} : { target: 0, point: 'while-busy' as const }),
          }),
        ),
    },
  ];
  if (options.inProcess && options.topics.includes('payments'))
    choices.push({
      weight: 1,
      arbitrary: fc.constantFrom('A', 'B', 'C').map((account): Step => ({ kind: 'fill', account })),
    });
  if (options.inProcess) {
    choices.push({
      weight: 2,
      arbitrary: fc
        .record({
          consumer: fc.constantFrom(...consumers),
          target: fc.nat({ max: 9 }),
          times: fc.integer({ min: 1, max: 6 }),
        })
        .map((f): Step => ({ kind: 'fail', ...f })),
    });
  }
  return fc.oneof(...choices);
}

const JOB_KINDS = { 1: 'word-count', 2: 'checksum', 3: 'normalize, a 100,000-character result' } as const;

/** One history; `toString` is its timeline (what fast-check prints for a counterexample). */
export class Program {
  constructor(readonly steps: readonly Step[]) {}
  toString(): string {
    return timeline(this.steps);
  }
  [fc.toStringMethod](): string {
    return this.toString();
  }
}

export function programArb(options: GeneratorOptions): fc.Arbitrary<Program> {
  const single = stepArb(options).map((s) => [s]);
  const chunk: fc.Arbitrary<Step[]> = options.without?.includes('bursts')
    ? single
    : fc.oneof({ weight: 8, arbitrary: single }, { weight: 1, arbitrary: burstArb(options) });
  return fc
    .array(chunk, { minLength: 1, maxLength: options.maxSteps })
    .map((chunks) => chunks.flat())
    .filter((steps) => steps.some((s) => s.kind === 'publish' || s.kind === 'request'))
    .map((steps) => new Program(steps));
}

/** Publish steps in order, `again` resolved to the publish it repeats. */
export function publishes(
  steps: readonly Step[],
): { readonly step: number; readonly publish: PublishStep; readonly again: boolean }[] {
  const out: { step: number; publish: PublishStep; again: boolean }[] = [];
  steps.forEach((s, step) => {
    if (s.kind === 'publish') out.push({ step, publish: s, again: false });
    const originals = out.filter((o) => !o.again);
    if (s.kind === 'again' && originals.length > 0)
      out.push({ step, publish: originals[s.of % originals.length]!.publish, again: true });
  });
  return out;
}

function describePublish(p: PublishStep): string {
  const what = isPaymentEvent(p.event)
    ? `${p.id}${p.refund ? ` refund r${p.refund}` : ''} (account ${p.account}, ${p.amount}¢)`
    : `${p.id}${p.event === 'OrderPlaced' ? ` (quantity ${p.amount})` : ''}`;
  const notes = [
    p.key ? `key ${p.key}` : 'no key',
    ...(p.poison ? ['POISON (schema-invalid)'] : []),
    ...(p.large ? ['large body (claim-check)'] : []),
    ...(p.oversized ? ['an attribute over the size limit (must be refused)'] : []),
    ...(p.lostResponses ? [`response lost ×${p.lostResponses}, SDK retries`] : []),
  ];
  return `publish ${p.event} ${what}, ${notes.join(', ')}`;
}

export function timeline(steps: readonly Step[]): string {
  const pubs = publishes(steps);
  const describe = (s: Step, i: number): string => {
    switch (s.kind) {
      case 'publish':
        return describePublish(s);
      case 'again':
        return pubs.find((p) => p.step === i)
          ? `publish again (duplicate): ${describePublish(pubs.find((p) => p.step === i)!.publish)}`
          : 'publish again (nothing to repeat yet: no-op)';
      case 'request':
        return `request job j${s.job} (${JOB_KINDS[s.job]}), ${s.keyed ? `key k-j${s.job}` : 'no key'}`;
      case 'settle':
        return 'wait until every queue is drained';
      case 'replay':
        return `replay the ${s.subscriber} DLQ (${s.method}${s.filter ? `, filter by ${s.filter}` : ''})`;
      case 'crash':
        return s.point === 'while-busy'
          ? `crash the ${s.consumer} workers busy right now`
          : `crash the ${s.consumer} worker handling publish #${targetOf(s.target, steps)} ${s.point}`;
      case 'fail':
        return `${s.consumer} handler fails (retryable) ×${s.times} on publish #${targetOf(s.target, steps)}`;
      case 'fill':
        return `account ${s.account}'s audit partition grows past one 1 MB query page`;
    }
  };
  const lines = steps.map(describe);
  return ['', ...lines.map((l, i) => `  ${String(i + 1).padStart(2)}. ${l}`)].join('\n');
}

/** 1-based position (among publishes) of a fault's target. */
export function targetOf(target: number, steps: readonly Step[]): number {
  const count = publishes(steps).length;
  return count === 0 ? 0 : (target % count) + 1;
}
