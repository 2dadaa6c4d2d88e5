import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOUD_CONSUMERS, CloudWorld } from './cloud-world.ts';
import { formatViolations } from './oracle.ts';
import { type Consumer, Program, type PublishStep, type Step } from './program.ts';
import { type Judged, violationsOf as allViolations } from './property.ts';
import { RUNTIME_CONSUMERS, RuntimeWorld } from './runtime-world.ts';

// Minimal histories the checker shrank to, one per counterexample found; each must hold once fixed.
const captured = (amount: number, extra: Partial<PublishStep> = {}): PublishStep => ({
  kind: 'publish',
  event: 'PaymentCaptured',
  id: 'p1',
  account: 'A',
  amount,
  ...extra,
});

/** The report of what a history's run broke ('' when nothing). */
const violationsOf = (result: Judged, consumers: readonly Consumer[]) =>
  formatViolations(allViolations(result, consumers));

async function brokenPromises(
  run: (p: Program) => ReturnType<CloudWorld['run']>,
  steps: Step[],
  consumers: typeof CLOUD_CONSUMERS,
) {
  return violationsOf(await run(new Program(steps)), consumers);
}

describe('regressions, in process', () => {
  let world: RuntimeWorld;
  beforeAll(async () => {
    world = await RuntimeWorld.start();
  });
  afterAll(() => world?.stop());

  it('a payment published twice, one copy dead-lettered after its retries, still takes effect once through the other copy', async () => {
    const steps: Step[] = [captured(100), captured(100), { kind: 'fail', consumer: 'ledger', target: 0, times: 5 }];
    expect(await brokenPromises((p) => world.run(p), steps, RUNTIME_CONSUMERS)).toBe('');
  });

  it('a reused key whose first payload failed until the DLQ lets the second payload take effect, once', async () => {
    const steps: Step[] = [captured(100), captured(200), { kind: 'fail', consumer: 'ledger', target: 0, times: 5 }];
    expect(await brokenPromises((p) => world.run(p), steps, RUNTIME_CONSUMERS)).toBe('');
  });

  it('a reused key published twice on the FIFO topic arrives once (one deduplication id) and is dead-lettered once', async () => {
    const steps: Step[] = [captured(100), captured(200, { key: 'k1' }), { kind: 'again', of: 1 }];
    expect(await brokenPromises((p) => world.run(p), steps, RUNTIME_CONSUMERS)).toBe('');
  });

  it('an order event dead-lettered after its retries, then published again without a key, is sent once by the new copy', async () => {
    const shipped: PublishStep = { kind: 'publish', event: 'OrderShipped', id: 'o1', account: '-', amount: 1 };
    const steps: Step[] = [
      shipped,
      { kind: 'fail', consumer: 'email', target: 0, times: 5 },
      { kind: 'settle' },
      { kind: 'again', of: 0 },
    ];
    expect(await brokenPromises((p) => world.run(p), steps, RUNTIME_CONSUMERS)).toBe('');
  });

  it('a payment whose last allowed delivery committed and then crashed is redriven by SQS and counted once', async () => {
    const steps: Step[] = [
      captured(100),
      { kind: 'fail', consumer: 'ledger', target: 0, times: 4 },
      { kind: 'crash', consumer: 'ledger', target: 0, point: 'after-effect' },
    ];
    expect(await brokenPromises((p) => world.run(p), steps, RUNTIME_CONSUMERS)).toBe('');
  });

  it('a payment key reused with a different payload on the FIFO topic is dead-lettered as idempotency-key-reused, not deduplicated away', async () => {
    expect(
      await brokenPromises(
        (p) => world.run(p),
        [captured(100, { key: 'k2' }), captured(200, { key: 'k2' })],
        RUNTIME_CONSUMERS,
      ),
    ).toBe('');
  });
});

describe('regressions, end to end', () => {
  let world: CloudWorld;
  beforeAll(async () => {
    world = await CloudWorld.start();
  }, 120_000);
  afterAll(() => world?.stop());

  it('an order event whose publish response was lost (the SDK retried) is counted once by the at-most-once analytics consumer', async () => {
    const steps: Step[] = [
      { kind: 'publish', event: 'OrderCancelled', id: 'o1', account: '-', amount: 1, lostResponses: 1 },
    ];
    expect(await brokenPromises((p) => world.run(p), steps, CLOUD_CONSUMERS)).toBe('');
  }, 120_000);

  it('a payment key reused with a different payload through the publisher is dead-lettered as idempotency-key-reused at the ledger', async () => {
    expect(
      await brokenPromises(
        (p) => world.run(p),
        [captured(100, { key: 'k2' }), captured(200, { key: 'k2' })],
        CLOUD_CONSUMERS,
      ),
    ).toBe('');
  }, 120_000);

  it('a publish whose attribute alone is over the limit is refused at once, and so is its FIFO group behind it; the rest take effect', async () => {
    const steps: Step[] = [
      captured(100, { oversized: true }),
      { kind: 'publish', event: 'PaymentCaptured', id: 'p2', account: 'A', amount: 200 },
      { kind: 'publish', event: 'OrderCancelled', id: 'o1', account: '-', amount: 1, oversized: true },
      { kind: 'publish', event: 'OrderPlaced', id: 'o2', account: '-', amount: 2 },
      { kind: 'settle' },
      { kind: 'publish', event: 'PaymentCaptured', id: 'p3', account: 'A', amount: 300 },
    ];
    const result = await world.run(new Program(steps));
    expect(result.rejected.map((r) => r.pub.number)).toEqual([1, 2, 3]);
    expect(result.rejected[0]!.error).toMatch(/cannot fit: its attributes alone/);
    expect(result.rejected[1]!.error).toMatch(/an earlier message of FIFO group '.*-A' failed/);
    expect(result.pubs.map((p) => p.number)).toEqual([4, 5]);
    expect(violationsOf(result, CLOUD_CONSUMERS)).toBe('');
  }, 120_000);

  it('a request asked again under its key — a large answer kept by claim-check included — gets the same answer, never null; a keyless repeat is refused at once; each job runs once', async () => {
    const steps: Step[] = [
      { kind: 'request', job: 3, keyed: true },
      { kind: 'request', job: 3, keyed: true },
      { kind: 'request', job: 1, keyed: false },
      { kind: 'settle' },
      { kind: 'request', job: 3, keyed: true },
      { kind: 'request', job: 1, keyed: false },
    ];
    const result = await world.run(new Program(steps));
    const settled = [...result.requests].sort((a, b) => a.call.number - b.call.number);
    expect(settled.map((r) => (r.error === undefined ? 'answered' : r.error.split(':')[0]))).toEqual(
      ['answered', 'answered', 'answered', 'answered', 'The consumer answered correlationId …'].map((s, i) =>
        i === 4 ? expect.stringMatching(/^The consumer answered correlationId/) : s,
      ),
    );
    expect(violationsOf(result, CLOUD_CONSUMERS)).toBe('');
  }, 120_000);
});
