import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAUNCHER_SOURCE_SHA256 } from '../../local/dynamodb-launcher/launcher-class.ts';

describe('the DynamoDB Local launcher class', () => {
  it('was compiled from the source beside it (else: npx tsx scripts/build-dynamodb-launcher.ts)', () => {
    const source = readFileSync(join(import.meta.dirname, '../../local/dynamodb-launcher/FanoutDynamoDbLocal.java'));
    expect(createHash('sha256').update(source).digest('hex')).toBe(LAUNCHER_SOURCE_SHA256);
  });
});
