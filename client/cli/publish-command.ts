import { createReadStream, statSync } from 'node:fs';
import { Presets, SingleBar } from 'cli-progress';
import type { Topology } from '../../topology/index.ts';
import { EventFileUnreadableError } from '../errors.ts';
import { lineRanges, publishEventFile } from '../publish-file.ts';
import { createPublisher } from '../publisher.ts';
import { outputsSource, red, type TargetFlags } from './context.ts';

/** A missing or unreadable file is one line naming it, before the stack is looked up. */
function checkReadable(file: string): void {
  try {
    if (statSync(file).isFile()) return;
    throw new EventFileUnreadableError(`Events file ${file} is not a file. Fix: pass the path of an NDJSON file.`);
  } catch (error) {
    if (error instanceof EventFileUnreadableError) throw error;
    const e = error as NodeJS.ErrnoException;
    throw new EventFileUnreadableError(
      `Cannot read events file ${file} (${e.code ?? e.message}). Fix: check the path and its permissions.`,
    );
  }
}

/** `fanout publish <topic|queue> --file events.ndjson`. */
export async function publishCommand(
  topology: Topology,
  destination: string,
  flags: TargetFlags & { readonly file: string },
): Promise<void> {
  checkReadable(flags.file);
  const publisher = await createPublisher({ topology, stage: flags.stage, target: outputsSource(flags) });
  const bar = new SingleBar({ format: ' publish [{bar}] {value}/{total}', hideCursor: true }, Presets.shades_classic);
  let started = false;
  try {
    const dest = publisher.target.destination(destination);
    // Streamed line by line (twice: checked, then sent), so a file of any size is never held whole.
    const result = await publishEventFile(publisher, destination, () => createReadStream(flags.file), {
      onProgress: (done, total) => {
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
      },
    }).finally(() => bar.stop());
    const total = result.sent.length + result.failed.length;
    console.log(
      `Published ${result.sent.length} of ${total} event(s) from ${flags.file} to ${dest.kind} '${dest.name}'.`,
    );
    if (result.failed.length > 0) {
      console.log(`Sent lines: ${lineRanges(result.sent)}.`);
      for (const f of result.failed) console.log(red(`Not sent: line ${f.line}: ${f.problem}`));
      process.exitCode = 1;
    }
  } finally {
    await publisher.close();
  }
}
