import { createHash } from 'node:crypto';
import type { DeploymentContext } from './types.ts';

const SUFFIX_LENGTH = 12;

/**
 * The name CloudFormation would generate for an unnamed resource, `<stack>-<logicalId>-<SUFFIX>`,
 * with a suffix derived from the stack and logical id so local names are stable across runs.
 */
export function generatedName(
  ctx: DeploymentContext,
  logicalId: string,
  options: { maxLength: number; ending?: string; lowerCase?: boolean },
): string {
  const ending = options.ending ?? '';
  const suffix = createHash('sha256')
    .update(`${ctx.stackName}/${logicalId}`)
    .digest('hex')
    .slice(0, SUFFIX_LENGTH)
    .toUpperCase();
  const room = options.maxLength - SUFFIX_LENGTH - 1 - ending.length;
  const name = `${`${ctx.stackName}-${logicalId}`.slice(0, room)}-${suffix}${ending}`;
  return options.lowerCase ? name.toLowerCase() : name;
}

export function arn(
  ctx: DeploymentContext,
  service: string,
  resource: string,
  options: { global?: boolean } = {},
): string {
  const { partition, region, accountId } = ctx.pseudo;
  return `arn:${partition}:${service}:${options.global ? '' : region}:${accountId}:${resource}`;
}

/** A template boolean (true, "true") as a boolean. */
export const isTrue = (value: unknown) => value === true || value === 'true';

/** A policy-like property (object or JSON string) as the JSON string the APIs take. */
export const asJson = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
