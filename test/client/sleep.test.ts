import { describe, expect, it } from 'vitest';
import { sleep } from '../../client/retry.ts';

/** The one wait the client tools share (replay polling included): an abort ends it early, without an error. */
describe('sleep', () => {
  it('resolves as soon as its signal aborts', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const waiting = sleep(60_000, controller.signal);
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('resolves at once for a signal that already aborted', async () => {
    await expect(sleep(60_000, AbortSignal.abort())).resolves.toBeUndefined();
  });
});
