import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Validations, type CfnElement } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks, type NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFanoutApp } from '../../lib/app.ts';
import type { FanoutStack } from '../../lib/fanout-stack.ts';
import { NAG_SUPPRESSIONS } from '../../lib/nag-suppressions.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { FIXTURE_HANDLERS } from '../fixtures/app/handlers.ts';

let stack: FanoutStack;
let outdir: string;
let synthError: unknown;
beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fanout-nag-'));
  const created = createFanoutApp({
    handlers: FIXTURE_HANDLERS,
    topology: fixtureTopology,
    context: { stage: 'dev', 'aws:cdk:bundling-stacks': [] },
    nag: true,
    outdir,
  });
  stack = created.stack;
  try {
    created.app.synth();
  } catch (error) {
    synthError = error;
  }
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

const packs = (): NagPack[] => [new AwsSolutionsChecks(), new ServerlessChecks()];
const findings = (pack: NagPack) =>
  pack
    .validateScope(stack)
    .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`));

/** Every acknowledgement in the tree: `<rule id> <construct path>`. */
function acknowledgements(): string[] {
  return stack.node
    .findAll()
    .flatMap((c: IConstruct) =>
      c.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) =>
          Object.keys(m.data as object).map((id) => `${id.replace(/^annotation::/i, '')} ${c.node.path}`),
        ),
    );
}

describe('cdk-nag v3 (AwsSolutions + Serverless) on the fixture stack', () => {
  it('synthesizes through the Validations plugins with an empty report', () => {
    expect(synthError).toBeUndefined();
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((r: { violations: unknown[] }) => r.violations)).toEqual([]);
  });

  it.each(['AwsSolutions', 'Serverless'])('has no unacknowledged %s finding', (name) => {
    const pack = packs().find((p) => p.readPackName === name)!;
    expect(findings(pack)).toEqual([]);
  });

  it('acknowledges only what the packs would otherwise report: each acknowledgement matches a finding', () => {
    // The same packs with acknowledgements ignored report exactly the acknowledged resources.
    const raw = packs().flatMap((pack) => {
      (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
      return findings(pack);
    });
    expect(raw).toHaveLength(7 + 13 + 7 + 7 + 7 + 7 + 1 + 1 + 1);
    const acked = acknowledgements();
    const unexplained = raw.filter((finding) => {
      const [rule, resourcePath] = finding.split(' ') as [string, string];
      return !acked.some((a) => {
        const [id, at] = a.split(' ') as [string, string];
        return id === rule && (resourcePath === at || resourcePath.startsWith(`${at}/`));
      });
    });
    expect(unexplained).toEqual([]);
    const unused = acked.filter((a) => {
      const [id, at] = a.split(' ') as [string, string];
      return !raw.some((f) => f.startsWith(`${id} ${at}/`) || f === `${id} ${at}`);
    });
    expect(unused).toEqual([]);
  });
});

describe('the suppression list (lib/nag-suppressions.ts)', () => {
  it('is short, every entry carries its reason, and these are its rule ids', () => {
    const ids = Object.entries(NAG_SUPPRESSIONS).map(([key, s]) => `${key}: ${s.ids.join(', ')}`);
    expect(ids).toEqual([
      'deadLetterQueue: Serverless-SQSRedrivePolicy',
      'subscriptionDeadLetterQueue: AwsSolutions-SQS3, Serverless-SQSRedrivePolicy',
      'atMostOnceQueue: AwsSolutions-SQS3, Serverless-SQSRedrivePolicy',
      'xrayTracing: AwsSolutions-IAM5[Resource::*]',
      'claimCheckReads: AwsSolutions-IAM5[Resource::{payloadObjects}]',
      'claimCheckReplies: AwsSolutions-IAM5[Resource::{replyObjects}]',
      'replyQueues: AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sqs:<AWS::Region>:<AWS::AccountId>:{replyQueuePrefix}*]',
      'sqsTriggeredFunction: Serverless-LambdaDLQ, Serverless-LambdaEventSourceMappingDestination',
      'payloadBucketAccessLogs: AwsSolutions-S1',
    ]);
    for (const s of Object.values(NAG_SUPPRESSIONS)) expect(s.reason.length).toBeGreaterThan(60);
  });

  it('is applied to exactly these resources, never to the whole stack', () => {
    const where = (id: string) =>
      acknowledgements()
        .filter((a) => a.startsWith(`${id} `))
        .map((a) => a.slice(id.length + 1).replace(`${stack.stackName}/Default/`, ''))
        .sort();
    const endpoints = ['inventory', 'email', 'warehouse', 'analytics', 'ledger', 'audit', 'jobs'];
    const subscribers = endpoints.filter((e) => e !== 'jobs');
    const withDlq = endpoints.filter((e) => e !== 'analytics');
    expect(where('AwsSolutions-SQS3')).toEqual(
      [
        ...subscribers.map((e) => `Endpoint-${e}/Queues/SubscriptionDeadLetterQueue`),
        'Endpoint-analytics/Queues/Queue',
      ].sort(),
    );
    expect(where('Serverless-SQSRedrivePolicy')).toEqual(
      [
        ...subscribers.map((e) => `Endpoint-${e}/Queues/SubscriptionDeadLetterQueue`),
        ...withDlq.map((e) => `Endpoint-${e}/Queues/DeadLetterQueue`),
        'Endpoint-analytics/Queues/Queue',
      ].sort(),
    );
    expect(where('AwsSolutions-IAM5[Resource::*]')).toEqual(endpoints.map((e) => `Endpoint-${e}/Consumer/Role`).sort());
    const bucketId = stack.resolve(stack.getLogicalId(stack.payloads.bucket.node.defaultChild as CfnElement));
    expect(where(`AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/claim-check/*]`)).toEqual(
      endpoints.map((e) => `Endpoint-${e}/Consumer/Role`).sort(),
    );
    expect(where(`AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/claim-check/replies/jobs/*]`)).toEqual([
      'Endpoint-jobs/Consumer/Role',
    ]);
    for (const id of ['Serverless-LambdaDLQ', 'Serverless-LambdaEventSourceMappingDestination']) {
      expect(where(id)).toEqual(endpoints.map((e) => `Endpoint-${e}/Consumer/Function`).sort());
    }
    expect(where('AwsSolutions-S1')).toEqual(['Payloads/Bucket']);
    expect(
      where(
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sqs:<AWS::Region>:<AWS::AccountId>:${stack.stackName}-reply-*]`,
      ),
    ).toEqual(['Endpoint-jobs/Consumer/Role']);
    expect(acknowledgements().filter((a) => a.endsWith(` ${stack.stackName}`))).toEqual([]);
  });
});
