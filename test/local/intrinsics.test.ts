import { describe, expect, it } from 'vitest';
import { IntrinsicResolutionError } from '../../local/errors.ts';
import { resolveValue, type ResolveContext } from '../../local/intrinsics.ts';

const ctx: ResolveContext = {
  pseudo: {
    region: 'eu-west-1',
    accountId: '000000000000',
    partition: 'aws',
    urlSuffix: 'amazonaws.com',
    stackName: 'demo',
    stackId: 'arn:stack/demo',
  },
  parameters: { Stage: 'dev', Zones: ['a', 'b'] },
  condition: (name) => ({ IsDev: true, IsProd: false })[name] ?? false,
  ref: (id) => (id === 'Queue' ? 'http://q/url' : `ref:${id}`),
  getAtt: (id, attr) => `${id}.${attr}`,
};
const r = (value: unknown) => resolveValue(value, ctx, 'test');

describe('intrinsic resolver', () => {
  it('resolves Ref to resources, parameters and pseudo parameters', () => {
    expect(r({ Ref: 'Queue' })).toBe('http://q/url');
    expect(r({ Ref: 'Stage' })).toBe('dev');
    expect(
      r([
        { Ref: 'AWS::Region' },
        { Ref: 'AWS::AccountId' },
        { Ref: 'AWS::Partition' },
        { Ref: 'AWS::URLSuffix' },
        { Ref: 'AWS::StackName' },
      ]),
    ).toEqual(['eu-west-1', '000000000000', 'aws', 'amazonaws.com', 'demo']);
  });

  it('resolves Fn::GetAtt in list and dotted form', () => {
    expect(r({ 'Fn::GetAtt': ['Topic', 'TopicName'] })).toBe('Topic.TopicName');
    expect(r({ 'Fn::GetAtt': 'Table.Arn' })).toBe('Table.Arn');
  });

  it('resolves Fn::Join, Fn::Select and Fn::Split', () => {
    expect(r({ 'Fn::Join': ['-', ['a', { Ref: 'Stage' }, 'z']] })).toBe('a-dev-z');
    expect(r({ 'Fn::Select': [1, { 'Fn::Split': [':', 'arn:aws:sqs'] }] })).toBe('aws');
    expect(() => r({ 'Fn::Select': [5, ['a']] })).toThrow('Fn::Select index 5 is outside the list of 1');
  });

  it('resolves Fn::Sub with pseudo parameters, resource attributes, variables and ${!literal}', () => {
    expect(
      r({ 'Fn::Sub': 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Topic.TopicName}-${Stage}' }),
    ).toBe('arn:aws:sqs:eu-west-1:000000000000:Topic.TopicName-dev');
    expect(r({ 'Fn::Sub': ['${Name}/${Queue}', { Name: { Ref: 'Stage' } }] })).toBe('dev/http://q/url');
    expect(r({ 'Fn::Sub': 'keep ${!Literal}' })).toBe('keep ${Literal}');
  });

  it('evaluates Fn::If with conditions and removes AWS::NoValue', () => {
    expect(
      r({
        A: { 'Fn::If': ['IsDev', 'dev-value', 'prod-value'] },
        B: { 'Fn::If': ['IsProd', 'x', { Ref: 'AWS::NoValue' }] },
      }),
    ).toEqual({ A: 'dev-value' });
    expect(r({ 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] })).toBe(true);
    expect(r({ 'Fn::Not': [{ 'Fn::Equals': ['a', 'b'] }] })).toBe(true);
    expect(r({ 'Fn::And': [{ Condition: 'IsDev' }, { 'Fn::Equals': ['a', 'a'] }] })).toBe(true);
    expect(r({ 'Fn::Or': [{ Condition: 'IsProd' }, { 'Fn::Equals': ['a', 'b'] }] })).toBe(false);
  });

  it('names the value and the problem when a pseudo parameter is unknown', () => {
    expect(() => r({ Ref: 'AWS::Nope' })).toThrow(IntrinsicResolutionError);
    expect(() => r({ Ref: 'AWS::Nope' })).toThrow("Cannot resolve test: unknown pseudo parameter 'AWS::Nope'");
  });
});
