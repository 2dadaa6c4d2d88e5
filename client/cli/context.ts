import { existsSync } from 'node:fs';
import { styleText } from 'node:util';
import type { Topology } from '../../topology/index.ts';
import { connectOperator, type OperatorContext } from '../operator.ts';
import { registryPath, type OutputsSource } from '../stack-outputs.ts';
import { describeFailure } from './failure.ts';

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

/** Runs a command; a failure is printed as one line saying what failed, where and the fix (FANOUT_DEBUG=1 adds the stack). */
export async function run(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    const failure = describeFailure(error);
    console.error(red(failure.line));
    if (process.env.FANOUT_DEBUG) console.error(dim((error as Error).stack ?? String(error)));
    process.exitCode = failure.exitCode;
  }
}

/** Asks a yes/no question on the terminal (default no); false without a terminal to ask on. */
export async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
