#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { synthesizeOrExplain } from 'fanout/cdk';
import { referenceTopology } from '../examples/shop/topology.ts';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/**
 * `cdk synth -c stage=dev|prod`: the shop example as one stack (nested endpoint stacks when it
 * outgrows one), checked by cdk-nag. The placement file records where each endpoint lives and what
 * identifies its stateful resources, the schema lock every event's schema: commit both with the topology.
 * CDK's built-in CloudFormation schema validation is off here (it doubles the synth time);
 * test/lib/nag.test.ts synthesizes with it on, so CI still runs it.
 */
synthesizeOrExplain({
  topology: referenceTopology,
  handlers: here('../examples/shop/handlers'),
  cloudFormationValidation: false,
  placementFile: here('../fanout.placement.json'),
  schemaFile: here('../fanout.schemas.json'),
});
