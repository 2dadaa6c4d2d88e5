import { RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageName, StageSettings } from '../topology/index.ts';
import { DEFAULT_STAGE, STAGES } from '../topology/internal.ts';
import { UnknownStageError } from './errors.ts';

/** Context key that selects the stage: `cdk synth -c stage=prod`. */
export const STAGE_CONTEXT_KEY = 'stage';

export function isStageName(value: unknown): value is StageName {
  return typeof value === 'string' && Object.hasOwn(STAGES, value);
}

/** The stage named by `-c stage=...` (default `dev`), or an `UnknownStageError` naming the choices. */
export function stageFromContext(scope: Construct): StageName {
  const given: unknown = scope.node.tryGetContext(STAGE_CONTEXT_KEY) ?? DEFAULT_STAGE;
  if (!isStageName(given)) throw new UnknownStageError(given, Object.keys(STAGES));
  return given;
}

/** What `cdk destroy` does to the stage's stateful resources (tables, keys, buckets). */
export const removalPolicyOf = (stage: StageSettings): RemovalPolicy =>
  stage.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
