import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue } from 'aws-cdk-lib/aws-sqs';

/** One topic fanned out to `subscribers` queues, each drained by a no-op function: the local cloud's own cost per delivery. */
export function synthNoopFanout(subscribers: number): { assemblyDir: string; stackName: string } {
  const assemblyDir = mkdtempSync(join(tmpdir(), 'fanout-bench-noop-'));
  const app = new App({ outdir: assemblyDir });
  const stack = new Stack(app, 'NoopFanout');
  const topic = new Topic(stack, 'Topic');
  for (let i = 0; i < subscribers; i++) {
    const queue = new Queue(stack, `Queue${i}`);
    topic.addSubscription(new SqsSubscription(queue, { rawMessageDelivery: true }));
    const fn = new LambdaFunction(stack, `Consumer${i}`, {
      runtime: Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async (event) => ({ batchItemFailures: [] });'),
    });
    fn.addEventSource(new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true }));
  }
  app.synth();
  return { assemblyDir, stackName: 'NoopFanout' };
}
