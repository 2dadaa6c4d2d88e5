import type { ComparisonOperator } from './alarm-definition.ts';

/** Applies a CloudWatch statistic (Average, Sum, Minimum, Maximum, SampleCount, pNN) to a period's values. */
export function applyStatistic(stat: string, values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  switch (stat) {
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    case 'Minimum':
      return Math.min(...values);
    case 'Maximum':
      return Math.max(...values);
    case 'SampleCount':
      return values.length;
  }
  const percentile = stat.match(/^p(\d+(?:\.\d+)?)$/)?.[1];
  if (percentile) {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((Number(percentile) / 100) * sorted.length) - 1)];
  }
  return undefined;
}

export function breaches(value: number, operator: ComparisonOperator, threshold: number): boolean {
  switch (operator) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}
