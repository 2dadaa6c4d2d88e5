import { afterAll, beforeAll, describe, it } from 'vitest';
import { CLOUD_CONSUMERS, CloudWorld } from './cloud-world.ts';
import { programArb } from './program.ts';
import { assertHistories } from './property.ts';

// End to end: the synthesized reference stack in the local cloud, the real publisher and DLQ tools.
const SEED = 20_260_408;
const RUNS = 10;
let world: CloudWorld;

beforeAll(async () => {
  world = await CloudWorld.start();
}, 120_000);
afterAll(() => world?.stop());

describe('delivery promises, end to end (reference stack on the local cloud)', () => {
  it(`hold over ${RUNS} generated histories with lost publish responses, duplicates, poison, oversized attributes, repeated requests, replays and crashes (seed ${SEED})`, async () => {
    await assertHistories(
      programArb({ topics: ['payments', 'orders', 'jobs'], inProcess: false, maxSteps: 8 }),
      (p) => world.run(p),
      CLOUD_CONSUMERS,
      {
        numRuns: RUNS,
        seed: SEED,
        log: console.log,
      },
    );
  }, 600_000);
});
