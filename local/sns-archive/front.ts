import { request, type Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ArchiveStore } from './archive-store.ts';
import type { SnsArchiveAction, SnsArchiveContext } from './context.ts';
import { createTopic } from './create-topic.ts';
import { getSubscriptionAttributes } from './get-subscription-attributes.ts';
import { getTopicAttributes } from './get-topic-attributes.ts';
import { publish, publishBatch } from './publish.ts';
import { encodeQuery, parseQuery, SnsApiError, type SnsReply } from './query-protocol.ts';
import { setSubscriptionAttributes } from './set-subscription-attributes.ts';
import { setTopicAttributes } from './set-topic-attributes.ts';
import { loopbackRequestHandler } from '../loopback-agent.ts';

/** The SNS actions the archive takes part in; fauxqs answers every other one unchanged. */
const ACTIONS: ReadonlyMap<string, SnsArchiveAction> = new Map([
  ['CreateTopic', createTopic],
  ['SetTopicAttributes', setTopicAttributes],
  ['GetTopicAttributes', getTopicAttributes],
  ['Publish', publish],
  ['PublishBatch', publishBatch],
  ['SetSubscriptionAttributes', setSubscriptionAttributes],
  ['GetSubscriptionAttributes', getSubscriptionAttributes],
]);

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade']);

export interface SnsArchiveProps {
  readonly upstreamPort: number;
  readonly agent: Agent;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export interface SnsArchiveFront {
  /** An SNS query-protocol request (form-encoded POST without an `x-amz-target`). */
  accepts(req: IncomingMessage): boolean;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Waits for running replays and closes the clients. */
  stop(): Promise<void>;
}

function callUpstream(props: SnsArchiveProps, req: IncomingMessage, body: string): Promise<SnsReply> {
  const headers: Record<string, string | string[] | undefined> = Object.fromEntries(
    Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)),
  );
  headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const upstream = request(
      { host: '127.0.0.1', port: props.upstreamPort, method: req.method, path: req.url, headers, agent: props.agent },
      async (reply) => {
        const chunks: Buffer[] = [];
        for await (const chunk of reply) chunks.push(chunk as Buffer);
        const replyHeaders = Object.fromEntries(
          Object.entries(reply.headers).filter(([name]) => !HOP_BY_HOP.has(name) && name !== 'content-length'),
        );
        resolve({
          status: reply.statusCode ?? 502,
          headers: replyHeaders,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      },
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}

/** The SNS message archive and subscription replay fauxqs lacks, in front of fauxqs's SNS. */
export function startSnsArchive(props: SnsArchiveProps): SnsArchiveFront {
  const endpoint = `http://127.0.0.1:${props.upstreamPort}`;
  const common = {
    region: props.region,
    credentials: props.credentials,
    endpoint,
    requestHandler: loopbackRequestHandler(),
  };
  const store = new ArchiveStore();
  const sqs = new SQSClient(common);
  const sns = new SNSClient(common);
  return {
    accepts(req) {
      const type = req.headers['content-type'] ?? '';
      return (
        req.method === 'POST' &&
        req.headers['x-amz-target'] === undefined &&
        type.startsWith('application/x-www-form-urlencoded')
      );
    },
    async handle(req, res) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const params = parseQuery(body);
      const action = ACTIONS.get(params.Action ?? '');
      const ctx: SnsArchiveContext = {
        store,
        sqs,
        sns,
        upstream: (override) => callUpstream(props, req, override ? encodeQuery(override) : body),
      };
      let reply: SnsReply;
      try {
        reply = action ? await action(params, ctx) : await ctx.upstream();
      } catch (error) {
        reply = (
          error instanceof SnsApiError ? error : new SnsApiError('InternalError', (error as Error).message, 500)
        ).toReply();
      }
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body);
    },
    async stop() {
      await store.settle();
      sqs.destroy();
      sns.destroy();
    },
  };
}
