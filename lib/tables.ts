import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { TableSpec } from '../topology/index.ts';
import { IDEMPOTENCY_RECORD } from '../contracts/index.ts';
import { createCustomerManagedKey } from './encryption.ts';

export interface FanoutTablesProps {
  /** Physical name of the idempotency table. */
  readonly idempotencyTableName: string;
  /**
   * Business tables handlers keep their state in, with physical names.
   * @default []
   */
  readonly tables?: readonly (TableSpec & { readonly physicalName: string })[];
  /**
   * Removal policy of the tables and their key.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The stack's DynamoDB tables — one idempotency table plus the business tables — all on-demand,
 * with point-in-time recovery, encrypted with one rotating CMK.
 */
export class FanoutTables extends Construct {
  readonly key: kms.Key;
  readonly idempotency: dynamodb.Table;
  /** Business tables by topology name. */
  readonly byName: ReadonlyMap<string, dynamodb.Table>;

  constructor(scope: Construct, id: string, props: FanoutTablesProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    this.key = createCustomerManagedKey(this, 'Key', {
      description: 'Encrypts the DynamoDB tables of consumers (business state and idempotency records)',
      removalPolicy,
    });
    const table = (tableId: string, tableName: string, partitionKey: string, sortKey?: string, ttl?: string) =>
      new dynamodb.Table(this, tableId, {
        tableName,
        partitionKey: { name: partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: sortKey ? { name: sortKey, type: dynamodb.AttributeType.STRING } : undefined,
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: this.key,
        timeToLiveAttribute: ttl,
        removalPolicy,
      });
    this.idempotency = table(
      'IdempotencyTable',
      props.idempotencyTableName,
      IDEMPOTENCY_RECORD.id,
      undefined,
      IDEMPOTENCY_RECORD.expiresAt,
    );
    const byName = new Map<string, dynamodb.Table>();
    for (const spec of props.tables ?? []) {
      byName.set(spec.name, table(`Table-${spec.name}`, spec.physicalName, spec.partitionKey, spec.sortKey));
    }
    this.byName = byName;
  }
}
