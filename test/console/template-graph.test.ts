import { expect, it } from 'vitest';
import { mermaidDiagram } from '../../client/diagram.ts';
import { ALARMS_NODE_ID, templateGraph, type GraphTemplate } from '../../assembly/template-graph.ts';

/** A stack no Fanout topology built: named and unnamed resources, no manifest output. */
const template: GraphTemplate = {
  Resources: {
    Events: { Type: 'AWS::SNS::Topic', Properties: {} },
    Ops: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'ops' } },
    WorkDlq: { Type: 'AWS::SQS::Queue', Properties: {} },
    Work: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: 'work',
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['WorkDlq', 'Arn'] }, maxReceiveCount: 4 },
      },
    },
    Sub: {
      Type: 'AWS::SNS::Subscription',
      Properties: {
        Protocol: 'sqs',
        TopicArn: { Ref: 'Events' },
        Endpoint: { 'Fn::GetAtt': ['Work', 'Arn'] },
        FilterPolicy: { eventType: ['A', 'B'] },
      },
    },
    Results: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] } },
    Worker: {
      Type: 'AWS::Lambda::Function',
      Properties: { Environment: { Variables: { TABLE: { Ref: 'Results' }, OTHER: 'x' } } },
    },
    Mapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        EventSourceArn: { 'Fn::GetAtt': ['Work', 'Arn'] },
        FunctionName: { Ref: 'Worker' },
        BatchSize: 25,
        ScalingConfig: { MaximumConcurrency: 3 },
      },
    },
    Backlog: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: 'work-dlq',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['WorkDlq', 'QueueName'] } }],
        AlarmActions: [{ Ref: 'Ops' }],
      },
    },
  },
};

it('draws any template from its references: subscription with its filter, redrive to the DLQ, event source, table access, alarm to its topic', () => {
  const graph = templateGraph(template);
  const kinds = Object.fromEntries(graph.nodes.map((n) => [n.id, n.kind]));
  expect(kinds).toEqual({
    Events: 'topic',
    Ops: 'topic',
    WorkDlq: 'dead-letter-queue',
    Work: 'queue',
    Results: 'table',
    Worker: 'function',
    [ALARMS_NODE_ID]: 'alarms',
  });
  expect(graph.nodes.find((n) => n.id === 'Work')?.name).toBe('work');
  expect(graph.nodes.find((n) => n.id === 'Worker')?.details).toEqual(['batch 25', 'max concurrency 3']);
  expect(graph.edges).toEqual([
    { from: 'Work', to: 'WorkDlq', kind: 'redrive', label: 'after 4 receives' },
    { from: 'Events', to: 'Work', kind: 'subscription', label: 'A, B', filterPolicy: { eventType: ['A', 'B'] } },
    { from: 'Worker', to: 'Results', kind: 'table-access' },
    { from: 'Work', to: 'Worker', kind: 'event-source' },
    { from: ALARMS_NODE_ID, to: 'Ops', kind: 'alarm-action' },
  ]);
  expect(graph.alarms).toEqual([{ id: 'Backlog', name: 'work-dlq', watches: ['WorkDlq'], actions: ['Ops'] }]);
});

it("attaches an alarm on the consumer runtime's metrics (dimension Consumer) to the function emitting them", () => {
  const withRuntimeAlarm: GraphTemplate = {
    Resources: {
      ...template.Resources,
      Worker: {
        Type: 'AWS::Lambda::Function',
        Properties: { Environment: { Variables: { FANOUT_CONSUMER: 'work' } } },
      },
      Failing: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: 'work-failed-records',
          Namespace: 'Fanout',
          MetricName: 'Failed',
          Dimensions: [{ Name: 'Consumer', Value: 'work' }],
        },
      },
    },
  };
  expect(templateGraph(withRuntimeAlarm).alarms.find((a) => a.id === 'Failing')).toEqual({
    id: 'Failing',
    name: 'work-failed-records',
    watches: ['Worker'],
    actions: [],
  });
});

it('prints the same template as a mermaid flowchart', () => {
  const diagram = mermaidDiagram(template);
  expect(diagram.split('\n')[0]).toBe('flowchart LR');
  expect(diagram).toContain('t_Events -->|"A, B"| q_work');
  expect(diagram).toContain('q_work -. "after 4 receives" .-> dlq_WorkDlq');
  expect(diagram).toContain('q_work --> fn_Worker');
  expect(diagram).toContain('fn_Worker --> tb_Results');
});
