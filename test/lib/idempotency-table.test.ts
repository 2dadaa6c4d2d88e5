import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_RECORD } from '../../contracts/idempotency-record.ts';
import { PREFIX } from './support/expected.ts';
import { synthesize } from './support/synth.ts';
import { findBy } from './support/template-helpers.ts';

/** The table the stack creates has the key and TTL attribute the runtime's store writes (contracts/idempotency-record.ts). */
describe('idempotency table', () => {
  it('is keyed by the record id and expires records by their expiresAt attribute', () => {
    const [, table] = findBy(synthesize('dev').template, 'AWS::DynamoDB::Table', 'TableName', `${PREFIX}-idempotency`);
    expect(table.Properties.KeySchema).toEqual([{ AttributeName: IDEMPOTENCY_RECORD.id, KeyType: 'HASH' }]);
    expect(table.Properties.TimeToLiveSpecification).toEqual({
      AttributeName: IDEMPOTENCY_RECORD.expiresAt,
      Enabled: true,
    });
  });
});
