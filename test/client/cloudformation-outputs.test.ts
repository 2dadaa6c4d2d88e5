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
      Object.assign(new Error('Stack with id fanout-prod does not exist'), { name: 'ValidationError', $metadata: { httpStatusCode: 400 } }),
    );
    await expect(loadStackOutputs('fanout', 'prod', { kind: 'cloudformation', connection: { region: 'eu-west-1' } })).rejects.toThrow(
      "Stack 'fanout-prod' does not exist in region eu-west-1 (CloudFormation DescribeStacks). " +
        'Fix: deploy it with `npx cdk deploy -c stage=prod` (AWS) or start the local cloud with `npm start`.',
    );
    expect(cfn.commandCalls(DescribeStacksCommand)[0]!.args[0].input).toEqual({ StackName: 'fanout-prod' });
  });
});
