import type { Topology } from '../topology/index.ts';
import type { ListenHost, LocalCloud } from '../local/index.ts';
import { bundlePage, type PageBundle } from './bundle.ts';
import { consoleModel } from './graph-model.ts';
import { LiveState } from './live-state.ts';
import { serverUrl, startConsoleServer } from './server.ts';
import { EventStreams } from './sse.ts';
import { TopologyActions } from './topology-actions.ts';

export interface StartConsoleOptions {
  /** 0 picks a free port. @default 0 */
  readonly port?: number;
  /** Address to listen on ('0.0.0.0' opens the console to the network). @default '127.0.0.1' */
  readonly host?: ListenHost;
  /**
   * The topology the stack was built from: enables the publish form (its schemas) and DLQ replay
   * (its endpoints). Everything else comes from the template and the emulators.
   * @default - none: graph, queues, alarms, outcomes and DLQ peek only
   */
  readonly topology?: Topology;
}

export interface LocalConsole {
  readonly url: string;
  /** Resolves once the page is bundled (the first request waits for it anyway). */
  readonly page: Promise<PageBundle>;
  stop(): Promise<void>;
}

/** Serves the local console for a running local cloud: topology graph, live queues, alarms, outcomes, DLQs, publish. */
export async function startConsole(cloud: LocalCloud, options: StartConsoleOptions = {}): Promise<LocalConsole> {
  const host = options.host ?? '127.0.0.1';
  const page = bundlePage();
  page.catch(() => undefined);
  const { graph, watches } = consoleModel(cloud);
  const streams = new EventStreams();
  const live = new LiveState(cloud, watches, { send: (event, data) => streams.broadcast(event, data) });
  const actions = await TopologyActions.connect(cloud, options.topology);
  const server = await startConsoleServer({ cloud, graph, live, streams, page, actions }, options.port ?? 0, host);
  let stopping: Promise<void> | undefined;
  return {
    url: serverUrl(server, host),
    page,
    stop() {
      stopping ??= (async () => {
        live.stop();
        streams.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        if (typeof actions !== 'string') await actions.close();
      })();
      return stopping;
    },
  };
}
