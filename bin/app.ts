#!/usr/bin/env node
import { createFanoutApp } from '../lib/app.ts';
import { referenceTopology } from '../topology/reference.ts';

/** `cdk synth -c stage=dev|prod`: the reference topology as one stack, checked by cdk-nag. */
createFanoutApp({ topology: referenceTopology }).app.synth();
