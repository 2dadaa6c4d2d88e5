import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalCloud, UnsupportedResourceTypesError, type Template } from '../../local/index.ts';
import { sharedDynamoDb } from '../support/shared-dynamodb.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** TemplateURL as CDK writes it for a nested stack asset. */
const templateUrl = (objectKey: string) => ({
  'Fn::Join': [
    '',
    [
      'https://s3.',
      { Ref: 'AWS::Region' },
      '.',
      { Ref: 'AWS::URLSuffix' },
      '/',
      { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' },
      `/${objectKey}`,
    ],
  ],
});

/** A root template and nested templates, the nested ones found as CDK leaves them: through the asset manifest, or by `aws:asset:path`. */
function assembly(root: Template, nested: Record<string, Template>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fanout-local-nested-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'Root.template.json'), JSON.stringify(root));
  const files: Record<string, unknown> = {};
  for (const [file, template] of Object.entries(nested)) {
    writeFileSync(join(dir, file), JSON.stringify(template));
    files[file] = {
      source: { path: file, packaging: 'file' },
      destinations: { current: { bucketName: 'b', objectKey: `${file}-hash.json` } },
    };
  }
  writeFileSync(join(dir, 'Root.assets.json'), JSON.stringify({ version: '48.0.0', files }));
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      version: '48.0.0',
      artifacts: { Root: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Root.template.json' } } },
    }),
  );
  return dir;
}

const ROOT: Template = {
  Resources: {
    Shared: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'root-shared' } },
    PartOne: {
      Type: 'AWS::CloudFormation::Stack',
      Properties: {
        TemplateURL: templateUrl('one.nested.json-hash.json'),
        Parameters: { SharedArn: { 'Fn::GetAtt': ['Shared', 'Arn'] } },
      },
    },
    PartTwo: {
      Type: 'AWS::CloudFormation::Stack',
      Metadata: { 'aws:asset:path': 'two.nested.json' },
      Properties: {
        TemplateURL: 'https://s3.example/ignored.json',
        Parameters: { FromOne: { 'Fn::GetAtt': ['PartOne', 'Outputs.OwnQueueUrl'] } },
      },
    },
  },
  Outputs: {
    Nested: { Value: { 'Fn::Join': [',', [{ Ref: 'PartOne' }, { Ref: 'PartTwo' }]] } },
    TwoSaw: { Value: { 'Fn::GetAtt': ['PartTwo', 'Outputs.Saw'] } },
  },
};
const ONE: Template = {
  Parameters: { SharedArn: { Type: 'String' } },
  Resources: {
    // Same logical id as in the root: each stack has its own namespace.
    Shared: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: 'one-own',
        RedrivePolicy: { deadLetterTargetArn: { Ref: 'SharedArn' }, maxReceiveCount: 3 },
      },
    },
  },
  Outputs: { OwnQueueUrl: { Value: { Ref: 'Shared' } }, StackName: { Value: { Ref: 'AWS::StackName' } } },
};
const TWO: Template = {
  Parameters: { FromOne: { Type: 'String' } },
  Resources: {},
  Outputs: { Saw: { Value: { 'Fn::Sub': 'two saw ${FromOne}' } } },
};

describe('nested stacks (AWS::CloudFormation::Stack)', () => {
  it('deploys each nested template with its parameters, in dependency order, and resolves references across the stacks', async () => {
    const cloud = await startLocalCloud({
      assemblyDir: assembly(ROOT, { 'one.nested.json': ONE, 'two.nested.json': TWO }),
      stackName: 'Root',
      dynamodb: sharedDynamoDb(),
    });
    try {
      expect(cloud.stacks.map((s) => s.stackName)).toEqual(['Root', 'Root-PartOne', 'Root-PartTwo']);
      const one = cloud.stacks[1]!;
      expect(one.outputs.StackName).toBe('Root-PartOne');
      expect(one.outputs.OwnQueueUrl).toMatch(/\/000000000000\/one-own$/);
      expect(cloud.outputs.Nested).toBe(
        'arn:aws:cloudformation:us-east-1:000000000000:stack/Root-PartOne/local,arn:aws:cloudformation:us-east-1:000000000000:stack/Root-PartTwo/local',
      );
      expect(cloud.outputs.TwoSaw).toBe(`two saw ${one.outputs.OwnQueueUrl}`);
      // Merged view: the root's outputs and the nested ones'.
      expect(cloud.outputs.OwnQueueUrl).toBe(one.outputs.OwnQueueUrl);
      const { Attributes } = await cloud.clients.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: one.outputs.OwnQueueUrl, AttributeNames: ['RedrivePolicy'] }),
      );
      expect(JSON.parse(Attributes!.RedrivePolicy!).deadLetterTargetArn).toBe(
        'arn:aws:sqs:us-east-1:000000000000:root-shared',
      );
      expect(cloud.resources.get('Shared')!.physicalId).toMatch(/root-shared$/);
      expect(cloud.resources.get('PartOne/Shared')!.physicalId).toMatch(/one-own$/);
      // One template for the whole tree (the console draws it): nested ids by path, parameters replaced by what the parent passes.
      expect(Object.keys(cloud.template.Resources)).toEqual(['Shared', 'PartOne/Shared']);
      expect(cloud.template.Resources['PartOne/Shared']!.Properties!.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': ['Shared', 'Arn'] },
        maxReceiveCount: 3,
      });
    } finally {
      await cloud.stop();
    }
  });

  it('names unsupported resources inside nested stacks by their path, before creating anything', async () => {
    const bad: Template = { Resources: { Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: {} } } };
    const root: Template = {
      Resources: {
        Part: {
          Type: 'AWS::CloudFormation::Stack',
          Properties: { TemplateURL: templateUrl('bad.nested.json-hash.json') },
        },
      },
    };
    const started = startLocalCloud({
      assemblyDir: assembly(root, { 'bad.nested.json': bad }),
      stackName: 'Root',
      dynamodb: sharedDynamoDb(),
    });
    await expect(started).rejects.toThrow(UnsupportedResourceTypesError);
    await expect(started).rejects.toThrow(
      "Stack 'Root' uses resource types the local cloud cannot run:\n  - Part/Machine (AWS::StepFunctions::StateMachine)\n",
    );
  });

  it('a nested template missing from the assembly says how to get it', async () => {
    const root: Template = {
      Resources: {
        Part: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: templateUrl('absent.json') } },
      },
    };
    const dir = assembly(root, {});
    await expect(startLocalCloud({ assemblyDir: dir, stackName: 'Root', dynamodb: sharedDynamoDb() })).rejects.toThrow(
      `Nested stack Part of stack 'Root': its template (TemplateURL "https://s3.us-east-1.amazonaws.com/cdk-hnb659fds-assets-000000000000-us-east-1/absent.json") is not in the cloud assembly '${dir}'`,
    );
  });
});
