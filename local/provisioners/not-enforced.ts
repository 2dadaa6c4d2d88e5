import { createHash } from 'node:crypto';
import { arn } from './naming.ts';
import type { DeploymentContext, Provisioned, Provisioner } from './types.ts';

type Shape = (logicalId: string, p: Record<string, unknown>, ctx: DeploymentContext) => Provisioned;

const localId = (ctx: DeploymentContext, logicalId: string) =>
  createHash('sha256').update(`${ctx.stackName}/${logicalId}`).digest('hex');
const uuidLike = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
const named =
  (key: string, prefix: string, service: string, resource: (name: string) => string): Shape =>
  (logicalId, p, ctx) => {
    const name = (p[key] as string | undefined) ?? `${prefix}${ctx.stackName}-${logicalId}`;
    return { physicalId: name, attributes: { Arn: arn(ctx, service, resource(name), { global: service === 'iam' }) } };
  };
const idOnly: Shape = (logicalId, _p, ctx) => ({
  physicalId: `${logicalId}-${localId(ctx, logicalId).slice(0, 12)}`,
  attributes: {},
});

/** Resource types accepted without local effect, with the Ref / GetAtt values they answer with. */
const NOT_ENFORCED: Record<string, Shape> = {
  'AWS::IAM::Role': (logicalId, p, ctx) => {
    const name = (p.RoleName as string | undefined) ?? `${ctx.stackName}-${logicalId}`.slice(0, 64);
    return {
      physicalId: name,
      attributes: {
        Arn: arn(ctx, 'iam', `role/${name}`, { global: true }),
        RoleId: `AROA${localId(ctx, logicalId).slice(0, 17).toUpperCase()}`,
      },
    };
  },
  'AWS::IAM::Policy': idOnly,
  'AWS::IAM::ManagedPolicy': (logicalId, p, ctx) => {
    const name = (p.ManagedPolicyName as string | undefined) ?? `${ctx.stackName}-${logicalId}`;
    const policyArn = arn(ctx, 'iam', `policy/${name}`, { global: true });
    return { physicalId: policyArn, attributes: { PolicyArn: policyArn } };
  },
  'AWS::KMS::Key': (logicalId, _p, ctx) => {
    const keyId = uuidLike(localId(ctx, logicalId));
    return { physicalId: keyId, attributes: { Arn: arn(ctx, 'kms', `key/${keyId}`), KeyId: keyId } };
  },
  'AWS::KMS::Alias': (_logicalId, p) => ({ physicalId: String(p.AliasName), attributes: {} }),
  'AWS::SQS::QueuePolicy': idOnly,
  'AWS::SNS::TopicPolicy': idOnly,
  'AWS::S3::BucketPolicy': idOnly,
  'AWS::Lambda::Permission': idOnly,
  'AWS::Lambda::EventInvokeConfig': idOnly,
  'AWS::CDK::Metadata': idOnly,
  'AWS::CloudWatch::Dashboard': named('DashboardName', '', 'cloudwatch', (n) => `dashboard/${n}`),
  'AWS::Logs::LogGroup': named('LogGroupName', '/aws/local/', 'logs', (n) => `log-group:${n}:*`),
};

export const notEnforcedProvisioners: Provisioner[] = Object.entries(NOT_ENFORCED).map(([type, shape]) => ({
  type,
  enforced: false,
  provision: ({ logicalId, properties, ctx }) => shape(logicalId, properties, ctx),
}));
