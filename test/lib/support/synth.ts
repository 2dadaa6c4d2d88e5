import { Template } from 'aws-cdk-lib/assertions';
import { createFanoutApp } from '../../../lib/app.ts';
import type { FanoutStack } from '../../../lib/fanout-stack.ts';
import type { HandlerLocation } from '../../../lib/handler-files.ts';
import type { Topology } from '../../../topology/types.ts';
import { handlersOf } from '../../fixtures/app/handlers.ts';
import { fixtureTopology } from '../../fixtures/app/topology.ts';

export interface SynthOptions {
  /** @default the framework fixture topology */
  readonly topology?: Topology;
  /** @default every consumer on the fixture handler that accepts every event */
  readonly handlers?: HandlerLocation;
  /**
   * Bundle the consumers with esbuild (slow: seconds per function). Off, CDK skips bundling and
   * the template is identical except for the asset hashes.
   * @default false
   */
  readonly bundle?: boolean;
  /** @default - a fresh temporary directory chosen by CDK */
  readonly outdir?: string;
  /**
   * CDK's built-in CloudFormation schema validation (2–3 s). The cdk-nag test runs the full
   * synthesis with it on; template assertions do not need it.
   * @default false
   */
  readonly cloudFormationValidation?: boolean;
}

export interface Synthesized {
  readonly stack: FanoutStack;
  readonly template: Template;
}

/**
 * Synthesizes the (fixture) stack for a stage, every consumer on the fixture handler that accepts every
 * event, without cdk-nag (tests run the packs themselves).
 */
export function synthesize(stage: string, options: SynthOptions = {}): Synthesized {
  const context: Record<string, unknown> = { stage };
  if (!options.bundle) context['aws:cdk:bundling-stacks'] = [];
  // As the CLI does: record each asset's cdk.out path in the resource metadata.
  else context['aws:cdk:enable-asset-metadata'] = true;
  const topology = options.topology ?? fixtureTopology;
  const { stack } = createFanoutApp({
    handlers: options.handlers ?? handlersOf(topology),
    topology,
    context,
    nag: false,
    outdir: options.outdir,
    cloudFormationValidation: options.cloudFormationValidation ?? false,
  });
  return { stack, template: Template.fromStack(stack) };
}
