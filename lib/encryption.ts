import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/**
 * The KMS actions a service or producer needs to write to (and read from) a resource encrypted with
 * a CMK. Listed explicitly: our policies never use wildcard actions such as `kms:GenerateDataKey*`.
 */
export const KMS_ENCRYPT_DECRYPT = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

/** Deletion waiting period of keys that are not retained (the KMS minimum). */
const PENDING_WINDOW_DAYS = 7;

export interface CustomerManagedKeyProps {
  /** What the key protects, shown in the KMS console. */
  readonly description: string;
  /**
   * Alias, without the `alias/` prefix.
   * @default - no alias
   */
  readonly alias?: string;
  /**
   * What happens to the key when it leaves the stack.
   * @default RemovalPolicy.DESTROY - scheduled for deletion after a 7-day waiting period
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Creates a customer managed KMS key with yearly rotation: the only way this app creates keys.
 * The key policy is CDK's default (the account delegates to IAM); services get statements
 * through `allowServiceToUseKey`.
 */
export function createCustomerManagedKey(scope: Construct, id: string, props: CustomerManagedKeyProps): kms.Key {
  const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
  return new kms.Key(scope, id, {
    description: props.description,
    enableKeyRotation: true,
    alias: props.alias ? `alias/${props.alias}` : undefined,
    removalPolicy,
    pendingWindow: removalPolicy === RemovalPolicy.RETAIN ? undefined : Duration.days(PENDING_WINDOW_DAYS),
  });
}

/** Which requests of a service principal a key statement accepts (confused-deputy guard). */
export type ServiceCondition = { readonly sourceArn: string } | { readonly sourceAccount: true };

/** Lets an AWS service principal encrypt with and decrypt a key, on behalf of one source only. */
export function allowServiceToUseKey(key: kms.IKey, service: string, source: ServiceCondition): void {
  const conditions =
    'sourceArn' in source
      ? { ArnEquals: { 'aws:SourceArn': source.sourceArn } }
      : { StringEquals: { 'aws:SourceAccount': Stack.of(key).account } };
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(service)],
      actions: [...KMS_ENCRYPT_DECRYPT],
      resources: ['*'],
      conditions,
    }),
  );
}

/** Lets a principal (a producer's role, user or account) encrypt with and decrypt a key. */
export function allowPrincipalToUseKey(key: kms.IKey, principal: iam.IPrincipal): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({ principals: [principal], actions: [...KMS_ENCRYPT_DECRYPT], resources: ['*'] }),
  );
}
