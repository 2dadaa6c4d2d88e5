import { readFileSync } from 'node:fs';
import { Presets, SingleBar } from 'cli-progress';
import type { Topology } from '../../topology/index.ts';
import { lineRanges, publishEventFile } from '../publish-file.ts';
import { createPublisher } from '../publisher.ts';
import { outputsSource, red, type TargetFlags } from './context.ts';

/** `fanout publish <topic|queue> --file events.ndjson`. */
export async function publishCommand(
  topology: Topology,
  destination: string,
  flags: TargetFlags & { readonly file: string },
): Promise<void> {
  const text = readFileSync(flags.file, 'utf8');
  const publisher = await createPublisher({ topology, stage: flags.stage, target: outputsSource(flags) });
  const bar = new SingleBar({ format: ' publish [{bar}] {value}/{total}', hideCursor: true }, Presets.shades_classic);
  let started = false;
  try {
    const dest = publisher.target.destination(destination);
    const result = await publishEventFile(publisher, destination, text, (done, total) => {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
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
