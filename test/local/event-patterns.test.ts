import { describe, expect, it } from 'vitest';
import { matchesPattern } from '../../local/event-patterns/match.ts';
import { passesFilterPolicy } from '../../local/event-patterns/sns-filter-policy.ts';

const event = {
  body: { kind: 'Word-Count', amount: 12, tags: ['a', 'b'], ip: '10.0.1.7', path: 'jobs/2026/x.json' },
  attributes: { MessageGroupId: 't-1' },
};
const matches = (pattern: Record<string, unknown>) => matchesPattern(pattern, event);

describe('event pattern operators (Lambda filter rule syntax)', () => {
  it.each([
    ['exact string', { body: { kind: ['Word-Count'] } }, true],
    ['exact string, other case', { body: { kind: ['word-count'] } }, false],
    ['exact number', { body: { amount: [12] } }, true],
    ['any element of an array', { body: { tags: ['b'] } }, true],
    ['prefix', { body: { kind: [{ prefix: 'Word' }] } }, true],
    ['prefix ignoring case', { body: { kind: [{ prefix: { 'equals-ignore-case': 'word' } }] } }, true],
    ['suffix', { body: { path: [{ suffix: '.json' }] } }, true],
    ['equals-ignore-case', { body: { kind: [{ 'equals-ignore-case': 'WORD-COUNT' }] } }, true],
    ['anything-but a value', { body: { kind: [{ 'anything-but': 'Word-Count' }] } }, false],
    ['anything-but a list', { body: { kind: [{ 'anything-but': ['checksum', 'sort'] }] } }, true],
    ['anything-but a prefix', { body: { kind: [{ 'anything-but': { prefix: 'Word' } }] } }, false],
    ['numeric range', { body: { amount: [{ numeric: ['>', 10, '<=', 12] }] } }, true],
    ['numeric out of range', { body: { amount: [{ numeric: ['<', 10] }] } }, false],
    ['numeric on a string', { body: { kind: [{ numeric: ['>', 0] }] } }, false],
    ['exists', { body: { amount: [{ exists: true }] } }, true],
    ['exists false on a missing key', { body: { missing: [{ exists: false }] } }, true],
    ['exists false on a present key', { body: { amount: [{ exists: false }] } }, false],
    ['cidr', { body: { ip: [{ cidr: '10.0.0.0/16' }] } }, true],
    ['cidr outside', { body: { ip: [{ cidr: '10.1.0.0/16' }] } }, false],
    ['wildcard', { body: { path: [{ wildcard: 'jobs/*/x.json' }] } }, true],
    ['$or', { $or: [{ body: { kind: ['nope'] } }, { attributes: { MessageGroupId: ['t-1'] } }] }, true],
    ['all keys must match', { body: { kind: ['Word-Count'], amount: [1] } }, false],
    ['missing key', { body: { missing: ['x'] } }, false],
  ])('%s', (_name, pattern, expected) => {
    expect(matches(pattern)).toBe(expected);
  });
});

describe('SNS filter policies (replay applies the subscription policy)', () => {
  const attributes = {
    eventType: { DataType: 'String', StringValue: 'PaymentCaptured' },
    amount: { DataType: 'Number', StringValue: '7' },
  };
  it('matches attributes, numbers typed as Number', () => {
    expect(
      passesFilterPolicy(
        JSON.stringify({ eventType: ['PaymentCaptured'], amount: [{ numeric: ['<', 10] }] }),
        undefined,
        '{}',
        attributes,
      ),
    ).toBe(true);
    expect(
      passesFilterPolicy(JSON.stringify({ eventType: ['PaymentRefunded'] }), 'MessageAttributes', '{}', attributes),
    ).toBe(false);
  });
  it('matches the body with scope MessageBody, and lets everything through without a policy', () => {
    expect(
      passesFilterPolicy(
        JSON.stringify({ accountId: ['a-1'] }),
        'MessageBody',
        JSON.stringify({ accountId: 'a-1' }),
        {},
      ),
    ).toBe(true);
    expect(passesFilterPolicy(JSON.stringify({ accountId: ['a-1'] }), 'MessageBody', 'plain', {})).toBe(false);
    expect(passesFilterPolicy(undefined, undefined, 'x', {})).toBe(true);
  });
});
