/**
 * `npx tsx bench/sqs-front.ts`: cost of the move-task front (local/sqs-move-tasks/front.ts) that
 * the local cloud puts before fauxqs — the same SQS calls straight to fauxqs and through the front,
 * interleaved round by round so machine load hits both alike.
 */
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  CreateQueueCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import Table from 'cli-table3';
import { startFauxqs } from 'fauxqs';
import { LOCAL_CREDENTIALS } from '../local/emulators.ts';
import { startMoveTaskFront } from '../local/sqs-move-tasks/front.ts';

const ROUNDS = 7;
const BATCHES_PER_ROUND = 200;
const REGION = 'us-east-1';

/** One round: send, receive and delete BATCHES_PER_ROUND batches of 10; returns ms per SQS call. */
async function round(sqs: SQSClient, queueUrl: string): Promise<number> {
  const started = performance.now();
  for (let b = 0; b < BATCHES_PER_ROUND; b++) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: `m-${b}-${i}` })),
      }),
    );
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
    );
    if (Messages.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
  }
  return (performance.now() - started) / (BATCHES_PER_ROUND * 3);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const fauxqs = await startFauxqs({ port: 0, logger: false, defaultRegion: REGION });
const front = await startMoveTaskFront({ upstreamPort: fauxqs.port, region: REGION, credentials: LOCAL_CREDENTIALS });
const client = (port: number) =>
  new SQSClient({ region: REGION, credentials: LOCAL_CREDENTIALS, endpoint: `http://127.0.0.1:${port}` });
const direct = client(fauxqs.port);
const fronted = client(front.port);
const { QueueUrl } = await direct.send(new CreateQueueCommand({ QueueName: 'bench-front' }));
await round(direct, QueueUrl!); // warm-up
await round(fronted, QueueUrl!);
const times = { direct: [] as number[], fronted: [] as number[] };
for (let r = 0; r < ROUNDS; r++) {
  times.direct.push(await round(direct, QueueUrl!));
  times.fronted.push(await round(fronted, QueueUrl!));
}
const [d, f] = [median(times.direct), median(times.fronted)];
const table = new Table({
  head: ['SQS call (send/receive/delete batch of 10), median of rounds', 'ms per call', 'calls/s'],
});
table.push(
  ['straight to fauxqs', d.toFixed(3), Math.round(1000 / d)],
  ['through the move-task front', f.toFixed(3), Math.round(1000 / f)],
);
table.push(['front overhead', `+${(f - d).toFixed(3)} (${(((f - d) / d) * 100).toFixed(0)}%)`, '']);
console.log(table.toString());
direct.destroy();
fronted.destroy();
await front.stop();
await fauxqs.stop();
