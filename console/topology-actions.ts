import {
  localConnection,
  purgeDeadLetters,
  type PurgeResult,
  replayDeadLetters,
  type ReplayResult,
  connectOperator,
  type OperatorContext,
  createPublisher,
  type Publisher,
  type OutputsSource,
  type DeadLetterSource,
} from '../client/index.ts';
import type { Topology } from '../topology/index.ts';
import { stackName } from '../topology/internal.ts';
import { OUTPUT_KEYS } from '../contracts/index.ts';
import type { LocalCloud } from '../local/index.ts';
import type { EventForm } from './protocol.ts';
import { formFields } from './schema-form.ts';

export interface PublishRequest {
  readonly eventType: string;
  readonly payload: unknown;
  readonly idempotencyKey?: string;
  readonly correlationId?: string;
}

/**
 * Publishing and DLQ replay through the client's own code (`createPublisher`, `replayDeadLetters`,
 * as `fanout publish` and `fanout dlq replay` run them), for a stack built from a known topology.
 */
export class TopologyActions {
  private constructor(
    readonly topology: Topology,
    private readonly publisher: Publisher<Topology>,
    private readonly operator: OperatorContext,
  ) {}

  /** Actions for `cloud` when it runs `topology` (same stack name, a manifest output); otherwise why not. */
  static async connect(cloud: LocalCloud, topology: Topology | undefined): Promise<TopologyActions | string> {
    if (!topology) return 'no topology was given to the console (publish and replay need its schemas and endpoints)';
    const manifest = cloud.outputs[OUTPUT_KEYS.manifest];
    if (!manifest)
      return `stack '${cloud.stackName}' has no ${OUTPUT_KEYS.manifest} output: it was not built from a Fanout topology`;
    const stage = (JSON.parse(manifest) as { stage: string }).stage;
    if (stackName(topology.name, stage) !== cloud.stackName) {
      return `stack '${cloud.stackName}' is not topology '${topology.name}' at stage '${stage}' (${stackName(topology.name, stage)})`;
    }
    const source: OutputsSource = {
      kind: 'static',
      outputs: cloud.outputs,
      connection: localConnection(cloud.endpoints.messaging, cloud.region),
    };
    const publisher = await createPublisher({ topology, stage, target: source });
    const operator = await connectOperator({ topology, stage, source });
    return new TopologyActions(topology, publisher, operator);
  }

  forms(): EventForm[] {
    const destinations = this.publisher.target.destinations();
    return Object.entries(this.topology.events).flatMap(([eventType, spec]) => {
      const destination = destinations.find((d) => d.events.includes(eventType));
      return destination ? [{ eventType, destination: destination.name, fields: formFields(spec.schema) }] : [];
    });
  }

  /** Validates against the event's schema (a `PayloadValidationError` naming each field and rule), then publishes. */
  async publish(request: PublishRequest): Promise<string> {
    return this.publisher.publish(request.eventType, request.payload as never, {
      ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}),
      ...(request.correlationId ? { correlationId: request.correlationId } : {}),
    });
  }

  /** `fanout dlq replay <endpoint> [--filter …] [--subscription] [--force]`. */
  replay(
    endpoint: string,
    filter: string | undefined,
    source: DeadLetterSource = 'queue',
    force = false,
  ): Promise<ReplayResult> {
    return replayDeadLetters(this.operator, endpoint, { ...(filter ? { filter } : {}), source, pollMs: 100, force });
  }

  /** `fanout dlq purge <endpoint> [--subscription] --yes`. */
  purge(endpoint: string, source: DeadLetterSource = 'queue'): Promise<PurgeResult> {
    return purgeDeadLetters(this.operator, endpoint, { source });
  }

  async close(): Promise<void> {
    await this.publisher.close();
    this.operator.close();
  }
}
