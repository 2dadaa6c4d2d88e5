/** One problem found in a topology: where it is, which rule it breaks, and how to fix it. */
export interface TopologyProblem {
  /** The element, e.g. `subscription 'orders/inventory'`. */
  readonly element: string;
  /** The rule broken, with the value given. */
  readonly rule: string;
  /** What to change. */
  readonly fix: string;
}

export function formatProblem(problem: TopologyProblem): string {
  return `${problem.element}: ${problem.rule}. Fix: ${problem.fix}.`;
}

/** Base of the errors the topology model raises: the message names the input, the rule and the fix. */
export class TopologyError extends Error {
  override readonly name: string = 'TopologyError';
}

/** A stage name the model does not define. */
export class UnknownStageNameError extends TopologyError {
  override readonly name = 'UnknownStageNameError';
}

/** Thrown by `validateTopology` with every problem found, not just the first. */
export class TopologyValidationError extends TopologyError {
  override readonly name = 'TopologyValidationError';

  constructor(
    readonly topologyName: string,
    readonly problems: readonly TopologyProblem[],
  ) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`Topology '${topologyName}' has ${count}:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
  }
}
