#!/usr/bin/env node
import { createFanoutApp } from '../lib/app.ts';
import { referenceTopology } from '../topology/reference.ts';

/**
 * `cdk synth -c stage=dev|prod`: the reference topology as one stack, checked by cdk-nag.
 * CDK's built-in CloudFormation schema validation is off here (it doubles the synth time);
 * test/lib/nag.test.ts synthesizes with it on, so CI still runs it.
 */
createFanoutApp({ topology: referenceTopology, cloudFormationValidation: false }).app.synth();
