import { describe, expect, it } from 'vitest';
import { ChaosInjector } from '../../local/lambda/chaos.ts';
import { PLATFORM_ERRORS } from '../../local/lambda/function-definition.ts';

const rolls = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe('ChaosInjector', () => {
  it('maps one roll to the failure band, then the crash band, else no fault', () => {
    const options = { failureRate: 0.2, crashRate: 0.1, crashWithinMs: 40 };
    expect(new ChaosInjector(options, rolls(0.1)).next()).toMatchObject({
      kind: 'refuse',
      error: { errorType: PLATFORM_ERRORS.throttled },
    });
    expect(new ChaosInjector(options, rolls(0.25, 0.5)).next()).toEqual({ kind: 'crash', afterMs: 20 });
    expect(new ChaosInjector(options, rolls(0.35)).next()).toBeUndefined();
  });

  it('uses only platform error names and reads the rates on every invocation', () => {
    const options: { failureRate: number } = { failureRate: 0 };
    const injector = new ChaosInjector(options, rolls(0.5));
    expect(injector.next()).toBeUndefined();
    options.failureRate = 1;
    const fault = injector.next();
    expect(fault?.kind).toBe('refuse');
    expect(Object.values(PLATFORM_ERRORS)).toContain(fault?.kind === 'refuse' ? fault.error.errorType : '');
  });
});
