import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CLAIM_CHECK, replyObjectKeyPrefix } from '../contracts/index.ts';
import { createCustomerManagedKey } from './encryption.ts';
import { acknowledgeNag } from './nag-suppressions.ts';

export interface PayloadBucketProps {
  /**
   * Days (≥ 1) before a payload object expires: longer than any message pointing at it can live
   * (the stack passes the resolved topology's `payloadRetentionDays`).
   */
  readonly expiryDays: number;
  /**
   * Removal policy of the bucket and its key. A non-empty bucket is never deleted by CloudFormation.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Holds claim-check payloads too large for a message: private, TLS-only, encrypted with a rotating CMK
 * (S3 Bucket Key on to keep KMS calls down), objects expire after `expiryDays`.
 */
export class PayloadBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: PayloadBucketProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    this.key = createCustomerManagedKey(this, 'Key', { description: 'Encrypts claim-check payloads', removalPolicy });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          id: 'expire-payloads',
          expiration: Duration.days(props.expiryDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy,
    });
    acknowledgeNag(this.bucket, 'payloadBucketAccessLogs');
  }

  /** The objects claim-check pointers can name: everything under the claim-check key prefix. */
  get claimCheckObjectsArn(): string {
    return this.bucket.arnForObjects(`${CLAIM_CHECK.keyPrefix}*`);
  }

  /** Lets a consumer read claim-check payloads: `s3:GetObject` under the prefix and `kms:Decrypt` on the key. */
  grantReadPayloads(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [this.claimCheckObjectsArn] });
    iam.Grant.addToPrincipal({ grantee, actions: ['kms:Decrypt'], resourceArns: [this.key.keyArn] });
  }

  /**
   * Lets a request/reply consumer store replies too large for a message: `s3:PutObject` under its own
   * reply prefix (`claim-check/replies/<consumer>/`) and `kms:GenerateDataKey` on the key.
   */
  grantWriteReplies(grantee: iam.IGrantable, consumer: string): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:PutObject'],
      resourceArns: [this.bucket.arnForObjects(`${replyObjectKeyPrefix(consumer)}*`)],
    });
    iam.Grant.addToPrincipal({ grantee, actions: ['kms:GenerateDataKey'], resourceArns: [this.key.keyArn] });
  }

  /** Lets a producer store claim-check payloads: `s3:PutObject` under the prefix and the KMS actions encrypting needs. */
  grantWritePayloads(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['s3:PutObject'], resourceArns: [this.claimCheckObjectsArn] });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resourceArns: [this.key.keyArn],
    });
  }
}
