import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED_ENDPOINTS, PREFIX } from './support/expected.ts';
import { synthesize } from './support/synth.ts';
import { topologyWith } from '../support/topology-fixtures.ts';
import {
  allStatements,
  asList,
  findBy,
  findQueue,
  ofType,
  ref,
  referencedId,
  resourcesOf,
} from './support/template-helpers.ts';

let template: Template;
beforeAll(() => {
  template = synthesize('dev').template;
});

const rotatingKey = (keyRef: unknown) => {
  const id = referencedId(keyRef);
  const key = id ? resourcesOf(template)[id] : undefined;
  return key?.Type === 'AWS::KMS::Key' && key.Properties.EnableKeyRotation === true;
};

const denyInsecureTransport = expect.objectContaining({
  Effect: 'Deny',
  Principal: expect.toSatisfy((p: unknown) => JSON.stringify(p) === '"*"' || JSON.stringify(p) === '{"AWS":"*"}'),
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

describe('encryption at rest', () => {
  it('encrypts every topic with a rotating CMK', () => {
    const topics = ofType(template, 'AWS::SNS::Topic');
    expect(topics).toHaveLength(3);
    for (const [id, t] of topics) expect(rotatingKey(t.Properties.KmsMasterKeyId), id).toBe(true);
  });

  it('encrypts every queue and DLQ with a rotating CMK', () => {
    const queues = ofType(template, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(19);
    for (const [id, q] of queues) {
      expect(q.Properties.SqsManagedSseEnabled, id).toBeUndefined();
      expect(rotatingKey(q.Properties.KmsMasterKeyId), id).toBe(true);
    }
  });

  it('encrypts every table with a rotating CMK, on demand with point-in-time recovery', () => {
    const tables = ofType(template, 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(8);
    for (const [id, t] of tables) {
      expect(t.Properties.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
      expect(rotatingKey(t.Properties.SSESpecification.KMSMasterKeyId), id).toBe(true);
      expect(t.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(t.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    }
  });

  it('gives the idempotency table a string key "id" and the TTL attribute "expiresAt"', () => {
    const [, table] = findBy(template, 'AWS::DynamoDB::Table', 'TableName', `${PREFIX}-idempotency`);
    expect(table.Properties.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(table.Properties.AttributeDefinitions).toEqual([{ AttributeName: 'id', AttributeType: 'S' }]);
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });

  it('encrypts the payload bucket with a rotating CMK, blocks public access and expires payloads after the longest life of a message pointing at them', () => {
    const [[, bucket]] = ofType(template, 'AWS::S3::Bucket') as [[string, any]];
    const sse = bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0];
    expect(sse.ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
    expect(rotatingKey(sse.ServerSideEncryptionByDefault.KMSMasterKeyID)).toBe(true);
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({ ExpirationInDays: 30 + 4 + 14 + 1, Status: 'Enabled' }),
    ]);
  });
});

describe('TLS only', () => {
  const policyStatementsFor = (policyType: string, listKey: string, logicalId: string) =>
    ofType(template, policyType)
      .filter(([, p]) => asList(p.Properties[listKey]).some((r) => referencedId(r) === logicalId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);

  it('denies non-TLS requests on every topic', () => {
    for (const [id] of ofType(template, 'AWS::SNS::Topic')) {
      expect(policyStatementsFor('AWS::SNS::TopicPolicy', 'Topics', id), id).toContainEqual(denyInsecureTransport);
    }
  });

  it('denies non-TLS requests on every queue and DLQ', () => {
    for (const [id] of ofType(template, 'AWS::SQS::Queue')) {
      expect(policyStatementsFor('AWS::SQS::QueuePolicy', 'Queues', id), id).toContainEqual(denyInsecureTransport);
    }
  });

  it('denies non-TLS requests on the payload bucket', () => {
    const [bucketId] = ofType(template, 'AWS::S3::Bucket')[0]!;
    const statements = ofType(template, 'AWS::S3::BucketPolicy')
      .filter(([, p]) => referencedId(p.Properties.Bucket) === bucketId)
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual(denyInsecureTransport);
  });
});

describe('least privilege', () => {
  const isAccountRootDelegation = (s: Record<string, any>) =>
    s.Action === 'kms:*' && JSON.stringify(s.Principal).includes(':root');

  const isTlsDeny = (s: Record<string, any>) =>
    s.Effect === 'Deny' && JSON.stringify(s.Condition) === '{"Bool":{"aws:SecureTransport":"false"}}';

  it("allows no wildcard action anywhere, except the key policies' delegation to the account", () => {
    const wildcards = allStatements(template).filter(({ statement }) =>
      asList<string>(statement.Action).some((a) => a.includes('*')),
    );
    const allowing = wildcards.filter(({ statement }) => statement.Effect === 'Allow');
    const offending = allowing.filter(
      ({ type, statement }) => !(type === 'AWS::KMS::Key' && isAccountRootDelegation(statement)),
    );
    expect(offending).toEqual([]);
    expect(allowing.length).toBe(ofType(template, 'AWS::KMS::Key').length);
    // The other wildcards deny everything (sqs:*, s3:*) over plain HTTP: broader is stricter there.
    expect(
      wildcards.filter(({ statement }) => statement.Effect !== 'Allow').every(({ statement }) => isTlsDeny(statement)),
    ).toBe(true);
  });

  it('has no wildcard action in any IAM (identity) policy', () => {
    const iam = allStatements(template).filter(({ type }) => type === 'AWS::IAM::Policy');
    expect(iam.length).toBeGreaterThan(0);
    expect(iam.filter(({ statement }) => asList<string>(statement.Action).some((a) => a.includes('*')))).toEqual([]);
  });

  it('attaches no managed policy to any role and creates no helper functions or custom resources', () => {
    const roles = ofType(template, 'AWS::IAM::Role');
    expect(roles).toHaveLength(EXPECTED_ENDPOINTS.length);
    for (const [id, role] of roles) expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
    expect(ofType(template, 'AWS::IAM::ManagedPolicy')).toEqual([]);
    expect(ofType(template, 'AWS::Lambda::Function')).toHaveLength(EXPECTED_ENDPOINTS.length);
    const custom = Object.values(resourcesOf(template)).filter(
      (r) => r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource',
    );
    expect(custom).toEqual([]);
  });

  it('allows "*" as a resource only for the X-Ray actions, which have no resource-level permissions', () => {
    const starResources = allStatements(template)
      .filter(({ type }) => type === 'AWS::IAM::Policy')
      .filter(({ statement }) => asList(statement.Resource).includes('*'));
    expect(starResources).toHaveLength(EXPECTED_ENDPOINTS.length);
    for (const { statement } of starResources) {
      expect(statement.Action).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    }
  });

  it('lets consumers read claim-check payloads (GetObject under claim-check/, Decrypt on the payload key) and write only replies, under their own prefix', () => {
    const [[bucketId, bucket]] = ofType(template, 'AWS::S3::Bucket') as [[string, any]];
    const payloadKeyId = referencedId(
      bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault
        .KMSMasterKeyID,
    );
    const iam = allStatements(template)
      .filter(({ type }) => type === 'AWS::IAM::Policy')
      .map(({ statement }) => statement);
    const s3 = iam.filter((s) => asList<string>(s.Action).some((a) => a.startsWith('s3:')));
    const reads = s3.filter((s) => s.Action === 's3:GetObject');
    expect(reads).toHaveLength(EXPECTED_ENDPOINTS.length);
    for (const s of reads)
      expect(s.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/claim-check/*']] });
    // Request/reply endpoints (jobs) store replies too large for a message under their own prefix.
    expect(s3.filter((s) => s.Action !== 's3:GetObject')).toEqual([
      expect.objectContaining({
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/claim-check/replies/jobs/*']] },
      }),
    ]);
    const onPayloadKey = iam.filter((s) => asList(s.Resource).some((r) => referencedId(r) === payloadKeyId));
    expect(onPayloadKey.flatMap((s) => asList(s.Action)).sort()).toEqual(
      [...Array(EXPECTED_ENDPOINTS.length).fill('kms:Decrypt'), 'kms:GenerateDataKey'].sort(),
    );
  });

  it('lets each exactly-once and at-most-once consumer touch only its own idempotency records (dynamodb:LeadingKeys)', () => {
    const [idempotencyId] = findBy(template, 'AWS::DynamoDB::Table', 'TableName', `${PREFIX}-idempotency`);
    const onIdempotency = allStatements(template)
      .filter(({ type }) => type === 'AWS::IAM::Policy')
      .filter(({ statement }) => asList(statement.Resource).some((r) => referencedId(r) === idempotencyId));
    const exactlyOnce = EXPECTED_ENDPOINTS.filter((e) => e.delivery !== 'at-least-once')
      .map((e) => e.name)
      .sort();
    const prefixes = onIdempotency
      .map(({ statement }) => statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'])
      .sort();
    expect(prefixes).toEqual(exactlyOnce.map((name) => [`${name}#*`]));
    for (const { statement } of onIdempotency) {
      expect(statement.Action).toEqual([
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ]);
    }
  });

  it('gives each consumer its own role, writing only to its own log group with the stage retention', () => {
    for (const e of EXPECTED_ENDPOINTS) {
      const [, fn] = findBy(template, 'AWS::Lambda::Function', 'FunctionName', `${PREFIX}-${e.name}`);
      const [logGroupId, logGroup] = findBy(
        template,
        'AWS::Logs::LogGroup',
        'LogGroupName',
        `/aws/lambda/${PREFIX}-${e.name}`,
      );
      expect(logGroup.Properties.RetentionInDays).toBe(7);
      expect(fn.Properties.LoggingConfig).toEqual({ LogFormat: 'JSON', LogGroup: ref(logGroupId) });
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      const roleId = referencedId(fn.Properties.Role);
      const logStatements = allStatements(template)
        .filter(
          ({ logicalId, type }) =>
            type === 'AWS::IAM::Policy' &&
            resourcesOf(template)[logicalId]!.Properties.Roles.some((r: unknown) => referencedId(r) === roleId),
        )
        .map(({ statement }) => statement)
        .filter((s) => asList<string>(s.Action).some((a) => a.startsWith('logs:')));
      expect(logStatements).toEqual([
        {
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
        },
      ]);
    }
  });
});

describe('key policies for services', () => {
  const keyStatements = (keyId: string) =>
    resourcesOf(template)[keyId]!.Properties.KeyPolicy.Statement as Record<string, any>[];

  it.each(EXPECTED_ENDPOINTS.filter((e) => e.topic).map((e) => [e.name, e] as const))(
    'lets SNS encrypt into the subscription DLQ of %s, only on behalf of its topic',
    (name, e) => {
      const topicName = e.topic === 'payments' ? `${PREFIX}-payments.fifo` : `${PREFIX}-${e.topic}`;
      const [topicId] = findBy(template, 'AWS::SNS::Topic', 'TopicName', topicName);
      const [, subDlq] = findQueue(template, `${PREFIX}-${name}-sub-dlq${e.topic === 'payments' ? '.fifo' : ''}`);
      expect(keyStatements(referencedId(subDlq.Properties.KmsMasterKeyId)!)).toContainEqual({
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Resource: '*',
        Condition: { ArnEquals: { 'aws:SourceArn': ref(topicId) } },
      });
    },
  );

  it('lets CloudWatch alarms of this account publish to the encrypted alarm topic', () => {
    const [topicId, topic] = findBy(template, 'AWS::SNS::Topic', 'TopicName', `${PREFIX}-ops-alarms`);
    const sourceAccount = { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } };
    expect(keyStatements(referencedId(topic.Properties.KmsMasterKeyId)!)).toContainEqual(
      expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Condition: sourceAccount }),
    );
    const topicStatements = ofType(template, 'AWS::SNS::TopicPolicy')
      .filter(([, p]) => p.Properties.Topics.some((t: unknown) => referencedId(t) === topicId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(topicStatements).toContainEqual(
      expect.objectContaining({
        Action: 'sns:Publish',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Condition: sourceAccount,
      }),
    );
  });

  it('grants publishing to no one on the reference topics (no publishers declared)', () => {
    const publishGrants = ofType(template, 'AWS::SNS::TopicPolicy')
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .filter((s: Record<string, any>) => s.Effect === 'Allow' && s.Action === 'sns:Publish')
      .filter((s: Record<string, any>) => s.Principal?.Service !== 'cloudwatch.amazonaws.com');
    expect(publishGrants).toEqual([]);
  });
});

describe('condition checks in staged transactions', () => {
  it('grants dynamodb:ConditionCheckItem only on the tables a consumer declares it condition-checks', async () => {
    const iam = (t: Template) =>
      allStatements(t)
        .filter(({ type }) => type === 'AWS::IAM::Policy')
        .map(({ statement }) => statement);
    const checks = (t: Template) =>
      iam(t).filter((s) => asList<string>(s.Action).includes('dynamodb:ConditionCheckItem'));
    expect(checks(template)).toEqual([]);

    const topology = topologyWith({
      topology: {
        tables: [
          { name: 'orders', partitionKey: 'id' },
          { name: 'limits', partitionKey: 'id' },
        ],
      },
      // Handlers that exist: the synth checks each handler file.
      sub: { consumer: { handler: 'warehouse' } },
      queue: { consumer: { handler: 'jobs', tables: ['orders', 'limits'], conditionChecks: ['limits'] } },
    });
    const fixture = synthesize('dev', { topology }).template;
    const [limitsId] = findBy(fixture, 'AWS::DynamoDB::Table', 'TableName', 'shop-dev-limits');
    const granted = checks(fixture);
    expect(granted).toHaveLength(1);
    expect(granted[0]!.Resource).toEqual({ 'Fn::GetAtt': [limitsId, 'Arn'] });
  });
});
