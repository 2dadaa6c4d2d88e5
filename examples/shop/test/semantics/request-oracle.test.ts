import { describe, expect, it } from 'vitest';
import { requestCalls } from './history.ts';
import type { DeadLetterSeen } from './observations.ts';
import { checkRequests, expectedAnswer } from './request-oracle.ts';
import { RUNTIME_DEFAULTS } from '../../../../lambdas/runtime/limits.ts';

const [first, again] = requestCalls(
  [
    { kind: 'request', job: 3, keyed: true },
    { kind: 'request', job: 3, keyed: true },
  ],
  't',
);

describe("the checker's request/reply oracle", () => {
  const answer = expectedAnswer(first!.payload);
  const rows = new Map([['t-j3', { runs: 1, result: answer.result }]]);

  it('works out the large answer on its own, too large to keep inline on the idempotency record', () => {
    expect(first!.payload.input).toHaveLength(100_000);
    expect(answer.result).toHaveLength(100_000);
    expect(answer.result).toMatch(/^lorem ipsum dolor sit amet, lorem/);
    expect(Buffer.byteLength(JSON.stringify(answer))).toBeGreaterThan(RUNTIME_DEFAULTS.storedResultMaxBytes);
  });

  it('holds when every request gets the answer and the job ran once', () => {
    expect(
      checkRequests(
        [
          { call: first!, answer },
          { call: again!, answer },
        ],
        rows,
        [],
      ),
    ).toEqual([]);
  });

  it('flags a repeated request resolved with null, a job run twice and a dead-lettered request', () => {
    const violations = checkRequests(
      [
        { call: first!, answer },
        { call: again!, answer: null },
      ],
      new Map([['t-j3', { runs: 2, result: answer.result }]]),
      [{ eventType: 'JobRequested', payload: {}, key: undefined, reason: undefined }],
    );
    expect(violations.map((v) => v.detail)).toEqual([
      expect.stringMatching(/^request #2 \(t-j3\) resolved null, expected \{"jobId":"t-j3","result":"lorem ipsum/),
      'job t-j3 ran 2 times, expected once',
      '1 request(s) dead-lettered: redriven',
    ]);
  });

  it('counts a request dead-lettered twice across a crash once, by its producer key', () => {
    const [keyed, keyless] = requestCalls(
      [
        { kind: 'request', job: 1, keyed: true },
        { kind: 'request', job: 1, keyed: false },
      ],
      'c',
    );
    const small = expectedAnswer(keyed!.payload);
    const refused =
      "IdempotencyKeyReusedError: idempotency key 'jobs#c-j1' already belongs to the message with producer key k";
    const copy = {
      eventType: 'JobRequested',
      payload: keyless!.payload,
      key: 'minted-1',
      reason: { kind: 'idempotency-key-reused' },
    } as unknown as DeadLetterSeen;
    const rowsOfC = new Map([['c-j1', { runs: 1, result: small.result }]]);
    const seen = [
      { call: keyed!, answer: small },
      { call: keyless!, error: refused },
    ];
    expect(checkRequests(seen, rowsOfC, [copy, copy])).toEqual([]);
    expect(checkRequests(seen, rowsOfC, [copy, { ...copy, key: 'minted-2' }]).map((v) => v.detail)).toEqual([
      '2 request(s) dead-lettered as key reuse, 1 refused as such',
    ]);
  });
});
