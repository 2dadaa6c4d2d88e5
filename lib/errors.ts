import path from 'node:path';
import { TopologyError } from '../topology/index.ts';

/** Base of every error the CDK constructs throw while compiling a topology into a stack. */
export class FanoutStackError extends Error {
  override readonly name: string = 'FanoutStackError';
}

/** `-c stage=<name>` names a stage that topology/stages.ts does not define. */
export class UnknownStageError extends FanoutStackError {
  override readonly name = 'UnknownStageError';

  constructor(
    readonly given: unknown,
    readonly known: readonly string[],
  ) {
    super(
      `Unknown stage ${JSON.stringify(given)} (from -c stage=...): the stage must be one of ${known.join(', ')}. ` +
        `Fix: pass -c stage=${known[0]} (or another listed stage), or add the stage to topology/stages.ts.`,
    );
  }
}

/** A construct was given props that break one of its rules (see the construct's validation table). */
export class InvalidConstructPropsError extends FanoutStackError {
  override readonly name = 'InvalidConstructPropsError';

  constructor(
    readonly constructPath: string,
    readonly problems: readonly string[],
  ) {
    super(`${constructPath}: ${problems.join('; ')}`);
  }
}

/** The committed placement record cannot be read. */
export class PlacementRecordError extends FanoutStackError {
  override readonly name = 'PlacementRecordError';
}

/** A change would make CloudFormation replace (delete and re-create) stateful resources: their data would be lost. */
export class StatefulReplacementError extends FanoutStackError {
  override readonly name = 'StatefulReplacementError';

  constructor(readonly problems: readonly string[]) {
    super(
      `${problems.length} change(s) would replace stateful resources and lose what they hold:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

/** A consumer's handler file is missing or does not export `handler`. */
export class HandlerFileError extends FanoutStackError {
  override readonly name = 'HandlerFileError';

  constructor(entry: string, problem: 'missing' | 'no-handler-export', closest?: string) {
    const file = path.isAbsolute(entry) ? path.relative(process.cwd(), entry) || entry : entry;
    super(
      problem === 'missing'
        ? `Consumer handler ${file} does not exist: the topology names it as a consumer's handler. ` +
            (closest ? `Did you mean '${closest}'? ` : '') +
            `Fix: create ${file} exporting \`handler\` (\`export const handler = defineConsumer({ events, handlers })\` ` +
            "from 'fanout/runtime'), correct the handler name in the topology, or point the `handlers` option at the folder holding it."
        : `Consumer handler ${file} does not export \`handler\`: Lambda calls index.handler. ` +
            `Fix: add \`export const handler = defineConsumer({ events, handlers })\` to ${file}.`,
    );
  }
}

/** Errors that already say what is wrong and how to fix it: synth prints their message alone. */
export function isExplainedError(error: unknown): error is Error {
  return error instanceof FanoutStackError || error instanceof TopologyError;
}

/** The committed schema lock cannot be read. */
export class SchemaLockError extends FanoutStackError {
  override readonly name = 'SchemaLockError';
}

/** An event type's schema changed in a way its compatibility mode forbids: messages already published would fail. */
export class IncompatibleSchemaError extends FanoutStackError {
  override readonly name = 'IncompatibleSchemaError';

  constructor(readonly problems: readonly string[]) {
    super(
      `${problems.length} schema change(s) would turn messages already published into poison:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}
