import { UnknownStageNameError } from './errors.ts';
/** Settings that differ between stages (`-c stage=dev|prod`). */
export interface StageSettings {
  readonly name: string;
  /** Default alarm thresholds where a queue sets none. */
  readonly alarms: {
    readonly maxDepth: number;
    readonly maxAgeSeconds: number;
    readonly maxErrors: number;
    readonly maxThrottles: number;
    /** Records the runtime reported failed per minute (the invocation itself may succeed). */
    readonly maxFailedRecords: number;
    /** Records an at-most-once consumer dropped per minute. */
    readonly maxDroppedRecords: number;
  };
  /** Days consumer logs are kept. */
  readonly logRetentionDays: number;
  /** Days queue messages are kept (DLQs keep theirs 14 days). */
  readonly messageRetentionDays: number;
  /** Whether stateful resources (tables, keys) survive `cdk destroy`. */
  readonly retainData: boolean;
}

/** The stage a name or command means when none is given. */
export const DEFAULT_STAGE = 'dev';

export const STAGES = {
  dev: {
    name: 'dev',
    alarms: {
      maxDepth: 1000,
      maxAgeSeconds: 900,
      maxErrors: 10,
      maxThrottles: 10,
      maxFailedRecords: 10,
      maxDroppedRecords: 10,
    },
    logRetentionDays: 7,
    messageRetentionDays: 4,
    retainData: false,
  },
  prod: {
    name: 'prod',
    alarms: {
      maxDepth: 100,
      maxAgeSeconds: 300,
      maxErrors: 1,
      maxThrottles: 1,
      maxFailedRecords: 1,
      maxDroppedRecords: 1,
    },
    logRetentionDays: 90,
    messageRetentionDays: 4,
    retainData: true,
  },
} as const satisfies Record<string, StageSettings>;

export type StageName = keyof typeof STAGES;

export function stageSettings(stage: string): StageSettings {
  const settings = (STAGES as Record<string, StageSettings>)[stage];
  if (!settings) {
    throw new UnknownStageNameError(
      `Unknown stage '${stage}': stages are ${Object.keys(STAGES).join(', ')}. ` +
        `Pass one with -c stage=dev or add it to topology/stages.ts.`,
    );
  }
  return settings;
}
