import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFanoutApp } from '../lib/app.ts';
import { isAssemblyStale } from '../local/staleness.ts';
import { referenceTopology } from '../topology/reference.ts';

/** The reference stack's assembly: cdk.out when it is fresh, else a new synth into a temp dir. */
export function referenceAssembly(): { assemblyDir: string; stackName: string; synthMs: number } {
  const stackName = 'fanout-dev';
  if (!isAssemblyStale('cdk.out', ['bin', 'lib', 'lambdas', 'topology']))
    return { assemblyDir: 'cdk.out', stackName, synthMs: 0 };
  const started = performance.now();
  const outdir = mkdtempSync(join(tmpdir(), 'fanout-bench-'));
  createFanoutApp({ topology: referenceTopology, outdir, nag: false, cloudFormationValidation: false }).app.synth();
  return { assemblyDir: outdir, stackName, synthMs: performance.now() - started };
}

export const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
export const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
