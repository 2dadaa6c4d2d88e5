import { PublishBatchCommand, type PublishBatchCommandInput } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createClients, localConnection } from '../../client/connection.ts';
import { lineRanges, publishEventFile } from '../../client/publish-file.ts';
import { createPublisher } from '../../client/publisher.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';

// SNS refusing one entry of a batch (SenderFault) cannot be provoked on fauxqs with a valid message:
// injected with aws-sdk-client-mock.
describe('publishing a file when the service refuses some messages', () => {
  it('says exactly which lines were sent and which were not', async () => {
    const clients = createClients(localConnection('http://127.0.0.1:9'));
    mockClient(clients.sns)
      .on(PublishBatchCommand)
      .callsFake((input: PublishBatchCommandInput) => {
        const entries = input.PublishBatchRequestEntries!;
        const refused = entries.filter((e) => /"orderId":"o-(4|7)"/.test(e.Message!));
        return {
          Successful: entries.filter((e) => !refused.includes(e)).map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })),
          Failed: refused.map((e) => ({
            Id: e.Id,
            Code: 'KMSAccessDenied',
            Message: 'key disabled',
            SenderFault: true,
          })),
        };
      });
    const publisher = await createPublisher({
      topology: fixtureTopology,
      target: {
        kind: 'static',
        outputs: { TopicOrdersArn: 'arn:aws:sns:us-east-1:000000000000:fanout-dev-orders' },
        connection: {},
      },
      clients,
    });
    const text = Array.from({ length: 9 }, (_, i) =>
      JSON.stringify({ eventType: 'CartCancelled', payload: { orderId: `o-${i + 1}`, reason: 'r' } }),
    ).join('\n');
    const result = await publishEventFile(publisher, 'orders', text);
    await publisher.close();
    expect(lineRanges(result.sent)).toBe('1-3, 5-6, 8-9');
    expect(result.failed.map((f) => f.line)).toEqual([4, 7]);
    expect(result.failed[0]!.problem).toMatch(
      /^'CartCancelled' to topic 'orders' \(correlationId [0-9a-f-]+\) failed: KMSAccessDenied: key disabled \(rejected by the service\)\.$/,
    );
  });
});
