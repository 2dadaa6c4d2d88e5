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

/** The value, or undefined while it is an unresolved token (rules skip what they cannot read yet). */
export const resolvedOrUndefined = <T>(value: T | undefined): T | undefined =>
  value !== undefined && isResolved(value) ? value : undefined;

/** A topology rule table run on a construct's props, with the topology's wording (`rule; fix`). */
export function fromTopologyRules<P, S>(
  rules: readonly ((settings: S) => { readonly rule: string; readonly fix: string } | undefined)[],
  settingsOf: (props: P) => S,
): PropsRule<P>[] {
  return rules.map((rule) => (props: P) => {
    const problem = rule(settingsOf(props));
    return problem && `${problem.rule}; ${problem.fix}`;
  });
}
