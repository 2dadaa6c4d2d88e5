import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { FIXTURE_APP_DIR } from './moto-deploy.ts';

const REPO = resolve(import.meta.dirname, '../..');

/** The real CLI in a child process, colours off. */
export async function runFanout(
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(REPO, 'bin', 'fanout.ts'), ...args],
      {
        // In the fixture app's folder, so that the CLI reads its fanout.config.ts, as a user's app's.
        cwd: FIXTURE_APP_DIR,
        env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
