import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FunctionLogStore, StoredLogEvent } from './log-store.ts';

const TARGET_PREFIX = 'Logs_20140328.';
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
/** FilterLogEvents' largest and default page (AWS: 10,000 events). */
const FILTER_LIMIT_MAX = 10_000;

/** A CloudWatch Logs error in the JSON protocol's shape. */
class LogsApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

type Input = Record<string, unknown>;

/**
 * A CloudWatch Logs filter pattern's terms: every bare or quoted term must appear, or, when terms
 * start with `?`, any of them. Metric-style (`{ $.x = 1 }`) and space-delimited (`[a, b]`) patterns
 * are refused: the local cloud does not emulate them.
 */
export function compileFilterPattern(pattern: string | undefined): ((message: string) => boolean) | undefined {
  const text = pattern?.trim();
  if (!text) return undefined;
  if (/^[{[]/.test(text))
    throw new LogsApiError(
      'InvalidParameterException',
      `filterPattern '${text}': JSON and space-delimited patterns are not emulated locally. Fix: use terms or "quoted phrases".`,
    );
  const terms = [...text.matchAll(/(\?)?(?:"((?:[^"\\]|\\.)*)"|(\S+))/g)].map((m) => ({
    any: m[1] === '?',
    text: m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!,
  }));
  const anyOf = terms.filter((t) => t.any).map((t) => t.text);
  const allOf = terms.filter((t) => !t.any).map((t) => t.text);
  return (message) =>
    allOf.every((t) => message.includes(t)) && (anyOf.length === 0 || anyOf.some((t) => message.includes(t)));
}

const optionalNumber = (input: Input, field: string): number | undefined => {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new LogsApiError('InvalidParameterException', `${field} must be a number (given ${JSON.stringify(value)}).`);
  return value;
};

function logGroupOf(input: Input, store: FunctionLogStore): string {
  const name = input.logGroupName ?? input.logGroupIdentifier;
  if (typeof name !== 'string' || !name)
    throw new LogsApiError('InvalidParameterException', 'Either logGroupName or logGroupIdentifier must be given.');
  const groupName = name.startsWith('arn:') ? (name.split(':log-group:')[1]?.replace(/:\*$/, '') ?? name) : name;
  if (!store.has(groupName))
    throw new LogsApiError('ResourceNotFoundException', 'The specified log group does not exist.');
  return groupName;
}

const wire = (e: StoredLogEvent) => ({
  logStreamName: e.logStreamName,
  timestamp: e.timestamp,
  message: e.message,
  ingestionTime: e.timestamp,
  eventId: String(e.sequence).padStart(20, '0'),
});

function filterLogEvents(input: Input, store: FunctionLogStore): object {
  const logGroupName = logGroupOf(input, store);
  const limit = optionalNumber(input, 'limit') ?? FILTER_LIMIT_MAX;
  if (limit < 1 || limit > FILTER_LIMIT_MAX)
    throw new LogsApiError(
      'InvalidParameterException',
      `limit must be from 1 to ${FILTER_LIMIT_MAX} (given ${limit}).`,
    );
  const token = input.nextToken;
  const afterSequence = typeof token === 'string' && /^\d+$/.test(token) ? Number(token) : undefined;
  if (token !== undefined && afterSequence === undefined)
    throw new LogsApiError('InvalidParameterException', 'The specified nextToken is invalid.');
  const startTime = optionalNumber(input, 'startTime');
  const endTime = optionalNumber(input, 'endTime');
  const matches = compileFilterPattern(typeof input.filterPattern === 'string' ? input.filterPattern : undefined);
  const { events, more } = store.query({
    logGroupName,
    limit,
    ...(afterSequence !== undefined ? { afterSequence } : {}),
    ...(startTime !== undefined ? { startTime } : {}),
    ...(endTime !== undefined ? { endTime } : {}),
    ...(matches ? { matches } : {}),
  });
  const streams = [...new Set(events.map((e) => e.logStreamName))];
  return {
    events: events.map(wire),
    searchedLogStreams: streams.map((logStreamName) => ({ logStreamName, searchedCompletely: true })),
    ...(more ? { nextToken: String(events.at(-1)!.sequence) } : {}),
  };
}

function describeLogGroups(input: Input, store: FunctionLogStore): object {
  const prefix = typeof input.logGroupNamePrefix === 'string' ? input.logGroupNamePrefix : '';
  return {
    logGroups: store
      .groupNames()
      .filter((name) => name.startsWith(prefix))
      .map((logGroupName) => ({ logGroupName, storedBytes: 0 })),
  };
}

const ACTIONS: ReadonlyMap<string, (input: Input, store: FunctionLogStore) => object> = new Map([
  ['FilterLogEvents', filterLogEvents],
  ['DescribeLogGroups', describeLogGroups],
]);

/** The CloudWatch Logs actions the local cloud answers (on the messaging endpoint) from its log store. */
export interface LogsApi {
  accepts(req: IncomingMessage): boolean;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function logsApi(store: FunctionLogStore): LogsApi {
  return {
    accepts(req) {
      const target = req.headers['x-amz-target'];
      return req.method === 'POST' && typeof target === 'string' && target.startsWith(TARGET_PREFIX);
    },
    async handle(req, res) {
      let status = 200;
      let body: object;
      try {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const action = String(req.headers['x-amz-target']).slice(TARGET_PREFIX.length);
        const run = ACTIONS.get(action);
        if (!run)
          throw new LogsApiError(
            'UnknownOperationException',
            `${action} is not emulated by the local cloud (it answers ${[...ACTIONS.keys()].join(', ')}).`,
          );
        let input: unknown;
        try {
          input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        } catch {
          throw new LogsApiError('SerializationException', 'The request body is not JSON.');
        }
        if (!input || typeof input !== 'object' || Array.isArray(input))
          throw new LogsApiError('SerializationException', 'The request body is not a JSON object.');
        body = run(input as Input, store);
      } catch (error) {
        const apiError =
          error instanceof LogsApiError ? error : new LogsApiError('ServiceUnavailableException', String(error), 500);
        status = apiError.status;
        body = { __type: apiError.code, message: apiError.message };
      }
      res.writeHead(status, { 'content-type': JSON_CONTENT_TYPE });
      res.end(JSON.stringify(body));
    },
  };
}
