import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { AlarmDefinition, AlarmState, MetricStatQuery } from './alarm-definition.ts';
import { alarmNotification, type StateChange } from './alarm-message.ts';
import { UnsupportedExpressionError } from '../errors.ts';
import { evaluateExpression } from './metric-math.ts';
import type { MetricStore } from './metric-store.ts';
import { applyStatistic, breaches } from './statistics.ts';

export interface AlarmStatus {
  readonly alarmName: string;
  readonly state: AlarmState;
  readonly reason: string;
  /** Every state change so far, oldest first. */
  readonly history: readonly StateChange[];
  /** Set when the alarm cannot be evaluated locally (e.g. a metric-math function). */
  readonly notEvaluated?: string;
}

interface AlarmRuntime {
  readonly alarm: AlarmDefinition;
  state: AlarmState;
  reason: string;
  readonly history: StateChange[];
  notEvaluated?: string;
  timer?: NodeJS.Timeout;
}

export interface AlarmEvaluatorOptions {
  readonly metrics: MetricStore;
  readonly sns: SNSClient;
  readonly region: string;
  readonly accountId: string;
  onStateChange?(change: StateChange): void;
}

const fmt = (n: number) => String(Math.round(n * 1000) / 1000);

/** Evaluates every alarm at the end of each of its periods (on the scaled clock) and publishes state changes to its actions. */
export class AlarmEvaluator {
  readonly #alarms = new Map<string, AlarmRuntime>();

  constructor(private readonly options: AlarmEvaluatorOptions) {}

  start(alarms: readonly AlarmDefinition[]): void {
    const clock = this.options.metrics.clock;
    for (const alarm of alarms) {
      const runtime: AlarmRuntime = {
        alarm,
        state: 'INSUFFICIENT_DATA',
        reason: 'Unchecked: Initial alarm creation',
        history: [],
      };
      this.#alarms.set(alarm.alarmName, runtime);
      runtime.timer = setInterval(
        () => void this.evaluate(alarm.alarmName),
        Math.max(10, clock.realMs(alarm.periodSeconds * 1000)),
      );
      runtime.timer.unref();
    }
  }

  stop(): void {
    for (const runtime of this.#alarms.values()) clearInterval(runtime.timer);
  }

  status(): AlarmStatus[] {
    return [...this.#alarms.values()].map((r) => ({
      alarmName: r.alarm.alarmName,
      state: r.state,
      reason: r.reason,
      history: [...r.history],
      ...(r.notEvaluated ? { notEvaluated: r.notEvaluated } : {}),
    }));
  }

  #statDatapoint(query: MetricStatQuery, end: number): number | undefined {
    const start = end - query.periodSeconds * 1000;
    const values = this.options.metrics
      .between(query.namespace, query.metricName, query.dimensions, start, end)
      .map((p) => p.v);
    return applyStatistic(query.stat, values);
  }

  /** The alarm's value for the period ending at `end` (virtual ms). */
  #datapoint(alarm: AlarmDefinition, end: number): number | undefined {
    if (alarm.metric) return this.#statDatapoint(alarm.metric, end);
    const values: Record<string, number | undefined> = {};
    const queries = alarm.queries ?? [];
    for (const q of queries) if (q.metricStat) values[q.id] = this.#statDatapoint(q.metricStat, end);
    let result: number | undefined;
    for (const q of queries) {
      if (q.expression) values[q.id] = evaluateExpression(q.expression, values);
      if (q.returnData) result = values[q.id];
    }
    return result;
  }

  /** Evaluates one alarm now; exposed so tests can force an evaluation. */
  async evaluate(alarmName: string): Promise<void> {
    const runtime = this.#alarms.get(alarmName);
    if (!runtime || runtime.notEvaluated) return;
    const { alarm } = runtime;
    const now = this.options.metrics.clock.now();
    const periodMs = alarm.periodSeconds * 1000;
    let points: (number | undefined)[];
    try {
      points = Array.from({ length: alarm.evaluationPeriods }, (_, i) => this.#datapoint(alarm, now - i * periodMs));
    } catch (error) {
      if (!(error instanceof UnsupportedExpressionError)) throw error;
      runtime.notEvaluated = `not evaluated locally: ${error.message}`;
      return;
    }
    const next = this.#decide(alarm, points);
    if (next && next.state !== runtime.state) await this.#transition(runtime, next.state, next.reason, now);
  }

  #decide(alarm: AlarmDefinition, points: (number | undefined)[]): { state: AlarmState; reason: string } | undefined {
    const present = points.filter((p): p is number => p !== undefined);
    const missing = points.length - present.length;
    const breaching = present.filter((p) => breaches(p, alarm.comparisonOperator, alarm.threshold)).length;
    const treat = alarm.treatMissingData;
    const breachCount = breaching + (treat === 'breaching' ? missing : 0);
    const shown = `[${present.map(fmt).join(', ')}]`;
    if (present.length === 0 && (treat === 'missing' || treat === 'ignore')) {
      if (treat === 'ignore') return undefined;
      return { state: 'INSUFFICIENT_DATA', reason: `Insufficient Data: ${points.length} datapoints were unknown.` };
    }
    if (breachCount >= alarm.datapointsToAlarm) {
      return {
        state: 'ALARM',
        reason: `Threshold Crossed: ${breachCount} out of the last ${points.length} datapoints ${shown} were ${opWord(alarm)} the threshold (${alarm.threshold}).`,
      };
    }
    return {
      state: 'OK',
      reason: `Threshold Crossed: ${points.length - breachCount} out of the last ${points.length} datapoints ${shown} were not ${opWord(alarm)} the threshold (${alarm.threshold}).`,
    };
  }

  async #transition(runtime: AlarmRuntime, newState: AlarmState, reason: string, now: number): Promise<void> {
    const change: StateChange = {
      alarm: runtime.alarm,
      oldState: runtime.state,
      newState,
      reason,
      time: new Date(now).toISOString().replace('Z', '+0000'),
    };
    runtime.state = newState;
    runtime.reason = reason;
    runtime.history.push(change);
    this.options.onStateChange?.(change);
    if (!runtime.alarm.actionsEnabled) return;
    const targets =
      newState === 'ALARM'
        ? runtime.alarm.alarmActions
        : newState === 'OK'
          ? runtime.alarm.okActions
          : runtime.alarm.insufficientDataActions;
    const { subject, message } = alarmNotification(change, this.options.region, this.options.accountId);
    for (const topicArn of targets.filter((t) => t.startsWith('arn:') && t.split(':')[2] === 'sns')) {
      try {
        await this.options.sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }));
      } catch {
        // The action topic may be gone while stopping; CloudWatch also drops failed notifications.
      }
    }
  }
}

function opWord(alarm: AlarmDefinition): string {
  const words: Record<string, string> = {
    GreaterThanOrEqualToThreshold: 'greater than or equal to',
    GreaterThanThreshold: 'greater than',
    LessThanThreshold: 'less than',
    LessThanOrEqualToThreshold: 'less than or equal to',
  };
  return words[alarm.comparisonOperator]!;
}
