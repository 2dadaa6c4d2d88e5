import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED_ENDPOINTS, PREFIX, queueName } from './support/expected.ts';
import { synthesize } from './support/synth.ts';
import { asList, findBy, findQueue, getAtt, joinToString, ofType, referencedId } from './support/template-helpers.ts';

let template: Template;
beforeAll(() => {
  template = synthesize('dev').template;
});

/** Every statement of a consumer's role policies. */
function roleStatements(endpoint: string): Record<string, any>[] {
  const [, fn] = findBy(template, 'AWS::Lambda::Function', 'FunctionName', `${PREFIX}-${endpoint}`);
  const roleId = referencedId(fn.Properties.Role);
  return ofType(template, 'AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: unknown) => referencedId(r) === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}

const idempotencyTableId = () => findBy(template, 'AWS::DynamoDB::Table', 'TableName', `${PREFIX}-idempotency`)[0];
const grantsOn = (endpoint: string, logicalId: string) =>
  roleStatements(endpoint).filter((s) => asList(s.Resource).some((r) => referencedId(r) === logicalId));

describe('the payments FIFO chain', () => {
  it('is FIFO end to end: topic, queues, DLQs and subscription DLQs', () => {
    const [, topic] = findBy(template, 'AWS::SNS::Topic', 'TopicName', `${PREFIX}-payments.fifo`);
    expect(topic.Properties.FifoTopic).toBe(true);
    expect(topic.Properties.ContentBasedDeduplication).toBe(true);
    expect(topic.Properties.ArchivePolicy).toEqual({ MessageRetentionPeriod: 30 });
    for (const name of ['ledger', 'audit']) {
      for (const suffix of ['', '-dlq', '-sub-dlq']) {
        const [, queue] = findQueue(template, `${PREFIX}-${name}${suffix}.fifo`);
        expect(queue.Properties.FifoQueue, `${name}${suffix}`).toBe(true);
      }
    }
  });

  it('keeps standard topics standard, without archive or content-based deduplication', () => {
    for (const name of ['orders', 'ops-alarms']) {
      const [, topic] = findBy(template, 'AWS::SNS::Topic', 'TopicName', `${PREFIX}-${name}`);
      expect(topic.Properties.FifoTopic).toBeUndefined();
      expect(topic.Properties.ContentBasedDeduplication).toBeUndefined();
      expect(topic.Properties.ArchivePolicy).toBeUndefined();
    }
  });
});

describe('at-most-once (analytics)', () => {
  const analytics = EXPECTED_ENDPOINTS.find((e) => e.name === 'analytics')!;

  it('has no redrive and no DLQ, and its consumer may send to no queue', () => {
    const [, queue] = findQueue(template, queueName(analytics));
    expect(queue.Properties.RedrivePolicy).toBeUndefined();
    expect(roleStatements('analytics').filter((s) => asList(s.Action).includes('sqs:SendMessage'))).toEqual([]);
  });

  it('can receive, delete and read attributes of its own queue to shed the oldest messages', () => {
    const [queueId] = findQueue(template, queueName(analytics));
    const actions = grantsOn('analytics', queueId).flatMap((s) => asList(s.Action));
    expect(actions).toEqual(
      expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes']),
    );
  });
});

describe.each(EXPECTED_ENDPOINTS.map((e) => [e.name, e] as const))('consumer %s grants', (name, e) => {
  // exactly-once keeps a record per message; at-most-once claims each key once.
  const keepsRecords = e.delivery !== 'at-least-once';
  it(`${keepsRecords ? 'has' : 'has no'} read/write on the idempotency table`, () => {
    const grants = grantsOn(name, idempotencyTableId());
    if (keepsRecords) {
      expect(grants.flatMap((s) => asList(s.Action))).toEqual(
        expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']),
      );
    } else {
      expect(grants).toEqual([]);
    }
  });

  it('reads and writes exactly the tables its consumer declares', () => {
    const tableIds = ofType(template, 'AWS::DynamoDB::Table')
      .filter(([, t]) => t.Properties.TableName !== `${PREFIX}-idempotency`)
      .map(([id, t]) => [id, String(t.Properties.TableName).slice(PREFIX.length + 1)] as const);
    const granted = tableIds.filter(([id]) => grantsOn(name, id).length > 0).map(([, table]) => table);
    expect(granted).toEqual([...e.tables]);
  });

  it('sends only to its own DLQ (and, taking requests, to reply queues), with the KMS actions that needs', () => {
    const isReplyGrant = (s: Record<string, any>) => s.Action === 'sqs:SendMessage' && e.name === 'jobs';
    const sends = roleStatements(name).filter((s) => asList(s.Action).includes('sqs:SendMessage') && !isReplyGrant(s));
    if (e.maxReceiveCount === undefined) return expect(sends).toEqual([]);
    const [dlqId] = findQueue(template, queueName(e, '-dlq'));
    expect(sends).toEqual([expect.objectContaining({ Resource: getAtt(dlqId, 'Arn') })]);
    const keyId = referencedId(findQueue(template, queueName(e, '-dlq'))[1].Properties.KmsMasterKeyId);
    const keyActions = grantsOn(name, keyId!).flatMap((s) => asList(s.Action));
    expect(keyActions).toEqual(expect.arrayContaining(['kms:GenerateDataKey', 'kms:Decrypt']));
  });
});

describe('request/reply (jobs)', () => {
  const sendsReplies = (endpoint: string) =>
    roleStatements(endpoint).filter((s) =>
      asList(s.Resource).some((r) => isJoin(r) && joinToString(r).endsWith(`:${PREFIX}-reply-*`)),
    );
  const isJoin = (value: unknown) => typeof value === 'object' && value !== null && 'Fn::Join' in value;

  it("lets the jobs consumer send only sqs:SendMessage to this stack's reply queues", () => {
    const statements = sendsReplies('jobs');
    expect(statements).toHaveLength(1);
    expect(statements[0]!.Action).toBe('sqs:SendMessage');
    expect(asList(statements[0]!.Resource).map(joinToString)).toEqual([`arn:TOKEN:sqs:TOKEN:TOKEN:${PREFIX}-reply-*`]);
  });

  it('gives no reply grant to consumers whose queue does not take requests', () => {
    for (const endpoint of ['inventory', 'email', 'warehouse', 'analytics', 'ledger', 'audit']) {
      expect(sendsReplies(endpoint), endpoint).toEqual([]);
    }
  });
});
