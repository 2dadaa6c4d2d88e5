import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, CreateChangeSetCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, PutMetricDataCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMessageBody } from '../../client/claim-check.ts';
import { createPublisher } from '../../client/publisher.ts';
import { resolveTopology } from '../../topology/resolve.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { drain } from '../support/drain.ts';
import type { Template } from './support/moto-deploy.ts';
import { MOTO_REGION, motoClientConfig, motoProcessEnv } from './support/moto-env.ts';
import { freePort, missingPrerequisites, type MotoServer } from './support/moto-server.ts';
import { deployFixtureStack, type MotoFixtureStack, runFanout } from './support/moto-stack.ts';

const STACK = 'fanout-dev';
const resolved = resolveTopology(fixtureTopology, 'dev');
const missing = missingPrerequisites();

if (missing && process.env.CI !== 'true') {
  console.warn(`test/aws/moto.test.ts skipped: ${missing}.`);
}

(missing && process.env.CI !== 'true' ? describe.skip : describe)('the AWS code paths against moto', () => {
  let stack: MotoFixtureStack;
  let moto: MotoServer;
  let template: Template;
  let outputs: Readonly<Record<string, string>>;
  let sqs: SQSClient;
  let dir: string;

  beforeAll(async () => {
    if (missing) throw new Error(`CI=true and ${missing}: the moto suite must run in CI.`);
    stack = await deployFixtureStack(STACK);
    moto = stack.moto;
    template = stack.template;
    outputs = stack.outputs;
    sqs = new SQSClient(motoClientConfig(moto.endpoint));
    dir = mkdtempSync(join(tmpdir(), 'fanout-moto-'));
  });
  afterAll(async () => {
    sqs?.destroy();
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const fanout = (...args: string[]) =>
    runFanout({ ...motoProcessEnv(moto.endpoint), FANOUT_LOCAL_REGISTRY: join(dir, 'none.json') }, ...args);

  const queueUrl = (endpoint: string) => outputs[OUTPUT_KEYS.queueUrl(endpoint)]!;
  const dlqUrl = (endpoint: string) => outputs[OUTPUT_KEYS.deadLetterQueueUrl(endpoint)]!;
  /** Event types of the messages of an SNS-fed queue, through the envelope unless delivery is raw. */
  const eventTypes = (messages: Message[]) =>
    messages
      .map(
        (m) =>
          m.MessageAttributes?.eventType?.StringValue ??
          (JSON.parse(m.Body!) as { MessageAttributes: { eventType: { Value: string } } }).MessageAttributes.eventType
            .Value,
      )
      .sort();

  const placed = {
    orderId: 'o-1',
    customerId: 'c-1',
    email: 'a@b.co',
    items: [{ sku: 's-1', quantity: 2 }],
    totalCents: 700,
  };
  const shipped = { orderId: 'o-1', email: 'a@b.co', carrier: 'ups', trackingId: 't-1' };

  it('fanout publish sends a file of events to the topic; the subscriptions filter them into their queues', async () => {
    const file = join(dir, 'orders.ndjson');
    writeFileSync(
      file,
      [
        JSON.stringify({ eventType: 'CartPlaced', payload: placed }),
        JSON.stringify({ eventType: 'CartShipped', payload: shipped }),
      ].join('\n'),
    );
    const { code, stdout, stderr } = await fanout('publish', 'orders', '--file', file, '--target', 'aws');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(`Published 2 of 2 event(s) from ${file} to topic 'orders'.\n`);
    const [inventory, email, warehouse, analytics] = await Promise.all(
      ['inventory', 'email', 'warehouse', 'analytics'].map((e) => drain(sqs, queueUrl(e))),
    );
    expect(eventTypes(inventory!)).toEqual(['CartPlaced']);
    expect(eventTypes(email!)).toEqual(['CartPlaced', 'CartShipped']);
    expect(eventTypes(warehouse!)).toEqual(['CartPlaced']);
    expect(eventTypes(analytics!)).toEqual(['CartPlaced', 'CartShipped']);
    const envelope = JSON.parse(inventory![0]!.Body!) as { Type: string; TopicArn: string; Message: string };
    expect(envelope.Type).toBe('Notification');
    expect(envelope.TopicArn).toBe(outputs[OUTPUT_KEYS.topicArn('orders')]);
    expect(JSON.parse(envelope.Message)).toEqual(placed);
    const raw = analytics!.find((m) => m.MessageAttributes!.eventType!.StringValue === 'CartShipped')!;
    expect(JSON.parse(raw.Body!)).toEqual(shipped);
    expect(raw.MessageAttributes!.correlationId?.StringValue).toMatch(/.+/);
  });

  it("fanout publish of a payload over the message limit stores it in the stack's payload bucket and sends the pointer", async () => {
    const cancelled = { orderId: 'o-big', reason: 'x'.repeat(300_000) };
    const file = join(dir, 'big.ndjson');
    writeFileSync(file, JSON.stringify({ eventType: 'CartCancelled', payload: cancelled }));
    const { code, stdout, stderr } = await fanout('publish', 'orders', '--file', file, '--target', 'aws');
    expect({ code, stdout, stderr }).toEqual({
      code: 0,
      stdout: `Published 1 of 1 event(s) from ${file} to topic 'orders'.\n`,
      stderr: '',
    });
    const [inventory, analytics] = await Promise.all([
      drain(sqs, queueUrl('inventory')),
      drain(sqs, queueUrl('analytics')),
    ]);
    expect(eventTypes(inventory)).toEqual(['CartCancelled']);
    const [raw, ...rest] = analytics;
    expect(rest).toEqual([]);
    const pointer = (JSON.parse(raw!.Body!) as { fanoutClaimCheck: { bucket: string } }).fanoutClaimCheck;
    expect(pointer.bucket).toBe(outputs[OUTPUT_KEYS.payloadBucketName]);
    const s3 = new S3Client({ ...motoClientConfig(moto.endpoint), forcePathStyle: true });
    try {
      expect(JSON.parse(await resolveMessageBody(s3, raw!.Body!, raw!.MessageAttributes))).toEqual(cancelled);
    } finally {
      s3.destroy();
    }
  });

  it('fanout publish of an invalid event names the line, the field and the rule, and sends nothing', async () => {
    const file = join(dir, 'bad.ndjson');
    writeFileSync(file, JSON.stringify({ eventType: 'CartShipped', payload: { ...shipped, email: 'not-an-email' } }));
    const { code, stdout, stderr } = await fanout('publish', 'orders', '--file', file, '--target', 'aws');
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(
      'InvalidInputFileError: 1 invalid line(s); nothing was sent:\n' +
        "  line 1: Payload of event type 'CartShipped' is invalid: field 'email' breaks rule 'email' (Invalid email: Received \"not-an-email\"). " +
        "Fix: send a payload that satisfies the 'CartShipped' schema in the topology.\n",
    );
    expect(await drain(sqs, queueUrl('email'))).toEqual([]);
  });

  /** The template's alarms per endpoint (the owner is in the alarm name: `<prefix>-<endpoint>-<kind>`). */
  const alarmsPerEndpoint = () =>
    Object.fromEntries(
      resolved.endpoints.map((e) => [
        e.name,
        Object.values(template.Resources).filter(
          (r) =>
            r.Type === 'AWS::CloudWatch::Alarm' &&
            (r.Properties!.AlarmName as string).startsWith(`${resolved.prefix}-${e.name}-`),
        ).length,
      ]),
    );

  it('fanout status --target aws lists every queue of the stack with depths, DLQ depth, age and alarms from CloudWatch', async () => {
    const cloudwatch = new CloudWatchClient(motoClientConfig(moto.endpoint));
    try {
      await cloudwatch.send(
        new SetAlarmStateCommand({
          AlarmName: `${resolved.prefix}-inventory-dlq`,
          StateValue: 'ALARM',
          StateReason: 'test',
        }),
      );
      await cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: 'AWS/SQS',
          MetricData: [
            {
              MetricName: 'ApproximateAgeOfOldestMessage',
              Dimensions: [{ Name: 'QueueName', Value: `${resolved.prefix}-inventory` }],
              Value: 42,
              Timestamp: new Date(Date.now() - 30_000),
            },
          ],
        }),
      );
    } finally {
      cloudwatch.destroy();
    }
    await Promise.all(
      [1, 2].map((n) =>
        sqs.send(new SendMessageCommand({ QueueUrl: queueUrl('inventory'), MessageBody: `{"n":${n}}` })),
      ),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl('warehouse'), MessageBody: '{}' }));

    const { code, stdout, stderr } = await fanout('status', '--target', 'aws');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.split('\n')[0]).toMatch(/^Stack fanout-dev \(CloudFormation, region us-east-1\) at \d{4}-/);
    const rows = stdout
      .split('\n')
      .filter((l) => l.startsWith('│') && !l.includes('subscriber'))
      .map((l) =>
        l
          .split('│')
          .slice(1, -1)
          .map((c) => c.trim()),
      );
    expect(rows.map((r) => r[0])).toEqual(resolved.endpoints.map((e) => `${e.path}${e.fifo ? ' (fifo)' : ''}`));
    const expectedAlarms = alarmsPerEndpoint();
    for (const [i, e] of resolved.endpoints.entries()) {
      const alarms =
        e.name === 'inventory' ? `dlq ALARM, ${expectedAlarms[e.name]! - 1} OK` : `${expectedAlarms[e.name]} OK`;
      const visible = e.name === 'inventory' ? '2' : '0';
      const age = e.name === 'inventory' ? '42 s' : 'n/a';
      const dlq = e.maxReceiveCount === undefined ? '-' : e.name === 'warehouse' ? '1' : '0';
      expect(rows[i]!.slice(1)).toEqual([e.delivery, visible, '0', '0', age, dlq, alarms]);
    }
    await Promise.all([drain(sqs, queueUrl('inventory')), drain(sqs, dlqUrl('warehouse'))]);
  });

  it('fanout status still shows the queues when CloudWatch cannot be read, with one line saying why and the fix', async () => {
    const port = await freePort();
    const { code, stdout, stderr } = await runFanout(
      { ...motoProcessEnv(moto.endpoint), AWS_ENDPOINT_URL_CLOUDWATCH: `http://127.0.0.1:${port}` },
      'status',
      '--target',
      'aws',
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const rows = stdout
      .split('\n')
      .filter((l) => l.startsWith('│') && !l.includes('subscriber'))
      .map((l) =>
        l
          .split('│')
          .slice(1, -1)
          .map((c) => c.trim()),
      );
    expect(rows.map((r) => [r[0], r[5], r[7]])).toEqual(
      resolved.endpoints.map((e) => [`${e.path}${e.fifo ? ' (fifo)' : ''}`, 'n/a', 'n/a']),
    );
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(
      `age and alarms: n/a (CloudWatch could not be read (Error: connect ECONNREFUSED 127.0.0.1:${port}). ` +
        'Fix: check the network and any CloudWatch endpoint override (AWS_ENDPOINT_URL_CLOUDWATCH), and that the credentials allow cloudwatch:DescribeAlarms and cloudwatch:GetMetricData.)',
    );
  });

  it('a stack with a change set not yet executed has no outputs: one line naming its state and the fix', async () => {
    const cfn = new CloudFormationClient(motoClientConfig(moto.endpoint));
    try {
      await cfn.send(
        new CreateChangeSetCommand({
          StackName: 'fanout-staging',
          ChangeSetName: 'first',
          ChangeSetType: 'CREATE',
          TemplateBody: JSON.stringify({ Resources: { Q: { Type: 'AWS::SQS::Queue' } } }),
        }),
      );
    } finally {
      cfn.destroy();
    }
    const { code, stdout, stderr } = await fanout('status', '--target', 'aws', '--stage', 'staging');
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(
      "StackOutputsError: Stack 'fanout-staging' in region us-east-1 is in state REVIEW_IN_PROGRESS: it has a change set waiting to be executed and no resources yet, " +
        'so its outputs cannot be used. Fix: execute the change set or run `npx cdk deploy -c stage=staging`, then run this again.\n',
    );
  });

  it('fanout dlq peek shows a dead-lettered message and leaves it in the DLQ', async () => {
    const { MessageId } = await sqs.send(
      new SendMessageCommand({
        QueueUrl: dlqUrl('warehouse'),
        MessageBody: JSON.stringify({ orderId: 'o-7' }),
        MessageAttributes: { eventType: { DataType: 'String', StringValue: 'CartPlaced' } },
      }),
    );
    const { code, stdout, stderr } = await fanout('dlq', 'peek', 'warehouse', '--target', 'aws');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`1 message(s) shown from ${dlqUrl('warehouse')} (still in the DLQ):`);
    const row = lines
      .find((l) => l.includes(MessageId!.slice(0, 8)))!
      .split('│')
      .slice(1, -1)
      .map((c) => c.trim());
    expect([row[2], row[3], row[4], row[5], row[6]]).toEqual([
      '1',
      '-',
      'CartPlaced',
      '(redriven by SQS)',
      '{"orderId":"o-7"}',
    ]);
    expect((await drain(sqs, dlqUrl('warehouse'))).map((m) => m.MessageId)).toEqual([MessageId]);
  });

  it('fanout dlq replay falls back to a manual move where the endpoint has no StartMessageMoveTask (moto answers 500)', async () => {
    const queueUrl = dlqUrl('warehouse').replace('-dlq', '');
    await drain(sqs, queueUrl);
    await drain(sqs, dlqUrl('warehouse'));
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: dlqUrl('warehouse'),
        MessageBody: JSON.stringify({ orderId: 'o-8' }),
        MessageAttributes: { eventType: { DataType: 'String', StringValue: 'CartPlaced' } },
      }),
    );
    const { code, stdout, stderr } = await fanout('dlq', 'replay', 'warehouse', '--target', 'aws');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('StartMessageMoveTask is not supported by this endpoint; moved manually');
    expect((await drain(sqs, queueUrl)).map((m) => m.Body)).toEqual([JSON.stringify({ orderId: 'o-8' })]);
    expect(await drain(sqs, dlqUrl('warehouse'))).toEqual([]);
  });

  it('the publisher API reads the stack from CloudFormation and publishes to a FIFO topic and a work queue', async () => {
    const endpoint = moto.endpoint;
    const connection = {
      region: MOTO_REGION,
      credentials: motoClientConfig(endpoint).credentials,
      endpoints: { cloudformation: endpoint, sns: endpoint, sqs: endpoint, s3: endpoint, cloudwatch: endpoint },
    };
    const publisher = await createPublisher({
      topology: fixtureTopology,
      target: { kind: 'cloudformation', connection },
    });
    const captured = { paymentId: 'p-1', accountId: 'a-1', amountCents: 500 };
    const job = { jobId: 'j-1', kind: 'word-count', input: 'a b c' } as const;
    try {
      await Promise.all([publisher.publish('FundsCaptured', captured), publisher.publish('TaskRequested', job)]);
    } finally {
      await publisher.close();
    }
    for (const endpointName of ['ledger', 'audit']) {
      const [m, ...rest] = await drain(sqs, queueUrl(endpointName));
      expect(rest).toEqual([]);
      expect(m!.Attributes!.MessageGroupId).toBe('a-1');
      expect(JSON.parse((JSON.parse(m!.Body!) as { Message: string }).Message)).toEqual(captured);
    }
    const [jobMessage, ...more] = await drain(sqs, queueUrl('jobs'));
    expect(more).toEqual([]);
    expect(JSON.parse(jobMessage!.Body!)).toEqual(job);
    expect(jobMessage!.MessageAttributes!.eventType!.StringValue).toBe('TaskRequested');
  });
});

describe('the AWS code paths without a reachable endpoint', () => {
  it('fanout status --target aws with an endpoint override nobody listens on: one line naming the address and the fix', async () => {
    const port = await freePort();
    const { code, stdout, stderr } = await runFanout(
      motoProcessEnv(`http://127.0.0.1:${port}`),
      'status',
      '--target',
      'aws',
    );
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(
      `StackOutputsError: Cannot reach CloudFormation to read stack 'fanout-dev': connect ECONNREFUSED 127.0.0.1:${port}. ` +
        "Fix: check the network, or the endpoint override if you use one (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_CLOUDFORMATION or the connection's endpoints.cloudformation).\n",
    );
  });
});
