import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStackOutputs } from '../../client/stack-outputs.ts';
import type { LocalRegistry } from '../../contracts/local-registry.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';

const NESTED = ['scale-prod-Endpoints1NestedStackResourceA-1X2Y', 'scale-prod-Endpoints2NestedStackResourceB-3Z4W'];
const nestedId = (name: string) => `arn:aws:cloudformation:eu-west-1:123456789012:stack/${name}/0f1e2d3c`;
const ROOT_OUTPUTS = {
  [OUTPUT_KEYS.topicArn('orders-a')]: 'arn:aws:sns:eu-west-1:123456789012:scale-prod-orders-a',
  [OUTPUT_KEYS.queueUrl('s001')]: 'https://sqs/scale-prod-s001',
  [OUTPUT_KEYS.endpointStacks]: NESTED.map(nestedId).join(','),
};
const NESTED_OUTPUTS = [
  { [OUTPUT_KEYS.queueUrl('s101')]: 'https://sqs/scale-prod-s101' },
  { [OUTPUT_KEYS.queueUrl('s199')]: 'https://sqs/scale-prod-s199' },
];

const cfn = mockClient(CloudFormationClient);
afterAll(() => cfn.restore());
const asOutputs = (outputs: Record<string, string>) =>
  Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue }));

describe('outputs of a topology split across nested endpoint stacks', () => {
  it('CloudFormation: the root stack and every stack its EndpointStacks output lists, merged', async () => {
    cfn.on(DescribeStacksCommand, { StackName: 'scale-prod' }).resolves({
      Stacks: [
        {
          StackName: 'scale-prod',
          StackStatus: 'UPDATE_COMPLETE',
          CreationTime: new Date(),
          Outputs: asOutputs(ROOT_OUTPUTS),
        },
      ],
    });
    for (const [i, name] of NESTED.entries())
      cfn.on(DescribeStacksCommand, { StackName: nestedId(name) }).resolves({
        Stacks: [
          {
            StackName: name,
            StackStatus: 'UPDATE_COMPLETE',
            CreationTime: new Date(),
            Outputs: asOutputs(NESTED_OUTPUTS[i]!),
          },
        ],
      });
    const outputs = await loadStackOutputs('scale', 'prod', {
      kind: 'cloudformation',
      connection: { region: 'eu-west-1' },
    });
    expect(outputs.get(OUTPUT_KEYS.queueUrl('s001'))).toBe('https://sqs/scale-prod-s001');
    expect(outputs.get(OUTPUT_KEYS.queueUrl('s101'))).toBe('https://sqs/scale-prod-s101');
    expect(outputs.get(OUTPUT_KEYS.queueUrl('s199'))).toBe('https://sqs/scale-prod-s199');
    expect(outputs.nestedStacks).toEqual(NESTED);
    expect(cfn.commandCalls(DescribeStacksCommand).map((c) => c.args[0].input.StackName)).toEqual([
      'scale-prod',
      ...NESTED.map(nestedId),
    ]);
    expect(() => outputs.require(OUTPUT_KEYS.queueUrl('s300'), "the queue of subscription 'orders-a/s300'")).toThrow(
      "Stack 'scale-prod' or its 2 nested endpoint stack(s) (CloudFormation, region eu-west-1) has no output 'QueueS300Url' for the queue of subscription 'orders-a/s300'.",
    );
  });

  it('CloudFormation: a nested stack that is not usable is named with its root', async () => {
    cfn.reset();
    cfn.on(DescribeStacksCommand, { StackName: 'scale-prod' }).resolves({
      Stacks: [
        {
          StackName: 'scale-prod',
          StackStatus: 'UPDATE_COMPLETE',
          CreationTime: new Date(),
          Outputs: asOutputs(ROOT_OUTPUTS),
        },
      ],
    });
    cfn.on(DescribeStacksCommand, { StackName: nestedId(NESTED[0]!) }).resolves({
      Stacks: [{ StackName: NESTED[0], StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date(), Outputs: [] }],
    });
    cfn
      .on(DescribeStacksCommand, { StackName: nestedId(NESTED[1]!) })
      .resolves({ Stacks: [{ StackName: NESTED[1], StackStatus: 'DELETE_IN_PROGRESS', CreationTime: new Date() }] });
    await expect(
      loadStackOutputs('scale', 'prod', { kind: 'cloudformation', connection: { region: 'eu-west-1' } }),
    ).rejects.toThrow(
      `Nested endpoint stack '${NESTED[1]}' of 'scale-prod' in region eu-west-1 is in state DELETE_IN_PROGRESS`,
    );
  });

  it('local registry: the nested stacks recorded under their own names are merged in; a missing one says to restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanout-nested-registry-'));
    try {
      const file = join(dir, 'local.json');
      const registry: LocalRegistry = {
        region: 'us-east-1',
        endpoints: { sqs: 'http://127.0.0.1:1', sns: 'http://127.0.0.1:1', s3: 'http://127.0.0.1:1' },
        stacks: {
          'scale-prod': { outputs: ROOT_OUTPUTS },
          [NESTED[0]!]: { outputs: NESTED_OUTPUTS[0]! },
          [NESTED[1]!]: { outputs: NESTED_OUTPUTS[1]! },
        },
      };
      writeFileSync(file, JSON.stringify(registry));
      const outputs = await loadStackOutputs('scale', 'prod', { kind: 'local-registry', path: file });
      expect(outputs.get(OUTPUT_KEYS.queueUrl('s199'))).toBe('https://sqs/scale-prod-s199');
      expect(outputs.get(OUTPUT_KEYS.topicArn('orders-a'))).toBe(ROOT_OUTPUTS[OUTPUT_KEYS.topicArn('orders-a')]);
      const { [NESTED[1]!]: _gone, ...partial } = registry.stacks;
      writeFileSync(file, JSON.stringify({ ...registry, stacks: partial }));
      await expect(loadStackOutputs('scale', 'prod', { kind: 'local-registry', path: file })).rejects.toThrow(
        `The local cloud (registry ${file}) runs stack 'scale-prod' but not its nested endpoint stack '${NESTED[1]}' (listed in its EndpointStacks output). Fix: restart the local cloud (\`npm start\`) so it deploys the whole assembly.`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
