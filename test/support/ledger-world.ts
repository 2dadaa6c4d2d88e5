import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBClient as Client } from '@aws-sdk/client-dynamodb';
import { tableEnvName } from '../../contracts/consumer-env.ts';
import {
  createConsumer,
  DynamoDbIdempotencyStore,
  type ConsumerConfig,
  type ConsumerDependencies,
} from '../../lambdas/runtime/index.ts';
import { createTable, getItem, REGION, startDynamo, startSqs, type LocalDynamo } from './emulators.ts';
import { captureSink } from './lambda-events.ts';
import { consumerConfig } from './consumer-config.ts';
import { handler as directLedger } from '../fixtures/handlers/direct-ledger.ts';

export const IDEMPOTENCY_TABLE = 'idempotency';

/** Counts requests per command at the client (what the benchmark counts too). */
export function countRequests(client: DynamoDBClient): Record<string, number> {
  const counts: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      counts[context.commandName!] = (counts[context.commandName!] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  return counts;
}

/**
 * A fresh DynamoDB Local namespace with the idempotency table and the real ledger handler's table,
 * and the ledger's queue on the SQS emulator (deferrals hide records there). The handler reaches
 * DynamoDB through AWS_ENDPOINT_URL_DYNAMODB, as it would in the local cloud.
 */
export async function startLedgerWorld() {
  const dynamo: LocalDynamo = await startDynamo();
  const sqs = await startSqs();
  const queueUrl = sqs.createQueue('ledger');
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  process.env[tableEnvName('ledger')] = 'ledger';
  await createTable(dynamo.client, IDEMPOTENCY_TABLE, 'id');
  await createTable(dynamo.client, 'ledger', 'accountId');
  const storeClient = new Client({ endpoint: dynamo.endpoint, region: REGION });
  const requests = countRequests(storeClient);
  const store = new DynamoDbIdempotencyStore(storeClient, IDEMPOTENCY_TABLE);

  return {
    dynamo,
    sqs,
    /** The ledger consumer's own queue. */
    queueUrl,
    store,
    /** Requests the idempotency store made, by command; reset with `resetRequests`. */
    requests,
    resetRequests: () => {
      for (const k of Object.keys(requests)) delete requests[k];
    },
    consumer(overrides: Partial<ConsumerConfig> = {}, dependencies: ConsumerDependencies = {}) {
      const capture = captureSink();
      const config = consumerConfig({
        name: 'ledger',
        delivery: 'exactly-once',
        fifo: true,
        source: 'sns',
        idempotencyTable: IDEMPOTENCY_TABLE,
        keySources: [{ attribute: 'idempotencyKey' }, 'sns-message-id', 'fifo-dedup-id', 'message-id'],
        queueUrl,
        ...overrides,
      });
      const handler = createConsumer(directLedger.definition, config, {
        store,
        sqs: sqs.client,
        sink: capture.sink,
        ...dependencies,
      });
      return { handler, capture };
    },
    async balance(accountId: string): Promise<{ balance: number; entries: number }> {
      const item = await getItem(dynamo.client, 'ledger', { accountId: { S: accountId } });
      return { balance: Number(item?.balanceCents?.N ?? 0), entries: Number(item?.entries?.N ?? 0) };
    },
    record: (key: string) => getItem(dynamo.client, IDEMPOTENCY_TABLE, { id: { S: key } }),
    async close() {
      storeClient.destroy();
      await dynamo.close();
      await sqs.close();
    },
  };
}

export type LedgerWorld = Awaited<ReturnType<typeof startLedgerWorld>>;

export function payment(accountId: string, paymentId: string, amountCents: number) {
  return { accountId, paymentId, amountCents };
}
