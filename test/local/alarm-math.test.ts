import { describe, expect, it } from 'vitest';
import { evaluateExpression } from '../../local/alarms/metric-math.ts';
import { applyStatistic, breaches } from '../../local/alarms/statistics.ts';
import { UnsupportedExpressionError } from '../../local/errors.ts';

describe('alarm arithmetic', () => {
  it('evaluates the metric-math expressions alarms use', () => {
    expect(evaluateExpression('visible / (deleted / 60)', { visible: 120, deleted: 60 })).toBe(120);
    expect(evaluateExpression('(m1 + m2) * 2 - -1', { m1: 1, m2: 2 })).toBe(7);
    expect(evaluateExpression('visible / (deleted / 60)', { visible: 5, deleted: 0 })).toBeUndefined();
    expect(evaluateExpression('m1 + m2', { m1: 1, m2: undefined })).toBeUndefined();
  });

  it('refuses functions it cannot evaluate, naming them', () => {
    expect(() => evaluateExpression('RATE(m1)', { m1: 1 })).toThrow(UnsupportedExpressionError);
    expect(() => evaluateExpression('RATE(m1)', { m1: 1 })).toThrow("function RATE() in 'RATE(m1)'");
    expect(() => evaluateExpression('m1 + m9', { m1: 1 })).toThrow("unknown id 'm9' in 'm1 + m9'");
  });

  it('applies CloudWatch statistics and comparison operators', () => {
    const values = [1, 2, 3, 4, 10];
    expect([
      applyStatistic('Average', values),
      applyStatistic('Sum', values),
      applyStatistic('Minimum', values),
      applyStatistic('Maximum', values),
      applyStatistic('SampleCount', values),
      applyStatistic('p50', values),
    ]).toEqual([4, 20, 1, 10, 5, 3]);
    expect(applyStatistic('Maximum', [])).toBeUndefined();
    expect([
      breaches(5, 'GreaterThanOrEqualToThreshold', 5),
      breaches(5, 'GreaterThanThreshold', 5),
      breaches(4, 'LessThanThreshold', 5),
      breaches(5, 'LessThanOrEqualToThreshold', 5),
    ]).toEqual([true, false, true, true]);
  });
});
