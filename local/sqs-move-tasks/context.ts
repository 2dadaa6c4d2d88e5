import type { SQSClient } from '@aws-sdk/client-sqs';
import { MalformedRequestError, MissingParameterError } from './errors.ts';
import type { MoveTaskStore } from './move-task-store.ts';

/** What every move-task action works with. */
export interface MoveTaskContext {
  readonly store: MoveTaskStore;
  /** SDK client that talks to fauxqs directly. */
  readonly sqs: SQSClient;
}

/** A move-task action: the parsed JSON request in, the JSON result out. */
export type MoveTaskAction = (input: Record<string, unknown>, ctx: MoveTaskContext) => Promise<object>;

/** The request field `name` as a string; `required` throws MissingParameter when it is absent. */
export function stringField(input: Record<string, unknown>, name: string, required: true): string;
export function stringField(input: Record<string, unknown>, name: string, required?: false): string | undefined;
export function stringField(input: Record<string, unknown>, name: string, required = false): string | undefined {
  const value = input[name];
  if (value === undefined || value === null || value === '') {
    if (required) throw new MissingParameterError(name);
    return undefined;
  }
  if (typeof value !== 'string') throw new MalformedRequestError(`${name} must be a string`);
  return value;
}

/** The request field `name` as an integer in [min, max], or undefined when absent. */
export function integerField(
  input: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
  invalid: (value: unknown) => Error,
): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw invalid(value);
  return value;
}
