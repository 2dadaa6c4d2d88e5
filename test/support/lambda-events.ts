import { randomUUID } from 'node:crypto';
import type { Context, SQSMessageAttributes, SQSRecord } from 'aws-lambda';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:fanout-test';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:fanout-test';

export interface RecordOptions {
  readonly messageId?: string;
  readonly receiveCount?: number;
  readonly sentTimestamp?: number;
  readonly groupId?: string;
  readonly dedupId?: string;
  readonly sequenceNumber?: string;
}

/** Like SQS, every FIFO message gets a new, larger sequence number unless a test sets one. */
let lastSequence = 18849496460467696128n;
const nextSequence = () => {
  lastSequence += 1000n;
  return String(lastSequence);
};

function sqsRecord(body: string, messageAttributes: SQSMessageAttributes, options: RecordOptions): SQSRecord {
  const messageId = options.messageId ?? randomUUID();
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: String(options.sentTimestamp ?? Date.now()),
      SenderId: 'AIDATEST',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
      ...(options.groupId
        ? {
            MessageGroupId: options.groupId,
            MessageDeduplicationId: options.dedupId ?? messageId,
            SequenceNumber: options.sequenceNumber ?? nextSequence(),
          }
        : {}),
    },
    messageAttributes,
    md5OfBody: 'not-checked',
    eventSource: 'aws:sqs',
    eventSourceARN: options.groupId ? `${QUEUE_ARN}.fifo` : QUEUE_ARN,
    awsRegion: 'us-east-1',
  };
}

export interface SnsOptions extends RecordOptions {
  readonly snsMessageId?: string;
  /** Extra SNS attributes (String), besides eventType. */
  readonly attributes?: Record<string, string>;
  readonly publishedAt?: string;
}

/** A record as Lambda delivers an SNS → SQS message without raw delivery (the JSON envelope). */
export function snsRecord(eventType: string, payload: unknown, options: SnsOptions = {}): SQSRecord {
  const attributes = { eventType, ...options.attributes };
  return envelopeRecord(
    {
      Type: 'Notification',
      MessageId: options.snsMessageId ?? randomUUID(),
      TopicArn: TOPIC_ARN,
      Message: typeof payload === 'string' ? payload : JSON.stringify(payload),
      Timestamp: options.publishedAt ?? new Date().toISOString(),
      SignatureVersion: '1',
      Signature: 'c2lnbmF0dXJl',
      SigningCertURL: 'https://sns.us-east-1.amazonaws.com/cert.pem',
      UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
      MessageAttributes: Object.fromEntries(
        Object.entries(attributes).map(([k, v]) => [k, { Type: 'String', Value: v }]),
      ),
    },
    options,
  );
}

/** A record whose body is the given envelope object (for malformed envelopes). */
export function envelopeRecord(envelope: unknown, options: RecordOptions = {}): SQSRecord {
  return sqsRecord(typeof envelope === 'string' ? envelope : JSON.stringify(envelope), {}, options);
}

/** A record as Lambda delivers a raw-delivery or work-queue message: attributes on the record. */
export function rawRecord(
  eventType: string | undefined,
  payload: unknown,
  options: RecordOptions & { readonly attributes?: SQSMessageAttributes } = {},
): SQSRecord {
  const attributes: SQSMessageAttributes = {
    ...(eventType === undefined
      ? {}
      : { eventType: { dataType: 'String', stringValue: eventType, stringListValues: [], binaryListValues: [] } }),
    ...options.attributes,
  };
  return sqsRecord(typeof payload === 'string' ? payload : JSON.stringify(payload), attributes, options);
}

export function stringAttribute(value: string): SQSMessageAttributes[string] {
  return { dataType: 'String', stringValue: value, stringListValues: [], binaryListValues: [] };
}

/** A Lambda context whose deadline is `remainingMs` from now (or from `now()` when given). */
export function lambdaContext(remainingMs = 30_000, now: () => number = Date.now): Context {
  const deadline = now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'fanout-test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fanout-test',
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/fanout-test',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => deadline - now(),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/** Collects the runtime's log lines and EMF documents, parsed. */
export function captureSink() {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    sink: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>),
    outcomes: () => lines.filter((l) => l.message === 'record outcome'),
    metrics: () => lines.filter((l) => l._aws !== undefined),
    /** The outcome line of one record (lines arrive in completion order, not record order). */
    outcomeOf: (messageId: string) => lines.find((l) => l.message === 'record outcome' && l.messageId === messageId),
  };
}
