import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Stack } from 'aws-cdk-lib';
import type { SQSEvent } from 'aws-lambda';
import { startLocalCloud, type LocalCloud, type StartLocalCloudOptions } from '../../local/index.ts';
import { sharedDynamoDb } from './shared-dynamodb.ts';
import { synthFixture } from '../local/fixtures/fixture-app.ts';

export async function startFixture(
  stackName: string,
  build: (stack: Stack) => void,
  options: Partial<StartLocalCloudOptions> = {},
): Promise<LocalCloud> {
  const assemblyDir = synthFixture(stackName, build);
  return startLocalCloud({ assemblyDir, stackName, dynamodb: sharedDynamoDb(), ...options });
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An SQS event of one record that makes the probe function sleep `ms` before it answers. */
export const sleepingProbeEvent = (id: string, ms: number) => ({
  Records: [
    {
      messageId: id,
      receiptHandle: 'r',
      body: JSON.stringify({ id, mode: 'sleep', ms }),
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: {},
    },
  ],
});

/** The physical id (queue URL, name…) of the resource whose logical id starts with `prefix`. */
export function physicalId(cloud: LocalCloud, prefix: string, type?: string): string {
  const found = cloud.resources.all().filter((r) => r.logicalId.startsWith(prefix) && (!type || r.type === type));
  if (found.length !== 1)
    throw new Error(`expected one resource '${prefix}*', found ${found.map((r) => r.logicalId).join(', ') || 'none'}`);
  return found[0]!.physicalId;
}

export interface ProbeInvocation {
  readonly at: number;
  readonly functionName: string;
  readonly event: SQSEvent;
  readonly remainingMs: number;
  readonly env: Record<string, string | number | undefined>;
}

/** Every invocation the probe functions recorded, oldest first. */
export async function probeInvocations(cloud: LocalCloud, tablePrefix = 'Results'): Promise<ProbeInvocation[]> {
  const Items: Record<string, AttributeValue>[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await cloud.clients.dynamodb.send(
      new ScanCommand({ TableName: physicalId(cloud, tablePrefix, 'AWS::DynamoDB::Table'), ExclusiveStartKey }),
    );
    Items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return Items.map((i) => ({
    at: Number(i.at!.N),
    functionName: i.functionName!.S!,
    event: JSON.parse(i.event!.S!) as SQSEvent,
    remainingMs: Number(i.remainingMs!.N),
    env: JSON.parse(i.env!.S!) as Record<string, string | number | undefined>,
  })).sort((a, b) => a.at - b.at);
}

export const bodies = (invocations: readonly ProbeInvocation[]) =>
  invocations.flatMap((i) => i.event.Records.map((r) => JSON.parse(r.body) as Record<string, unknown>));
