import { once } from 'node:events';
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SQSClient } from '@aws-sdk/client-sqs';
import { cancelMessageMoveTask } from './cancel-message-move-task.ts';
import type { MoveTaskAction, MoveTaskContext } from './context.ts';
import { MalformedRequestError, SqsApiError } from './errors.ts';
import { listMessageMoveTasks } from './list-message-move-tasks.ts';
import { MoveTaskStore } from './move-task-store.ts';
import { PortInUseError } from '../errors.ts';
import type { LogsApi } from '../logs/logs-api.ts';
import { startSnsArchive } from '../sns-archive/front.ts';
import type { VisibilityChanges } from '../esm/visibility-changes.ts';
import { startMessageMoveTask } from './start-message-move-task.ts';
import { loopbackRequestHandler } from '../loopback-agent.ts';

/** The actions the front answers itself; fauxqs answers everything else. */
const ACTIONS: ReadonlyMap<string, MoveTaskAction> = new Map([
  ['StartMessageMoveTask', startMessageMoveTask],
  ['ListMessageMoveTasks', listMessageMoveTasks],
  ['CancelMessageMoveTask', cancelMessageMoveTask],
]);

const SQS_TARGET_PREFIX = 'AmazonSQS.';
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
/** Per-connection headers that must not be forwarded between the two hops. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade']);

/** SQS actions whose receipt handles the front notes before forwarding them (see VisibilityChanges). */
const VISIBILITY_ACTIONS = new Set(['ChangeMessageVisibility', 'ChangeMessageVisibilityBatch']);

export interface MoveTaskFrontProps {
  /** Public port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Address the public port listens on ('0.0.0.0' opens it to the network). @default '127.0.0.1' */
  readonly host?: string;
  /** Port fauxqs listens on (127.0.0.1). */
  readonly upstreamPort: number;
  /** Region of the SDK client that moves messages. */
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Where visibility changes made by clients are noted. @default - not noted */
  readonly visibilityChanges?: VisibilityChanges;
  /** Answers the CloudWatch Logs actions on this endpoint too. @default - forwarded to fauxqs (which refuses them) */
  readonly logs?: LogsApi;
}

export interface MoveTaskFront {
  readonly port: number;
  /** Cancels running tasks, waits for them, and closes the port. */
  stop(): Promise<void>;
}

function moveTaskAction(req: IncomingMessage): MoveTaskAction | undefined {
  const target = req.headers['x-amz-target'];
  return req.method === 'POST' && typeof target === 'string' && target.startsWith(SQS_TARGET_PREFIX)
    ? ACTIONS.get(target.slice(SQS_TARGET_PREFIX.length))
    : undefined;
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  action: MoveTaskAction,
  ctx: MoveTaskContext,
): Promise<void> {
  let status = 200;
  let body: object;
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let input: unknown;
    try {
      input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch (error) {
      throw new MalformedRequestError((error as Error).message);
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw new MalformedRequestError('expected a JSON object');
    body = await action(input as Record<string, unknown>, ctx);
  } catch (error) {
    const apiError =
      error instanceof SqsApiError ? error : new SqsApiError('InternalFailure', (error as Error).message, 500);
    status = apiError.statusCode;
    body = apiError.toJSON();
    res.setHeader('x-amzn-query-error', `${apiError.code};${status < 500 ? 'Sender' : 'Receiver'}`);
  }
  res.writeHead(status, { 'content-type': JSON_CONTENT_TYPE });
  res.end(JSON.stringify(body));
}

function sqsAction(req: IncomingMessage): string | undefined {
  const target = req.headers['x-amz-target'];
  return req.method === 'POST' && typeof target === 'string' && target.startsWith(SQS_TARGET_PREFIX)
    ? target.slice(SQS_TARGET_PREFIX.length)
    : undefined;
}

/** Reads a visibility change's body to note its handles, then forwards it as it came. */
async function noteAndForward(
  req: IncomingMessage,
  res: ServerResponse,
  action: string,
  props: MoveTaskFrontProps,
  agent: Agent,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  try {
    props.visibilityChanges!.noteRequest(action, JSON.parse(body.toString('utf8') || '{}'));
  } catch {
    // not JSON: fauxqs answers it with its own error
  }
  forward(req, res, props.upstreamPort, agent, body);
}

function forward(req: IncomingMessage, res: ServerResponse, upstreamPort: number, agent: Agent, body?: Buffer): void {
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
  const upstream = request(
    { host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers, agent },
    (reply) => {
      const replyHeaders = Object.fromEntries(Object.entries(reply.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
      res.writeHead(reply.statusCode ?? 502, replyHeaders);
      reply.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`local cloud: fauxqs did not answer: ${error.message}`);
  });
  // A client that hangs up (e.g. an aborted long poll) ends the upstream request too.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  if (body) upstream.end(body);
  else req.pipe(upstream);
}

/**
 * Starts the public SQS/SNS/S3 endpoint: it answers StartMessageMoveTask, ListMessageMoveTasks and
 * CancelMessageMoveTask (which fauxqs lacks), lets the SNS archive (local/sns-archive) take part in
 * the SNS actions of message archiving and replay, and forwards every other request unchanged to fauxqs.
 */
export async function startMoveTaskFront(props: MoveTaskFrontProps): Promise<MoveTaskFront> {
  const sqs = new SQSClient({
    region: props.region,
    credentials: props.credentials,
    endpoint: `http://127.0.0.1:${props.upstreamPort}`,
    requestHandler: loopbackRequestHandler(),
  });
  const ctx: MoveTaskContext = { store: new MoveTaskStore(), sqs };
  const agent = new Agent({ keepAlive: true });
  const archive = startSnsArchive({
    upstreamPort: props.upstreamPort,
    agent,
    region: props.region,
    credentials: props.credentials,
  });
  const server = createServer((req, res) => {
    const action = moveTaskAction(req);
    const sqs = sqsAction(req);
    if (action) void answer(req, res, action, ctx);
    else if (archive.accepts(req)) void archive.handle(req, res);
    else if (props.logs?.accepts(req)) void props.logs.handle(req, res);
    else if (props.visibilityChanges && sqs && VISIBILITY_ACTIONS.has(sqs))
      void noteAndForward(req, res, sqs, props, agent);
    else forward(req, res, props.upstreamPort, agent);
  });
  const host = props.host ?? '127.0.0.1';
  try {
    server.listen(props.port ?? 0, host);
    await once(server, 'listening');
  } catch (error) {
    agent.destroy();
    sqs.destroy();
    await archive.stop();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new PortInUseError(props.port ?? 0, 'SNS/SQS/S3', host);
    throw error;
  }
  return {
    port: (server.address() as AddressInfo).port,
    async stop() {
      await ctx.store.stopAll();
      await archive.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
      sqs.destroy();
    },
  };
}
