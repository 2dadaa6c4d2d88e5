import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, expect, it } from 'vitest';
import { coreOutputCount, endpointOutputCount } from '../../lib/outputs.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { resolveTopology } from '../../topology/resolve.ts';
import { EXPECTED_ENDPOINTS, PREFIX, TOPICS, queueName } from './support/expected.ts';
import { synthesize } from './support/synth.ts';
import { findBy, findQueue, getAtt, ofType, ref } from './support/template-helpers.ts';

let template: Template;
let outputs: Record<string, { Value: unknown; Export?: unknown }>;
beforeAll(() => {
  template = synthesize('dev').template;
  outputs = template.toJSON().Outputs;
});

const TABLES = ['reservations', 'sent-emails', 'picks', 'event-counts', 'ledger', 'audit-log', 'job-results'];

it('exports exactly the OUTPUT_KEYS outputs of the fixture topology', () => {
  const expected = [
    ...TOPICS.map((t) => OUTPUT_KEYS.topicArn(t.name)),
    ...EXPECTED_ENDPOINTS.flatMap((e) => [
      OUTPUT_KEYS.queueUrl(e.name),
      OUTPUT_KEYS.queueArn(e.name),
      ...(e.maxReceiveCount === undefined ? [] : [OUTPUT_KEYS.deadLetterQueueUrl(e.name)]),
      ...(e.topic === undefined ? [] : [OUTPUT_KEYS.subscriptionDeadLetterQueueUrl(e.name)]),
      OUTPUT_KEYS.functionName(e.name),
    ]),
    ...TABLES.map((t) => OUTPUT_KEYS.tableName(t)),
    OUTPUT_KEYS.idempotencyTableName,
    OUTPUT_KEYS.dashboardName,
    OUTPUT_KEYS.payloadBucketName,
    OUTPUT_KEYS.manifest,
  ];
  expect(Object.keys(outputs).sort()).toEqual(expected.sort());
});

it('points each output at its resource', () => {
  expect(outputs[OUTPUT_KEYS.topicArn('payments')]!.Value).toEqual(
    ref(findBy(template, 'AWS::SNS::Topic', 'TopicName', `${PREFIX}-payments.fifo`)[0]),
  );
  for (const e of EXPECTED_ENDPOINTS) {
    const [queueId] = findQueue(template, queueName(e));
    expect(outputs[OUTPUT_KEYS.queueUrl(e.name)]!.Value).toEqual(ref(queueId));
    expect(outputs[OUTPUT_KEYS.queueArn(e.name)]!.Value).toEqual(getAtt(queueId, 'Arn'));
    if (e.maxReceiveCount !== undefined) {
      expect(outputs[OUTPUT_KEYS.deadLetterQueueUrl(e.name)]!.Value).toEqual(
        ref(findQueue(template, queueName(e, '-dlq'))[0]),
      );
    }
    if (e.topic !== undefined) {
      const subDlq = `${PREFIX}-${e.name}-sub-dlq${e.topic === 'payments' ? '.fifo' : ''}`;
      expect(outputs[OUTPUT_KEYS.subscriptionDeadLetterQueueUrl(e.name)]!.Value).toEqual(
        ref(findQueue(template, subDlq)[0]),
      );
    }
    const [functionId] = findBy(template, 'AWS::Lambda::Function', 'FunctionName', `${PREFIX}-${e.name}`);
    expect(outputs[OUTPUT_KEYS.functionName(e.name)]!.Value).toEqual(ref(functionId));
  }
  expect(outputs[OUTPUT_KEYS.tableName('audit-log')]!.Value).toEqual(
    ref(findBy(template, 'AWS::DynamoDB::Table', 'TableName', `${PREFIX}-audit-log`)[0]),
  );
  expect(outputs[OUTPUT_KEYS.idempotencyTableName]!.Value).toEqual(
    ref(findBy(template, 'AWS::DynamoDB::Table', 'TableName', `${PREFIX}-idempotency`)[0]),
  );
  expect(outputs[OUTPUT_KEYS.dashboardName]!.Value).toEqual(ref(ofType(template, 'AWS::CloudWatch::Dashboard')[0]![0]));
  expect(outputs[OUTPUT_KEYS.payloadBucketName]!.Value).toEqual(ref(ofType(template, 'AWS::S3::Bucket')[0]![0]));
});

it('publishes a manifest of the deployed topology as plain JSON', () => {
  const manifest = JSON.parse(outputs[OUTPUT_KEYS.manifest]!.Value as string);
  expect(manifest.stage).toBe('dev');
  expect(manifest.prefix).toBe(PREFIX);
  expect(manifest.topics).toEqual([
    {
      name: 'orders',
      fifo: false,
      physicalName: 'fanout-dev-orders',
      events: ['CartPlaced', 'CartCancelled', 'CartShipped'],
      subscriptions: ['inventory', 'email', 'warehouse', 'analytics'],
    },
    {
      name: 'payments',
      fifo: true,
      physicalName: 'fanout-dev-payments.fifo',
      events: ['FundsCaptured', 'FundsRefunded'],
      subscriptions: ['ledger', 'audit'],
    },
    { name: 'ops-alarms', fifo: false, physicalName: 'fanout-dev-ops-alarms', events: [], subscriptions: [] },
  ]);
  expect(manifest.endpoints).toHaveLength(EXPECTED_ENDPOINTS.length);
  expect(manifest.endpoints.find((e: { name: string }) => e.name === 'analytics')).toEqual({
    name: 'analytics',
    kind: 'subscription',
    topic: 'orders',
    fifo: false,
    delivery: 'at-most-once',
    events: ['CartPlaced', 'CartCancelled', 'CartShipped'],
    maxReceiveCount: null,
    maxDepth: 1000,
    stack: 0,
  });
  expect(manifest.endpoints.find((e: { name: string }) => e.name === 'jobs')).toEqual({
    name: 'jobs',
    kind: 'work-queue',
    topic: null,
    fifo: false,
    delivery: 'exactly-once',
    events: ['TaskRequested'],
    maxReceiveCount: 5,
    maxDepth: null,
    stack: 0,
  });
});

it('counts for placement exactly the outputs it adds (root: its own plus room for EndpointStacks)', () => {
  const resolved = resolveTopology(fixtureTopology, 'dev');
  const counted = coreOutputCount(resolved) - 1 + resolved.endpoints.reduce((n, e) => n + endpointOutputCount(e), 0);
  expect(counted).toBe(Object.keys(outputs).length);
});
