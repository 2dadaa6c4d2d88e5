import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import { Batcher, type BatcherClock, type EntryOutcome } from '../../client/batcher.ts';

/** A clock the test steps: linger and backoff timers run when the test says, not when a real timer fires. */
function manualClock() {
  let now = 0;
  let timers: { due: number; task: () => void }[] = [];
  const clock: BatcherClock = {
    now: () => now,
    after: (ms, task) => {
      const timer = { due: now + ms, task };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
  };
  const advance = async (ms: number) => {
    now += ms;
    for (;;) {
      const due = timers.filter((t) => t.due <= now).sort((a, b) => a.due - b.due)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      due.task();
    }
    await settled();
  };
  return { clock, advance };
}

/** Lets promise callbacks (slot starts, send results) run. */
const settled = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

/** A destination whose sends the test answers one at a time. */
function destination() {
  const calls: { requests: readonly string[]; answer: (outcomes: EntryOutcome[] | Error) => void }[] = [];
  const send = (requests: readonly string[]) =>
    new Promise<EntryOutcome[]>((resolve, reject) =>
      calls.push({ requests, answer: (o) => (o instanceof Error ? reject(o) : resolve(o)) }),
    );
  const accept = (call: (typeof calls)[number]) =>
    call.answer(call.requests.map((r) => ({ ok: true, messageId: `id-${r}` })));
  return { calls, send, accept };
}

const settings = { maxBatchBytes: 1_000, lingerMs: 5, maxAttempts: 3, backoffBaseMs: 10, backoffMaxMs: 10 };

describe('Batcher', () => {
  it('holds a partial batch for the linger, then sends it as one batch', async () => {
    const { clock, advance } = manualClock();
    const dest = destination();
    const batcher = new Batcher(dest.send, pLimit(8), { ...settings, clock });
    const sent = ['a', 'b', 'c'].map((r, seq) => {
      const place = batcher.reserve({ seq, groupId: undefined, label: r });
      place.ready(r, 10);
      return place.sent;
    });
    await advance(4);
    expect(dest.calls).toHaveLength(0);
    await advance(1);
    expect(dest.calls.map((c) => c.requests)).toEqual([['a', 'b', 'c']]);
    dest.accept(dest.calls[0]!);
    expect(await Promise.all(sent)).toEqual(['id-a', 'id-b', 'id-c']);
    await batcher.idle();
  });

  it('sends at once on flushNow, without waiting for the linger', async () => {
    const { clock } = manualClock();
    const dest = destination();
    const batcher = new Batcher(dest.send, pLimit(8), { ...settings, clock });
    batcher.reserve({ seq: 0, groupId: undefined, label: 'a' }).ready('a', 10);
    batcher.flushNow();
    await settled();
    expect(dest.calls.map((c) => c.requests)).toEqual([['a']]);
  });

  it('sends a full batch of 10 without lingering, and splits by the byte limit', async () => {
    const { clock, advance } = manualClock();
    const dest = destination();
    const batcher = new Batcher(dest.send, pLimit(8), { ...settings, maxBatchBytes: 45, clock });
    for (let seq = 0; seq < 10; seq++)
      batcher.reserve({ seq, groupId: undefined, label: `${seq}` }).ready(`${seq}`, 10);
    await advance(0);
    expect(dest.calls.map((c) => c.requests)).toEqual([
      ['0', '1', '2', '3'],
      ['4', '5', '6', '7'],
      ['8', '9'],
    ]);
  });

  it('keeps batches in flight within the slots shared by every destination', async () => {
    const { clock, advance } = manualClock();
    const slots = pLimit(2);
    const [orders, jobs] = [destination(), destination()];
    const a = new Batcher(orders.send, slots, { ...settings, maxBatchBytes: 10, clock });
    const b = new Batcher(jobs.send, slots, { ...settings, maxBatchBytes: 10, clock });
    for (let seq = 0; seq < 10; seq++) a.reserve({ seq, groupId: undefined, label: 'o' }).ready(`o${seq}`, 10);
    for (let seq = 0; seq < 10; seq++) b.reserve({ seq, groupId: undefined, label: 'j' }).ready(`j${seq}`, 10);
    await advance(0);
    expect(orders.calls.length + jobs.calls.length).toBe(2);
    orders.accept(orders.calls[0]!);
    await settled();
    expect(orders.calls.length + jobs.calls.length).toBe(3);
    expect(slots.activeCount).toBe(2);
  });

  it('FIFO: one message per group per batch; the next waits until the previous was accepted', async () => {
    const { clock, advance } = manualClock();
    const dest = destination();
    const batcher = new Batcher(dest.send, pLimit(8), { ...settings, clock });
    const groups = ['g1', 'g1', 'g2'];
    for (const [seq, groupId] of groups.entries())
      batcher.reserve({ seq, groupId, label: `${seq}` }).ready(`${seq}`, 10);
    await advance(5);
    expect(dest.calls.map((c) => c.requests)).toEqual([['0', '2']]);
    await advance(100);
    expect(dest.calls).toHaveLength(1);
    dest.accept(dest.calls[0]!);
    await settled();
    expect(dest.calls.map((c) => c.requests)).toEqual([['0', '2'], ['1']]);
  });

  it('retries a retryable entry after its backoff, on the clock', async () => {
    const { clock, advance } = manualClock();
    const dest = destination();
    const batcher = new Batcher(dest.send, pLimit(8), { ...settings, lingerMs: 0, clock });
    const place = batcher.reserve({ seq: 0, groupId: undefined, label: 'a' });
    place.ready('a', 10);
    await advance(0);
    dest.calls[0]!.answer([{ ok: false, code: 'InternalError', message: 'try again', retryable: true }]);
    await settled();
    expect(dest.calls).toHaveLength(1);
    await advance(10);
    expect(dest.calls).toHaveLength(2);
    dest.accept(dest.calls[1]!);
    expect(await place.sent).toBe('id-a');
  });

  it("a message that cannot be prepared fails its FIFO group's later messages, not the earlier ones", async () => {
    const { clock, advance } = manualClock();
    const dest = destination();
    const batcher = new Batcher(dest.send, pLimit(8), { ...settings, clock });
    const first = batcher.reserve({ seq: 0, groupId: 'g', label: 'first' });
    const second = batcher.reserve({ seq: 1, groupId: 'g', label: 'second' });
    const third = batcher.reserve({ seq: 2, groupId: 'g', label: 'third' });
    second.cancel(new Error('upload failed'));
    await expect(second.sent).rejects.toThrow('upload failed');
    await expect(third.sent).rejects.toThrow("third was not sent: an earlier message of FIFO group 'g' failed");
    third.ready('late', 10); // ignored: it left the line
    first.ready('first', 10);
    await advance(5);
    expect(dest.calls.map((c) => c.requests)).toEqual([['first']]);
    dest.accept(dest.calls[0]!);
    expect(await first.sent).toBe('id-first');
    await batcher.idle();
  });

  it('ignores a cancel once the message is ready: it is sent, and its FIFO group goes on', async () => {
    const { clock, advance } = manualClock();
    const dest = destination();
    const batcher = new Batcher(dest.send, pLimit(8), { ...settings, clock });
    const first = batcher.reserve({ seq: 0, groupId: 'g', label: 'first' });
    const second = batcher.reserve({ seq: 1, groupId: 'g', label: 'second' });
    first.ready('first', 10);
    first.cancel(new Error('too late'));
    second.ready('second', 10);
    await advance(5);
    dest.accept(dest.calls[0]!);
    expect(await first.sent).toBe('id-first');
    first.cancel(new Error('after it was sent'));
    await advance(5);
    dest.accept(dest.calls[1]!);
    expect(await second.sent).toBe('id-second');
    expect(dest.calls.map((c) => c.requests)).toEqual([['first'], ['second']]);
  });
  it('a message larger than any batch leaves the line at once, with its FIFO group; nothing waits on it', async () => {
    const { clock, advance } = manualClock();
    const dest = destination();
    const batcher = new Batcher(dest.send, pLimit(8), { ...settings, clock });
    const outcome = (p: Promise<string>) =>
      p.then(
        (id) => `sent ${id}`,
        (e: Error) => `${e.name}: ${e.message}`,
      );
    const big = batcher.reserve({ seq: 0, groupId: 'g', label: 'big' });
    const next = batcher.reserve({ seq: 1, groupId: 'g', label: 'next' });
    const other = batcher.reserve({ seq: 2, groupId: 'h', label: 'other' });
    const outcomes = [big, next, other].map((p) => outcome(p.sent));
    other.ready('other', 10);
    big.ready('big', 1_001);
    next.ready('next', 10);
    await advance(5);
    expect(dest.calls.map((c) => c.requests)).toEqual([['other']]);
    dest.accept(dest.calls[0]!);
    expect(await Promise.all(outcomes)).toEqual([
      'PayloadTooLargeError: big is 1001 bytes, more than a batch request may carry (1000); it was not sent. Fix: shrink the payload or its attributes.',
      "PublishFailedError: next was not sent: an earlier message of FIFO group 'g' failed, and sending this one would break the group's order. Fix: resolve the first failure, then publish again.",
      'sent id-other',
    ]);
    await batcher.idle();
  });
});
