import { describe, expect, it } from 'vitest';
import { FunctionLogStore } from '../../local/logs/log-store.ts';
import { compileFilterPattern } from '../../local/logs/logs-api.ts';

describe('the local cloud log store', () => {
  it('keeps the newest lines of each log group up to its bound, oldest dropped first', () => {
    const store = new FunctionLogStore(3);
    for (let i = 1; i <= 5; i++) store.append('/aws/lambda/a', 'a', `a-${i}`, 1_000 + i);
    store.append('/aws/lambda/b', 'b', 'b-1', 2_000);
    const all = store.query({ logGroupName: '/aws/lambda/a', limit: 10 }).events.map((e) => e.message);
    expect(all).toEqual(['a-3', 'a-4', 'a-5']);
    expect(store.query({ logGroupName: '/aws/lambda/b', limit: 10 }).events.map((e) => e.message)).toEqual(['b-1']);
  });

  it('pages after a sequence and filters by time and pattern', () => {
    const store = new FunctionLogStore();
    for (let i = 1; i <= 4; i++) store.append('/g', 'f', i % 2 ? `odd ${i}` : `even ${i}`, 100 * i);
    const first = store.query({ logGroupName: '/g', limit: 2 });
    expect(first.more).toBe(true);
    const rest = store.query({ logGroupName: '/g', limit: 2, afterSequence: first.events.at(-1)!.sequence });
    expect([...first.events, ...rest.events].map((e) => e.message)).toEqual(['odd 1', 'even 2', 'odd 3', 'even 4']);
    expect(rest.more).toBe(false);
    const timed = store.query({ logGroupName: '/g', limit: 10, startTime: 200, endTime: 300 });
    expect(timed.events.map((e) => e.message)).toEqual(['even 2', 'odd 3']);
    const odd = store.query({ logGroupName: '/g', limit: 10, matches: compileFilterPattern('odd') });
    expect(odd.events.map((e) => e.message)).toEqual(['odd 1', 'odd 3']);
  });

  it('reads filter patterns: every term, "quoted phrases", ?any terms; JSON patterns refused', () => {
    const all = compileFilterPattern('"record outcome" failed')!;
    expect(all('{"message":"record outcome","outcome":"failed"}')).toBe(true);
    expect(all('{"message":"record outcome","outcome":"processed"}')).toBe(false);
    const any = compileFilterPattern('?ERROR ?WARN')!;
    expect([any('a WARN'), any('an ERROR'), any('INFO')]).toEqual([true, true, false]);
    expect(compileFilterPattern('  ')).toBeUndefined();
    expect(() => compileFilterPattern('{ $.level = "ERROR" }')).toThrow(
      `filterPattern '{ $.level = "ERROR" }': JSON and space-delimited patterns are not emulated locally. Fix: use terms or "quoted phrases".`,
    );
  });
});
