import { describe, expect, it } from 'vitest';
import { dependencyOrder } from '../../local/dependency-order.ts';
import { DependencyCycleError } from '../../local/errors.ts';

describe('dependency order', () => {
  it('puts every resource after what it references through Ref, GetAtt, Sub and DependsOn', () => {
    const order = dependencyOrder({
      Mapping: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: { EventSourceArn: { 'Fn::GetAtt': ['Queue', 'Arn'] }, FunctionName: { Ref: 'Fn' } },
      },
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: { Environment: { Variables: { T: { 'Fn::Sub': '${Table}-${AWS::Region}' } } } },
        DependsOn: ['Role'],
      },
      Queue: {
        Type: 'AWS::SQS::Queue',
        Properties: { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': 'Dlq.Arn' } } },
      },
      Dlq: { Type: 'AWS::SQS::Queue' },
      Table: { Type: 'AWS::DynamoDB::Table' },
      Role: { Type: 'AWS::IAM::Role' },
    });
    const expectBefore = (a: string, b: string) => expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
    expectBefore('Dlq', 'Queue');
    expectBefore('Queue', 'Mapping');
    expectBefore('Fn', 'Mapping');
    expectBefore('Table', 'Fn');
    expectBefore('Role', 'Fn');
    expect(order).toHaveLength(6);
  });

  it('names the cycle', () => {
    const resources = { A: { Type: 'X', Properties: { P: { Ref: 'B' } } }, B: { Type: 'X', DependsOn: 'A' } };
    expect(() => dependencyOrder(resources)).toThrow(DependencyCycleError);
    expect(() => dependencyOrder(resources)).toThrow('Resources depend on each other in a cycle: A → B → A.');
  });
});
