import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStackOutputs } from '../../client/stack-outputs.ts';

// No emulator serves CloudFormation; the "stack does not exist" failure is injected on the SDK client.
const cfn = mockClient(CloudFormationClient);
afterAll(() => cfn.restore());

describe('stack outputs from CloudFormation', () => {
  it('a stack that was never deployed names the stack, the region and the deploy command', async () => {
    cfn.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('Stack with id fanout-prod does not exist'), {
        name: 'ValidationError',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(
      loadStackOutputs('fanout', 'prod', { kind: 'cloudformation', connection: { region: 'eu-west-1' } }),
    ).rejects.toThrow(
      "Stack 'fanout-prod' does not exist in region eu-west-1 (CloudFormation DescribeStacks). " +
        'Fix: deploy it with `npx cdk deploy -c stage=prod` (AWS) or start the local cloud with `npm start`.',
    );
    expect(cfn.commandCalls(DescribeStacksCommand)[0]!.args[0].input).toEqual({ StackName: 'fanout-prod' });
  });
});

describe('stack outputs without AWS configuration', () => {
  it('a missing region says how to configure AWS or use the local cloud (no request is made)', async () => {
    const saved = { ...process.env };
    for (const key of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) delete process.env[key];
    process.env.AWS_CONFIG_FILE = '/nonexistent/config';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
    try {
      await expect(loadStackOutputs('fanout', 'dev', { kind: 'cloudformation' })).rejects.toThrow(
        /^Cannot read stack 'fanout-dev' from CloudFormation: Region is missing\. Fix: set AWS_REGION and credentials \(e\.g\. AWS_PROFILE\) for the account the stack is deployed to, or start the local cloud with `npm start` and use --target local \(stage 'dev'\)\.$/,
      );
    } finally {
      process.env = saved;
    }
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(1);
  });
});
