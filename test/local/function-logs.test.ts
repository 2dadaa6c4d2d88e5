import { PublishCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFunctionLog, OUTPUT_KEYS } from '../../contracts/index.ts';
import { type LocalCloud, startLocalCloud } from '../../local/index.ts';
import { sharedDynamoDb } from '../support/shared-dynamodb.ts';
import { waitFor } from '../support/local-cloud.ts';
import { synthNotesApp } from './support/notes-app.ts';

// What a handler writes reaches whoever runs the local cloud: its ctx.log and console lines, and the
// stack of the error it throws, as `fanout start` prints them.

let cloud: LocalCloud;
const printed: string[] = [];
beforeAll(async () => {
  const { assemblyDir, stackName } = synthNotesApp('fanout-function-logs-');
  cloud = await startLocalCloud({
    assemblyDir,
    stackName,
    dynamodb: sharedDynamoDb(),
    onLog: (fn, line) => {
      const text = formatFunctionLog(fn, line);
      if (text) printed.push(text);
    },
  });
}, 180_000);
afterAll(() => cloud?.stop());

describe('function logs on the local cloud', () => {
  it("prints the handler's ctx.log and console lines, and the stack of the error it throws", async () => {
    await cloud.clients.sns.send(
      new PublishCommand({
        TopicArn: cloud.outputs[OUTPUT_KEYS.topicArn('notes')],
        Message: JSON.stringify({ id: 'n-1' }),
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: 'Note' },
          correlationId: { DataType: 'String', StringValue: 'corr-n-1' },
        },
      }),
    );
    const failure = await waitFor('the failed outcome with its stack', () =>
      printed.find((p) => p.includes(' failed Note ')),
    );
    expect(failure).toMatch(/^\[logs-dev-noter\] corr-n-1 failed Note \S+: Error: note n-1 refused by the fixture\n/);
    expect(failure).toContain('\n    Error: note n-1 refused by the fixture\n        at ');
    // Through the bundle's source map: the fixture's own file and the line of its throw.
    expect(failure).toMatch(/\n {8}at refuseNote \(\S*logs-and-throws\.ts:8:\d+\)/);
    expect(printed).toContainEqual('[logs-dev-noter] corr-n-1 handling note {"id":"n-1"}');
    expect(printed.some((p) => p.startsWith('[logs-dev-noter]') && p.includes('plain console line for n-1'))).toBe(
      true,
    );
  });

  it('prints nothing for metric documents, Lambda lines and successful outcomes', () => {
    expect(formatFunctionLog('f', '{"_aws":{"CloudWatchMetrics":[]},"Failed":1}')).toBeUndefined();
    expect(formatFunctionLog('f', 'REPORT RequestId: 1 Duration: 2 ms')).toBeUndefined();
    expect(
      formatFunctionLog(
        'f',
        '{"level":"INFO","message":"record outcome","consumer":"c","messageId":"m","outcome":"processed"}',
      ),
    ).toBeUndefined();
    expect(formatFunctionLog('f', 'not json')).toBe('[f] not json');
    expect(formatFunctionLog('f', '{"time":"t","type":"platform.report","record":{}}')).toBeUndefined();
  });

  it("unwraps a line Lambda's JSON log format wrapped (as CloudWatch Logs stores it)", () => {
    const inner = JSON.stringify({ level: 'INFO', message: 'reserving', correlationId: 'c-1', sku: 's-1' });
    const wrapped = (message: string) => JSON.stringify({ timestamp: 't', level: 'INFO', requestId: 'r', message });
    expect(formatFunctionLog('f', wrapped(inner))).toBe('[f] c-1 reserving {"sku":"s-1"}');
    expect(formatFunctionLog('f', wrapped('plain line'))).toBe('[f] plain line');
  });
});
