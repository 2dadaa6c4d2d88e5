import { spawn, type ChildProcess } from 'node:child_process';

const SCRIPT = `
import dynalite from 'dynalite';
const server = dynalite({ createTableMs: 0 });
server.listen(0, () => process.stdout.write(String(server.address().port) + '\\n'));
`;

/** dynalite in its own process, so emulator CPU and consumer CPU are measured apart. */
export async function startDynaliteProcess(): Promise<{ endpoint: string; stop: () => void }> {
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
  });
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}
