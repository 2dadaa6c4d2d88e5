import { resolveTopology, type Topology } from '../topology/index.ts';
import { DEFAULT_STAGE } from '../topology/internal.ts';
import { createClients, type AwsClients } from './connection.ts';
import { loadStackOutputs, type OutputsSource } from './stack-outputs.ts';
import { Target } from './target.ts';

/** What the operator tools (status, DLQ peek/replay) work on: the stack's addresses and SDK clients. */
export interface OperatorContext {
  readonly target: Target;
  readonly clients: AwsClients;
  close(): void;
}

export async function connectOperator(options: {
  readonly topology: Topology;
  readonly source: OutputsSource;
  /** @default 'dev' */
  readonly stage?: string;
  /** @default - created from the outputs' connection */
  readonly clients?: AwsClients;
}): Promise<OperatorContext> {
  const stage = options.stage ?? DEFAULT_STAGE;
  const outputs = await loadStackOutputs(options.topology.name, stage, options.source);
  const clients = options.clients ?? createClients(outputs.connection);
  return {
    target: new Target(resolveTopology(options.topology, stage), outputs),
    clients,
    close: () => {
      if (!options.clients) clients.destroy();
    },
  };
}
