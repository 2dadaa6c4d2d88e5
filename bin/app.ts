#!/usr/bin/env node
import path from 'node:path';
import { synthesizeOrExplain, PROJECT_ROOT } from '../lib/index.ts';
import { referenceTopology } from '../topology/index.ts';

/** Where each endpoint lives and what identifies its stateful resources: commit it with the topology. */
const PLACEMENT_FILE = path.join(PROJECT_ROOT, 'fanout.placement.json');

/**
 * `cdk synth -c stage=dev|prod`: the reference topology as one stack (nested endpoint stacks when it
 * outgrows one), checked by cdk-nag.
 * CDK's built-in CloudFormation schema validation is off here (it doubles the synth time);
 * test/lib/nag.test.ts synthesizes with it on, so CI still runs it.
 */
synthesizeOrExplain({
  topology: referenceTopology,
  cloudFormationValidation: false,
  placementFile: PLACEMENT_FILE,
});
