import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AssemblyNotFoundError,
  StackNotFoundError,
  startLocalCloud,
  UnsupportedResourceTypesError,
} from '../../local/index.ts';
import type { Template } from '../../local/index.ts';
import { sharedDynamoDb } from '../support/shared-dynamodb.ts';

/** Writes a hand-made cloud assembly (manifest + one template) and returns its directory. */
function assembly(stackName: string, template: Template): string {
  const dir = mkdtempSync(join(tmpdir(), 'fanout-local-assembly-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${stackName}.template.json`), JSON.stringify(template));
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      version: '48.0.0',
      artifacts: {
        [stackName]: {
          type: 'aws:cloudformation:stack',
          environment: 'aws://unknown-account/unknown-region',
          properties: { templateFile: `${stackName}.template.json` },
        },
      },
    }),
  );
  return dir;
}

describe('cloud assembly', () => {
  it('lists every unsupported resource type with its logical id in one error', async () => {
    const dir = assembly('Mixed', {
      Resources: {
        Queue: { Type: 'AWS::SQS::Queue' },
        Network: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
        Flow: { Type: 'AWS::StepFunctions::StateMachine' },
        Skipped: { Type: 'AWS::EC2::Subnet', Condition: 'Never' },
      },
      Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } },
    });
    const started = startLocalCloud({ assemblyDir: dir, stackName: 'Mixed', dynamodb: sharedDynamoDb() });
    await expect(started).rejects.toThrow(UnsupportedResourceTypesError);
    await expect(started).rejects.toThrow(
      "Stack 'Mixed' uses resource types the local cloud cannot run:\n  - Network (AWS::EC2::VPC)\n  - Flow (AWS::StepFunctions::StateMachine)\nRemove them from the stack, or add a provisioner for each type in local/provisioners/.",
    );
  });

  it('names the stacks it has when the requested one is missing', async () => {
    const dir = assembly('Present', { Resources: {} });
    const started = startLocalCloud({ assemblyDir: dir, stackName: 'Absent', dynamodb: sharedDynamoDb() });
    await expect(started).rejects.toThrow(StackNotFoundError);
    await expect(started).rejects.toThrow(
      "Stack 'Absent' is not in the cloud assembly; stacks found: Present. Pass one of them (--stack).",
    );
  });

  it('says how to get an assembly when the directory has none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanout-local-empty-'));
    await expect(startLocalCloud({ assemblyDir: dir, stackName: 'Any', dynamodb: sharedDynamoDb() })).rejects.toThrow(
      AssemblyNotFoundError,
    );
    await expect(startLocalCloud({ assemblyDir: dir, stackName: 'Any', dynamodb: sharedDynamoDb() })).rejects.toThrow(
      `No cloud assembly at '${dir}' (manifest.json missing)`,
    );
  });

  it('deploys a hand-written template: parameters, conditions, outputs resolved to local values, accepted types listed', async () => {
    const dir = assembly('Plain', {
      Parameters: { Stage: { Type: 'String', Default: 'test' } },
      Conditions: { IsTest: { 'Fn::Equals': [{ Ref: 'Stage' }, 'test'] } },
      Resources: {
        Dlq: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::Sub': 'plain-${Stage}-dlq' } } },
        Queue: {
          Type: 'AWS::SQS::Queue',
          Properties: {
            QueueName: { 'Fn::Join': ['-', ['plain', { Ref: 'Stage' }]] },
            DelaySeconds: { 'Fn::If': ['IsTest', 0, 5] },
            RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, maxReceiveCount: 2 },
          },
        },
        Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
      },
      Outputs: {
        QueueUrl: { Value: { Ref: 'Queue' } },
        DlqArn: { Value: { 'Fn::GetAtt': ['Dlq', 'Arn'] } },
        Region: { Value: { 'Fn::Sub': '${AWS::Region}/${AWS::StackName}' } },
        RoleArn: { Value: { 'Fn::GetAtt': ['Role', 'Arn'] } },
      },
    });
    const cloud = await startLocalCloud({ assemblyDir: dir, stackName: 'Plain', dynamodb: sharedDynamoDb() });
    try {
      expect(cloud.outputs.QueueUrl).toMatch(/\/000000000000\/plain-test$/);
      expect(cloud.outputs.DlqArn).toBe('arn:aws:sqs:us-east-1:000000000000:plain-test-dlq');
      expect(cloud.outputs.Region).toBe('us-east-1/Plain');
      expect(cloud.outputs.RoleArn).toBe('arn:aws:iam::000000000000:role/Plain-Role');
      expect(cloud.notEnforced).toEqual([{ logicalId: 'Role', type: 'AWS::IAM::Role' }]);
    } finally {
      await cloud.stop();
    }
  });
});
