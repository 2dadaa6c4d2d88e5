import { Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { InvalidConstructPropsError } from './errors.ts';

/** One rule of a construct's props: returns the problem (rule + value given + fix) or nothing. */
export type PropsRule<P> = (props: P) => string | undefined;

/** Runs a construct's rule table, reporting every broken rule at once. Unresolved tokens are skipped by the rules. */
export function validateProps<P>(scope: Construct, props: P, rules: readonly PropsRule<P>[]): void {
  const problems = rules.map((rule) => rule(props)).filter((p): p is string => p !== undefined);
  if (problems.length > 0) throw new InvalidConstructPropsError(scope.node.path, problems);
}

export const isResolved = (value: unknown) => !Token.isUnresolved(value);
