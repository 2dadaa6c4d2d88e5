import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';

export interface DrainOptions {
  /**
   * What ends the drain:
   * - `'quiet'`: `quietReceives` receives in a row come back empty, or `max` messages arrived;
   * - a number: at least that many messages arrived (fails after `timeoutMs`, naming what did);
   * - `'empty'`: the queue's own consumers emptied it, nothing visible, in flight or delayed (read with
   *   GetQueueAttributes). Nothing is received.
   * @default 'quiet'
   */
  readonly until?: 'quiet' | 'empty' | number;
  /** With `until: 'quiet'`, stop once this many messages arrived. @default Infinity */
  readonly max?: number;
  /** With `until: 'quiet'`, empty receives in a row that end the drain. @default 2 */
  readonly quietReceives?: number;
  /** Long-poll seconds of each receive. @default 0 */
  readonly waitSeconds?: number;
  /** Delete what is received; `false` leaves it in flight until its visibility timeout. @default true */
  readonly delete?: boolean;
  /** Fail when the drain has not ended by then. @default 30_000 */
  readonly timeoutMs?: number;
}

/**
 * Receives a queue's messages (with every message and system attribute) until `until` holds, and
 * returns them in the order received.
 */
export async function drain(sqs: SQSClient, queueUrl: string, options: DrainOptions = {}): Promise<Message[]> {
  const { until = 'quiet', max = Infinity, quietReceives = 2, waitSeconds = 0, timeoutMs = 30_000 } = options;
  const deadline = Date.now() + timeoutMs;
  if (until === 'empty') return waitUntilEmpty(sqs, queueUrl, deadline, timeoutMs);
  const received: Message[] = [];
  let empty = 0;
  const done = () => (until === 'quiet' ? received.length >= max || empty >= quietReceives : received.length >= until);
  while (!done()) {
    if (Date.now() > deadline) {
      const wanted = until === 'quiet' ? 'the queue to go quiet' : `${until} message(s)`;
      throw new Error(
        `Draining queue '${queueName(queueUrl)}': no ${wanted} within ${timeoutMs} ms; received ${summary(received)}.`,
      );
    }
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: waitSeconds,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) {
      empty++;
      if (typeof until === 'number' && waitSeconds === 0) await pause(50);
      continue;
    }
    empty = 0;
    received.push(...Messages);
    if (options.delete === false) continue;
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
  return received;
}

const COUNTS = {
  visible: 'ApproximateNumberOfMessages',
  'in flight': 'ApproximateNumberOfMessagesNotVisible',
  delayed: 'ApproximateNumberOfMessagesDelayed',
} as const;

async function waitUntilEmpty(sqs: SQSClient, queueUrl: string, deadline: number, timeoutMs: number): Promise<[]> {
  for (;;) {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: Object.values(COUNTS) }),
    );
    const counts = Object.entries(COUNTS).map(([label, name]) => [label, Number(Attributes[name] ?? 0)] as const);
    if (counts.every(([, n]) => n === 0)) return [];
    if (Date.now() > deadline) {
      const held = counts.map(([label, n]) => `${n} ${label}`).join(', ');
      throw new Error(`Draining queue '${queueName(queueUrl)}': not empty within ${timeoutMs} ms; it holds ${held}.`);
    }
    await pause(50);
  }
}

const queueName = (queueUrl: string) => queueUrl.slice(queueUrl.lastIndexOf('/') + 1);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** "2 message(s): {"n":1}, {"n":2}", bodies cut to 80 characters, at most 5 of them. */
function summary(messages: readonly Message[]): string {
  const bodies = messages.slice(0, 5).map((m) => (m.Body ?? '').slice(0, 80));
  const more = messages.length > 5 ? `, … ${messages.length - 5} more` : '';
  return `${messages.length} message(s)${bodies.length ? `: ${bodies.join(', ')}${more}` : ''}`;
}
