import { CreateTableCommand, UpdateTimeToLiveCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { arn, generatedName } from './naming.ts';
import type { DeploymentContext, Provisioned, Provisioner, ProvisionRequest } from './types.ts';

const TABLE_NAME_MAX = 255;
/** Billing mode is not emulated: every table gets this throughput (DynamoDB Local never throttles). */
const LOCAL_THROUGHPUT = { ReadCapacityUnits: 1000, WriteCapacityUnits: 1000 };

type Index = { IndexName: string; KeySchema: unknown; Projection: unknown; ProvisionedThroughput?: unknown };

const withThroughput = (indexes: unknown) =>
  (indexes as Index[] | undefined)?.map((i) => ({
    IndexName: i.IndexName,
    KeySchema: i.KeySchema,
    Projection: i.Projection,
    ProvisionedThroughput: LOCAL_THROUGHPUT,
  }));

async function createTable({ logicalId, properties: p, ctx }: ProvisionRequest): Promise<Provisioned> {
  const name = (p.TableName as string | undefined) ?? generatedName(ctx, logicalId, { maxLength: TABLE_NAME_MAX });
  const input = {
    TableName: name,
    KeySchema: p.KeySchema,
    AttributeDefinitions: p.AttributeDefinitions,
    ProvisionedThroughput: LOCAL_THROUGHPUT,
    ...(p.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: withThroughput(p.GlobalSecondaryIndexes) } : {}),
    ...(p.LocalSecondaryIndexes
      ? {
          LocalSecondaryIndexes: (p.LocalSecondaryIndexes as Index[]).map(({ IndexName, KeySchema, Projection }) => ({
            IndexName,
            KeySchema,
            Projection,
          })),
        }
      : {}),
  } as CreateTableCommandInput;
  await ctx.clients.dynamodb.send(new CreateTableCommand(input));
  const ttl = p.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
  if (ttl?.Enabled)
    await ctx.clients.dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: true },
      }),
    );
  noteUnemulated(logicalId, p, ctx);
  const tableArn = arn(ctx, 'dynamodb', `table/${name}`);
  return { physicalId: name, attributes: { Arn: tableArn, StreamArn: `${tableArn}/stream/local`, TableId: name } };
}

function noteUnemulated(logicalId: string, p: Record<string, unknown>, ctx: DeploymentContext): void {
  if (p.StreamSpecification) ctx.warnings.push(`${logicalId}: DynamoDB streams are not emulated`);
}

export const dynamodbTable: Provisioner = { type: 'AWS::DynamoDB::Table', enforced: true, provision: createTable };
/** TableV2 synthesizes a GlobalTable; locally it is one table in the local region. */
export const dynamodbGlobalTable: Provisioner = {
  type: 'AWS::DynamoDB::GlobalTable',
  enforced: true,
  provision: createTable,
};
