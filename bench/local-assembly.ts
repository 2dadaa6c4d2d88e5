import { synthShop } from '../examples/shop/test/local/shop-cloud.ts';
import { isAssemblyStale } from '../assembly/index.ts';

/** The reference stack's assembly: cdk.out when it is fresh, else a new synth into a temp dir. */
export function referenceAssembly(): { assemblyDir: string; stackName: string; synthMs: number } {
  const stackName = 'fanout-dev';
  if (!isAssemblyStale('cdk.out', ['bin', 'lib', 'lambdas', 'topology', 'contracts', 'examples']))
    return { assemblyDir: 'cdk.out', stackName, synthMs: 0 };
  const started = performance.now();
  return { ...synthShop(), synthMs: performance.now() - started };
}

export const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
export const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
