/**
 * What the console server sends the page: one snapshot (`GET /api/snapshot`) and then events on the
 * stream (`GET /api/stream`, server-sent events). Types only, shared by the server and the page bundle.
 */
import type { GraphEdge, GraphNode } from '../assembly/index.ts';
import type { LogEntry } from './log-entries.ts';
import type { OutcomeEntry } from './record-outcomes.ts';

export type { LogEntry, OutcomeEntry };

export interface ConsoleNode extends GraphNode {
  /** Physical queue name (queues and DLQs): the key of queue samples. */
  readonly queueName?: string;
  readonly queueUrl?: string;
  /** Physical function name: the key of function stats. */
  readonly functionName?: string;
  readonly tableName?: string;
  readonly topicArn?: string;
  /** For a DLQ: the Fanout endpoint whose DLQ it is, which `fanout dlq replay` takes. */
  readonly replayEndpoint?: string;
  /** Which of its DLQs: the queue's, or the SNS subscription's (`fanout dlq replay --subscription`). */
  readonly replaySource?: 'queue' | 'subscription';
}

export interface ConsoleGraph {
  readonly nodes: readonly ConsoleNode[];
  readonly edges: readonly GraphEdge[];
}

/** One sample of a queue's gauges; `t` is wall-clock ms. */
export interface QueueSample {
  readonly t: number;
  readonly visible: number;
  readonly notVisible: number;
  readonly delayed: number;
  /** Virtual seconds, as CloudWatch would report them. */
  readonly ageOfOldestSeconds: number;
}

export interface FunctionView {
  readonly invocations: number;
  readonly errors: number;
  readonly throttles: number;
  readonly timeouts: number;
  readonly crashes: number;
  readonly averageDurationMs: number;
}

export interface AlarmTransition {
  /** ISO time on the alarm clock (virtual: it runs `timeScale` times faster than the wall clock). */
  readonly time: string;
  /** The same moment on the wall clock, ms since the epoch: what the page shows, like every time of day. */
  readonly wallT: number;
  readonly oldState: string;
  readonly newState: string;
  readonly reason: string;
}

export interface AlarmView {
  readonly name: string;
  readonly state: string;
  readonly reason: string;
  readonly history: readonly AlarmTransition[];
  /** Graph nodes the alarm watches. */
  readonly watches: readonly string[];
  readonly notEvaluated?: string;
}

/** One field of the publish form, derived from the event's schema. */
export interface FormField {
  readonly name: string;
  /** `json` for arrays and objects (typed as JSON text). */
  readonly type: 'string' | 'number' | 'boolean' | 'choice' | 'json';
  readonly options?: readonly string[];
  readonly optional: boolean;
  /** A value that satisfies the schema, to start from. */
  readonly example: unknown;
}

export interface EventForm {
  readonly eventType: string;
  /** Topic or work queue the event is published to. */
  readonly destination: string;
  readonly fields: readonly FormField[];
}

export interface ConsoleFeatures {
  /** Publishing and DLQ replay need the topology (schemas, endpoints); off for assemblies without one. */
  readonly topology: boolean;
  /** Why publish/replay are off, when they are. */
  readonly reason?: string;
}

export interface ConsoleSnapshot {
  readonly stackName: string;
  readonly timeScale: number;
  readonly graph: ConsoleGraph;
  readonly queues: Readonly<Record<string, readonly QueueSample[]>>;
  readonly functions: Readonly<Record<string, FunctionView>>;
  readonly alarms: readonly AlarmView[];
  readonly outcomes: readonly OutcomeEntry[];
  /** The functions' latest lines, oldest first. */
  readonly logs: readonly LogEntry[];
  readonly features: ConsoleFeatures;
  readonly events: readonly EventForm[];
}

/** The stream's events, by SSE event name. */
export interface StreamEvents {
  readonly sample: {
    readonly t: number;
    readonly queues: Readonly<Record<string, Omit<QueueSample, 't'>>>;
    readonly functions: Readonly<Record<string, FunctionView>>;
  };
  readonly alarm: AlarmView;
  readonly outcomes: readonly OutcomeEntry[];
  readonly logs: readonly LogEntry[];
}

export interface DeadLetterView {
  readonly messageId: string;
  readonly sentAt: string | undefined;
  readonly receiveCount: number;
  readonly groupId: string | undefined;
  readonly eventType: string | undefined;
  readonly reason:
    | { readonly kind: string; readonly message: string; readonly consumer: string | undefined }
    | undefined;
  readonly attributes: Readonly<Record<string, string>>;
  readonly payload: string;
}

/** A failed request's body: one line saying what, the rule and the fix. */
export interface ApiError {
  readonly error: string;
  readonly message: string;
}
