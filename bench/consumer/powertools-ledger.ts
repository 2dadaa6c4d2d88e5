import {
  BatchProcessor,
  EventType,
  processPartialResponse,
  SqsFifoPartialProcessorAsync,
} from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parse } from 'valibot';
import { PaymentCaptured, PaymentRefunded } from '../../examples/shop/events/payments.ts';

/**
 * The same ledger consumer written the Powertools way: BatchProcessor (standard) or
 * SqsFifoPartialProcessorAsync (FIFO) + makeIdempotent over DynamoDBPersistenceLayer, doing the
 * same work per record (SNS envelope → JSON → valibot schema → the ledger handler's effect).
 */
const schemas = { PaymentCaptured, PaymentRefunded } as const;
/** The ledger table's client (exported so the benchmark can add the same latency to both sides). */
export const ledgerClient = new DynamoDBClient({});

/** Byte-for-byte the ledger handler's effect (examples/shop/handlers/ledger.ts), without our runtime. */
async function post(accountId: string, paymentId: string, deltaCents: number): Promise<void> {
  await ledgerClient.send(
    new UpdateItemCommand({
      TableName: process.env.FANOUT_TABLE_LEDGER,
      Key: { accountId: { S: accountId } },
      UpdateExpression: 'ADD balanceCents :delta, entries :one SET lastPaymentId = :p',
      ExpressionAttributeValues: { ':delta': { N: String(deltaCents) }, ':one': { N: '1' }, ':p': { S: paymentId } },
    }),
  );
}

async function handleRecord(record: SQSRecord): Promise<void> {
  const envelope = JSON.parse(record.body) as { Message: string; MessageAttributes: Record<string, { Value: string }> };
  const eventType = envelope.MessageAttributes.eventType?.Value as keyof typeof schemas;
  const schema = schemas[eventType];
  if (!schema) throw new Error(`unknown event type ${eventType}`);
  const payment = parse(schema, JSON.parse(envelope.Message));
  await post(
    payment.accountId,
    payment.paymentId,
    eventType === 'PaymentRefunded' ? -payment.amountCents : payment.amountCents,
  );
}

export interface PowertoolsLedgerOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly fifo: boolean;
}

export function createPowertoolsLedger(options: PowertoolsLedgerOptions) {
  const config = new IdempotencyConfig({ eventKeyJmesPath: 'messageId' });
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: options.tableName,
    awsSdkV3Client: options.client,
  });
  const idempotent = makeIdempotent(handleRecord, { persistenceStore, config });
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    config.registerLambdaContext(context);
    if (options.fifo) {
      return processPartialResponse(event, idempotent, new SqsFifoPartialProcessorAsync(), {
        context,
        skipGroupOnError: true,
      });
    }
    return processPartialResponse(event, idempotent, new BatchProcessor(EventType.SQS), { context });
  };
}

/** The deployable entry (what the bundle-size and init-time columns measure). */
export const handler = createPowertoolsLedger({
  client: new DynamoDBClient({}),
  tableName: process.env.IDEMPOTENCY_TABLE ?? 'idempotency',
  fifo: process.env.FIFO === 'true',
});
