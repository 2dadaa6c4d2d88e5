import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { LocalCloud } from '../../../../local/index.ts';
import { startShopCloud } from './shop-cloud.ts';

/**
 * Where the end-to-end suite runs: the embedded local cloud (default), or a real deployment when
 * FANOUT_E2E_STACK names a deployed stack (credentials, region and an optional AWS_ENDPOINT_URL —
 * e.g. LocalStack via cdklocal — come from the usual AWS environment variables).
 */
export interface E2eTarget {
  readonly outputs: Readonly<Record<string, string>>;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBClient;
  /** Present only for the local cloud (chaos hooks, alarm state without CloudWatch). */
  readonly local?: LocalCloud;
  alarmState(alarmName: string): Promise<string | undefined>;
  stop(): Promise<void>;
}

export const REAL_STACK = process.env.FANOUT_E2E_STACK;

async function realTarget(stackName: string): Promise<E2eTarget> {
  const { Stacks = [] } = await new CloudFormationClient({}).send(new DescribeStacksCommand({ StackName: stackName }));
  const outputs = Object.fromEntries((Stacks[0]?.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));
  const cloudwatch = new CloudWatchClient({});
  return {
    outputs,
    sns: new SNSClient({}),
    sqs: new SQSClient({}),
    dynamodb: new DynamoDBClient({}),
    async alarmState(alarmName) {
      const { MetricAlarms = [] } = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName] }));
      return MetricAlarms[0]?.StateValue;
    },
    stop: async () => undefined,
  };
}

async function localTarget(): Promise<E2eTarget> {
  const cloud = await startShopCloud();
  return {
    outputs: cloud.outputs,
    sns: cloud.clients.sns,
    sqs: cloud.clients.sqs,
    dynamodb: cloud.clients.dynamodb,
    local: cloud,
    alarmState: async (alarmName) => cloud.alarms().find((a) => a.alarmName === alarmName)?.state,
    stop: () => cloud.stop(),
  };
}

export function e2eTarget(): Promise<E2eTarget> {
  return REAL_STACK ? realTarget(REAL_STACK) : localTarget();
}
