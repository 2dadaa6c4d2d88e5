import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, expect, it } from 'vitest';
import { createFanoutApp } from '../../lib/app.ts';
import { UnknownStageError } from '../../lib/errors.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { synthesize } from './support/synth.ts';
import { ofType } from './support/template-helpers.ts';
import { FIXTURE_HANDLERS } from '../fixtures/app/handlers.ts';

let dev: Template;
let prod: Template;
let prodStackName: string;
beforeAll(() => {
  dev = synthesize('dev').template;
  const synthesized = synthesize('prod');
  prod = synthesized.template;
  prodStackName = synthesized.stack.stackName;
});

const threshold = (template: Template, alarmName: string) =>
  ofType(template, 'AWS::CloudWatch::Alarm').find(([, a]) => a.Properties.AlarmName === alarmName)?.[1].Properties
    .Threshold;
const retention = (template: Template, fn: string) =>
  ofType(template, 'AWS::Logs::LogGroup').find(([, l]) => l.Properties.LogGroupName === `/aws/lambda/${fn}`)?.[1]
    .Properties.RetentionInDays;

it('names the stack and every resource after the stage', () => {
  expect(prodStackName).toBe('fanout-prod');
  expect(
    ofType(prod, 'AWS::SQS::Queue').every(([, q]) => String(q.Properties.QueueName).startsWith('fanout-prod-')),
  ).toBe(true);
});

it('uses the prod thresholds, retention and removal policies in prod and the dev ones in dev', () => {
  expect([threshold(dev, 'fanout-dev-inventory-depth'), threshold(prod, 'fanout-prod-inventory-depth')]).toEqual([
    1000, 100,
  ]);
  expect([threshold(dev, 'fanout-dev-inventory-age'), threshold(prod, 'fanout-prod-inventory-age')]).toEqual([
    900, 300,
  ]);
  expect([threshold(dev, 'fanout-dev-jobs-errors'), threshold(prod, 'fanout-prod-jobs-errors')]).toEqual([10, 1]);
  expect([threshold(dev, 'fanout-dev-jobs-throttles'), threshold(prod, 'fanout-prod-jobs-throttles')]).toEqual([10, 1]);
  expect([
    threshold(dev, 'fanout-dev-jobs-failed-records'),
    threshold(prod, 'fanout-prod-jobs-failed-records'),
  ]).toEqual([10, 1]);
  expect([threshold(dev, 'fanout-dev-analytics-dropped'), threshold(prod, 'fanout-prod-analytics-dropped')]).toEqual([
    10, 1,
  ]);
  expect([threshold(dev, 'fanout-dev-jobs-dead-lettered'), threshold(prod, 'fanout-prod-jobs-dead-lettered')]).toEqual([
    1, 1,
  ]);
  // A threshold set in the topology wins over the stage default in both stages.
  expect([threshold(dev, 'fanout-dev-analytics-depth'), threshold(prod, 'fanout-prod-analytics-depth')]).toEqual([
    5000, 5000,
  ]);
  expect([retention(dev, 'fanout-dev-ledger'), retention(prod, 'fanout-prod-ledger')]).toEqual([7, 90]);
  const deletionPolicies = (template: Template, type: string) => [
    ...new Set(ofType(template, type).map(([, r]) => r.DeletionPolicy)),
  ];
  for (const type of ['AWS::DynamoDB::Table', 'AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::Logs::LogGroup']) {
    expect([deletionPolicies(dev, type), deletionPolicies(prod, type)], type).toEqual([['Delete'], ['Retain']]);
  }
});

it('rejects an unknown stage naming the input, the choices and the fix', () => {
  const create = () =>
    createFanoutApp({
      handlers: FIXTURE_HANDLERS,
      topology: fixtureTopology,
      context: { stage: 'staging' },
      nag: false,
    });
  expect(create).toThrow(UnknownStageError);
  expect(create).toThrow(
    'Unknown stage "staging" (from -c stage=...): the stage must be one of dev, prod. Fix: pass -c stage=dev (or another listed stage), or add the stage to topology/stages.ts.',
  );
});

it('defaults to dev when no stage is given', () => {
  const { stack } = createFanoutApp({
    handlers: FIXTURE_HANDLERS,
    topology: fixtureTopology,
    context: { 'aws:cdk:bundling-stacks': [] },
    nag: false,
  });
  expect(stack.stackName).toBe('fanout-dev');
});
