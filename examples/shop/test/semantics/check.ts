/**
 * Long runs of the history checker: `npm run check:semantics -- --runs 200 --seed 42 [--level cloud|runtime]
 *   [--topics payments,orders,jobs] [--steps 10] [--without key-reuse,lost-responses,poison,crashes,replays,bursts,oversized]`.
 * Prints the shrunk counterexample (a timeline) and exits 1 when a history breaks a promise.
 */
import { parseArgs } from 'node:util';
import { CLOUD_CONSUMERS, CloudWorld } from './cloud-world.ts';
import { type Destination, programArb, type GeneratorOptions } from './program.ts';
import { assertHistories } from './property.ts';
import { RUNTIME_CONSUMERS, RuntimeWorld } from './runtime-world.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '50' },
    seed: { type: 'string' },
    level: { type: 'string', default: 'runtime' },
    steps: { type: 'string', default: '10' },
    topics: { type: 'string', default: 'payments,orders,jobs' },
    without: { type: 'string', default: '' },
  },
});
const numRuns = Number(values.runs);
const seed = values.seed === undefined ? undefined : Number(values.seed);
const topics = values.topics!.split(',') as Destination[];
const maxSteps = Number(values.steps);
const without = values.without!.split(',').filter(Boolean) as NonNullable<GeneratorOptions['without']>;
const started = performance.now();
const log = (line: string) => console.log(`${line} in ${((performance.now() - started) / 1000).toFixed(1)} s`);

let exitCode = 0;
try {
  if (values.level === 'cloud') {
    const world = await CloudWorld.start();
    try {
      await assertHistories(
        programArb({ topics, inProcess: false, maxSteps, without }),
        (p) => world.run(p),
        CLOUD_CONSUMERS,
        { numRuns, seed, log },
      );
    } finally {
      await world.stop();
    }
  } else {
    const world = await RuntimeWorld.start();
    try {
      await assertHistories(
        programArb({ topics, inProcess: true, maxSteps, without }),
        (p) => world.run(p),
        RUNTIME_CONSUMERS,
        { numRuns, seed, log },
      );
    } finally {
      await world.stop();
    }
  }
} catch (error) {
  console.error((error as Error).message);
  exitCode = 1;
}
process.exit(exitCode);
