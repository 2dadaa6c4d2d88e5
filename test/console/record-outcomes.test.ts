import { expect, it } from 'vitest';
import { outcomeEntry } from '../../console/record-outcomes.ts';
import { formatOutcomeLine } from '../../contracts/outcome-log.ts';

it('turns the line the runtime writes into the console entry, and ignores every other line', () => {
  const line = formatOutcomeLine({
    level: 'WARN',
    timestamp: '2026-12-01T00:00:00.000Z',
    message: 'record outcome',
    consumer: 'analytics',
    messageId: 'm-1',
    outcome: 'shed',
    reason: 'backlog 1200 over maxDepth 1000: oldest dropped',
  });
  expect(outcomeEntry('fanout-dev-analytics', line, 7)).toEqual({
    t: 7,
    consumer: 'analytics',
    functionName: 'fanout-dev-analytics',
    outcome: 'shed',
    messageId: 'm-1',
    reason: 'backlog 1200 over maxDepth 1000: oldest dropped',
  });
  expect(outcomeEntry('f', '{"message":"shedding check failed","consumer":"analytics"}', 7)).toBeUndefined();
  expect(outcomeEntry('f', line.replace('"shed"', '"vanished"'), 7)).toBeUndefined();
});
