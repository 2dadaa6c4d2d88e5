import { isPaymentEvent, publishes, type EventType, type Step } from './program.ts';

/** Over SNS's 256 KiB message limit: the publisher stores it in the payload bucket (claim-check). */
const LARGE_CHARS = 300_000;

/** One publish of a history with concrete, history-unique business ids. */
export interface Publication {
  /** 1-based, as the timeline numbers them. */
  readonly number: number;
  readonly step: number;
  /** Settle steps before it: a later phase starts after everything earlier was drained. */
  readonly phase: number;
  readonly eventType: EventType;
  readonly payload: Record<string, unknown>;
  readonly key: string | undefined;
  readonly poison: boolean;
  readonly large: boolean;
  readonly oversized: boolean;
  readonly lostResponses: number;
  readonly again: boolean;
  /** Concrete business ids: the paymentId/orderId and (payments) the account. */
  readonly businessId: string;
  readonly accountId: string | undefined;
}

function payload(
  eventType: EventType,
  id: string,
  accountId: string,
  amount: number,
  poison: boolean,
  large: boolean,
  refund: number | undefined,
): Record<string, unknown> {
  if (eventType === 'PaymentRefunded')
    return { paymentId: id, refundId: `${id}-r${refund ?? 1}`, accountId, amountCents: poison ? -amount : amount };
  if (isPaymentEvent(eventType)) return { paymentId: id, accountId, amountCents: poison ? -amount : amount };
  const filler = (c: string) => (large ? c.repeat(LARGE_CHARS) : c);
  switch (eventType) {
    case 'OrderPlaced':
      return poison
        ? { orderId: id, customerId: 'c-1', email: 'buyer@example.com', items: 'not-a-list', totalCents: 0 }
        : {
            orderId: id,
            customerId: filler('c'),
            email: 'buyer@example.com',
            items: [{ sku: 'sku-1', quantity: amount }],
            totalCents: amount * 100,
          };
    case 'OrderCancelled':
      return poison ? { orderId: id, reason: 42 } : { orderId: id, reason: filler('r') };
    case 'OrderShipped':
      return {
        orderId: id,
        email: poison ? 'not-an-email' : 'buyer@example.com',
        carrier: filler('u'),
        trackingId: 't-1',
      };
  }
}

/** The history's publications; `tag` makes its ids unique among the histories run on one cloud. */
export function publications(steps: readonly Step[], tag: string): Publication[] {
  let phase = 0;
  const phaseAt = steps.map((s) => (s.kind === 'settle' ? ++phase : phase));
  return publishes(steps).map(({ step, publish: p, again }, i) => {
    const businessId = `${tag}-${p.id}`;
    const accountId = isPaymentEvent(p.event) ? `${tag}-${p.account}` : undefined;
    return {
      number: i + 1,
      step,
      phase: phaseAt[step]!,
      eventType: p.event,
      payload: payload(p.event, businessId, accountId ?? '', p.amount, p.poison ?? false, p.large ?? false, p.refund),
      key: p.key === undefined ? undefined : `${tag}-${p.key}`,
      poison: p.poison ?? false,
      large: p.large ?? false,
      oversized: p.oversized ?? false,
      lostResponses: p.lostResponses ?? 0,
      again,
      businessId,
      accountId,
    };
  });
}

/** The longest input, normalizing to a text as long: words in mixed case, single spaces, no trailing one. */
const LARGE_INPUT = `${'Lorem IPSUM dolor sit Amet, '.repeat(3571)}Consectetur.`;
const JOB_INPUTS = {
  1: { kind: 'word-count', input: 'the quick  brown fox jumps' },
  2: { kind: 'checksum', input: 'checksum me' },
  3: { kind: 'normalize', input: LARGE_INPUT },
} as const;

/** One request/reply call of a history. */
export interface RequestCall {
  /** 1-based among the history's requests. */
  readonly number: number;
  readonly step: number;
  readonly payload: { readonly jobId: string; readonly kind: string; readonly input: string };
  /** The job's idempotency key, or none (the publisher mints one per call). */
  readonly key: string | undefined;
}

/** The history's requests; asking for one job again repeats its jobId and payload. */
export function requestCalls(steps: readonly Step[], tag: string): RequestCall[] {
  const calls: RequestCall[] = [];
  steps.forEach((s, step) => {
    if (s.kind === 'request')
      calls.push({
        number: calls.length + 1,
        step,
        payload: { jobId: `${tag}-j${s.job}`, ...JOB_INPUTS[s.job] },
        key: s.keyed ? `${tag}-k-j${s.job}` : undefined,
      });
  });
  return calls;
}
