import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ArchiveStore } from './archive-store.ts';
import type { SnsReply } from './query-protocol.ts';

/** What every archive action works with. */
export interface SnsArchiveContext {
  readonly store: ArchiveStore;
  /** SDK clients that talk to fauxqs directly. */
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  /** Forwards the request to fauxqs (with `params` instead of its own parameters when given). */
  upstream(params?: Readonly<Record<string, string>>): Promise<SnsReply>;
}

/** One SNS action the archive answers or completes: the request's parameters in, the reply out. */
export type SnsArchiveAction = (params: Readonly<Record<string, string>>, ctx: SnsArchiveContext) => Promise<SnsReply>;
