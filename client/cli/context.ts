import { existsSync } from 'node:fs';
import { styleText } from 'node:util';
import type { Topology } from '../../topology/types.ts';
import { FanoutClientError } from '../errors.ts';
import { connectOperator, type OperatorContext } from '../operator.ts';
import { registryPath, type OutputsSource } from '../stack-outputs.ts';

/** Options every command takes. */
export interface TargetFlags {
  readonly stage: string;
  /** `local` (the registry file), `aws` (CloudFormation) or `auto` (local when a registry file exists). */
  readonly target: 'auto' | 'local' | 'aws';
  readonly registry?: string;
  readonly region?: string;
}

export function outputsSource(flags: TargetFlags): OutputsSource {
  const local = flags.target === 'local' || (flags.target === 'auto' && existsSync(registryPath(flags.registry)));
  if (local) return { kind: 'local-registry', ...(flags.registry ? { path: flags.registry } : {}) };
  return { kind: 'cloudformation', connection: flags.region ? { region: flags.region } : {} };
}

export async function operator(topology: Topology, flags: TargetFlags): Promise<OperatorContext> {
  return connectOperator({ topology, stage: flags.stage, source: outputsSource(flags) });
}

export const red = (text: string) => styleText('red', text);
export const green = (text: string) => styleText('green', text);
export const dim = (text: string) => styleText('dim', text);

/** Runs a command, printing expected failures as one clear line and exiting 1. */
export async function run(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    const e = error as Error;
    if (error instanceof FanoutClientError || e.name === 'TopologyValidationError') {
      console.error(red(`${e.name}: ${e.message}`));
      process.exitCode = 1;
      return;
    }
    console.error(red(`Unexpected error: ${e.stack ?? String(error)}`));
    process.exitCode = 2;
  }
}
