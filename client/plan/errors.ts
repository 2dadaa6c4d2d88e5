import { FanoutClientError } from '../errors.ts';

/** A `fanout plan` input that cannot be planned: the message names the input, the rule and the fix. */
export class PlanInputError extends FanoutClientError {
  override readonly name = 'PlanInputError';
}
