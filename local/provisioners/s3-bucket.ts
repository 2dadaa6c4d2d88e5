import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { generatedName } from './naming.ts';
import type { Provisioner } from './types.ts';

const S3_BUCKET_NAME_MAX = 63;

export const s3Bucket: Provisioner = {
  type: 'AWS::S3::Bucket',
  enforced: true,
  async provision({ logicalId, properties: p, ctx }) {
    const name =
      (p.BucketName as string | undefined) ??
      generatedName(ctx, logicalId, { maxLength: S3_BUCKET_NAME_MAX, lowerCase: true });
    await ctx.clients.s3.send(new CreateBucketCommand({ Bucket: name }));
    const { partition, region, urlSuffix } = ctx.pseudo;
    return {
      physicalId: name,
      attributes: {
        Arn: `arn:${partition}:s3:::${name}`,
        DomainName: `${name}.s3.${urlSuffix}`,
        RegionalDomainName: `${name}.s3.${region}.${urlSuffix}`,
        DualStackDomainName: `${name}.s3.dualstack.${region}.${urlSuffix}`,
        WebsiteURL: `http://${name}.s3-website-${region}.${urlSuffix}`,
      },
    };
  },
};
