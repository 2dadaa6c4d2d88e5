import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { FanoutClientError } from '../client/index.ts';
import { type LocalCloud, PortInUseError } from '../local/index.ts';
import type { PageBundle } from './bundle.ts';
import { peekQueue } from './dead-letter-peek.ts';
import type { LiveState } from './live-state.ts';
import type { ApiError, ConsoleGraph, ConsoleSnapshot } from './protocol.ts';
import type { EventStreams } from './sse.ts';
import type { TopologyActions } from './topology-actions.ts';

const PEEK_MAX = 50;
const BODY_MAX_BYTES = 1024 * 1024;

export interface ConsoleServerParts {
  readonly cloud: LocalCloud;
  readonly graph: ConsoleGraph;
  readonly live: LiveState;
  readonly streams: EventStreams;
  readonly page: Promise<PageBundle>;
  /** Publish and replay, or why they are off. */
  readonly actions: TopologyActions | string;
}

/** A request the console refuses: status and one line naming the input, the rule and the fix. */
class BadRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly kind = 'BadRequest',
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

const json = (res: ServerResponse, status: number, value: unknown) =>
  send(res, status, 'application/json', JSON.stringify(value));

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  // A page on another site can POST text/plain or a form without asking; application/json needs a
  // CORS preflight this server never grants: so only this console's own page can act.
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
    throw new BadRequest(415, 'Request body must be application/json. Fix: send content-type: application/json.');
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_MAX_BYTES)
      throw new BadRequest(413, `Request body is over ${BODY_MAX_BYTES} bytes. Fix: send a smaller payload.`);
    chunks.push(chunk);
  }
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new BadRequest(400, 'Request body is not a JSON object. Fix: send {"eventType": …, "payload": {…}}.');
}

export function startConsoleServer(parts: ConsoleServerParts, port: number, host: string): Promise<Server> {
  const { cloud, graph, live, streams } = parts;
  const actions = () => {
    if (typeof parts.actions === 'string')
      throw new BadRequest(409, `Publish and replay are off: ${parts.actions}.`, 'FeatureUnavailable');
    return parts.actions;
  };
  const queueUrl = (name: string) => {
    const node = graph.nodes.find((n) => n.queueName === name);
    if (!node?.queueUrl)
      throw new BadRequest(
        404,
        `Unknown queue '${name}'. Fix: use one of ${graph.nodes
          .filter((n) => n.queueName)
          .map((n) => n.queueName)
          .join(', ')}.`,
        'UnknownQueue',
      );
    return node.queueUrl;
  };
  const snapshot = (): ConsoleSnapshot => ({
    stackName: cloud.stackName,
    timeScale: cloud.clock.timeScale,
    graph,
    queues: live.queues(),
    functions: live.functions(),
    alarms: live.alarms(),
    outcomes: live.outcomes(),
    logs: live.logs(),
    features: typeof parts.actions === 'string' ? { topology: false, reason: parts.actions } : { topology: true },
    events: typeof parts.actions === 'string' ? [] : parts.actions.forms(),
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://console');
    const path = url.pathname;
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (req.method === 'GET' && path === '/')
      return send(res, 200, 'text/html; charset=utf-8', (await parts.page).html);
    if (req.method === 'GET' && path === '/assets/console.js')
      return send(res, 200, 'text/javascript; charset=utf-8', (await parts.page).js);
    if (req.method === 'GET' && path === '/assets/console.css')
      return send(res, 200, 'text/css; charset=utf-8', (await parts.page).css);
    if (req.method === 'GET' && path === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
    if (req.method === 'GET' && path === '/api/snapshot') return json(res, 200, snapshot());
    if (req.method === 'GET' && path === '/api/stream') return streams.add(res);
    if (
      req.method === 'GET' &&
      segments[0] === 'api' &&
      segments[1] === 'queues' &&
      segments[3] === 'messages' &&
      segments[2]
    ) {
      const max = Math.min(PEEK_MAX, Math.max(1, Number(url.searchParams.get('max') ?? 20) || 20));
      return json(res, 200, await peekQueue(cloud.clients.sqs, queueUrl(segments[2]), max));
    }
    if (
      req.method === 'GET' &&
      segments[0] === 'api' &&
      segments[1] === 'tables' &&
      segments[3] === 'count' &&
      segments[2]
    ) {
      const table = segments[2];
      if (!graph.nodes.some((n) => n.tableName === table))
        throw new BadRequest(404, `Unknown table '${table}'. Fix: use a table of this stack.`, 'UnknownTable');
      let count = 0;
      let start: Record<string, never> | undefined;
      do {
        const page = await cloud.clients.dynamodb.send(
          new ScanCommand({ TableName: table, Select: 'COUNT', ExclusiveStartKey: start }),
        );
        count += page.Count ?? 0;
        start = page.LastEvaluatedKey as Record<string, never> | undefined;
      } while (start);
      return json(res, 200, { count });
    }
    if (
      req.method === 'POST' &&
      segments[0] === 'api' &&
      segments[1] === 'dead-letters' &&
      segments[3] === 'replay' &&
      segments[2]
    ) {
      const body = await readJson(req);
      const filter = typeof body.filter === 'string' && body.filter.trim() ? body.filter.trim() : undefined;
      const source = body.source === 'subscription' ? 'subscription' : 'queue';
      return json(res, 200, await actions().replay(segments[2], filter, source, body.force === true));
    }
    if (
      req.method === 'POST' &&
      segments[0] === 'api' &&
      segments[1] === 'dead-letters' &&
      segments[3] === 'purge' &&
      segments[2]
    ) {
      const body = await readJson(req);
      return json(
        res,
        200,
        await actions().purge(segments[2], body.source === 'subscription' ? 'subscription' : 'queue'),
      );
    }
    if (req.method === 'POST' && path === '/api/publish') {
      const body = await readJson(req);
      if (typeof body.eventType !== 'string')
        throw new BadRequest(400, 'Field "eventType" is missing or not a string. Fix: pick an event type.');
      const messageId = await actions().publish({
        eventType: body.eventType,
        payload: body.payload,
        ...(typeof body.idempotencyKey === 'string' && body.idempotencyKey
          ? { idempotencyKey: body.idempotencyKey }
          : {}),
        ...(typeof body.correlationId === 'string' && body.correlationId ? { correlationId: body.correlationId } : {}),
      });
      return json(res, 200, { messageId });
    }
    throw new BadRequest(404, `No ${req.method} ${path} here. Fix: open the console at '/'.`, 'NotFound');
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      const body: ApiError =
        error instanceof BadRequest
          ? { error: error.kind, message: error.message }
          : error instanceof FanoutClientError
            ? { error: error.name, message: error.message }
            : { error: 'InternalError', message: error instanceof Error ? error.message : String(error) };
      const status = error instanceof BadRequest ? error.status : error instanceof FanoutClientError ? 400 : 500;
      if (!res.headersSent) json(res, status, body);
      else res.end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, 'console', host) : error),
    );
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

export function serverUrl(server: Server, host: string): string {
  // Opened to the network, the console is still reached here at loopback.
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${(server.address() as AddressInfo).port}`;
}
