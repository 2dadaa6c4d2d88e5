import { afterAll, beforeAll, describe, it } from 'vitest';
import { programArb } from './program.ts';
import { assertHistories } from './property.ts';
import { RUNTIME_CONSUMERS, RuntimeWorld } from './runtime-world.ts';

// The in-process level: the real runtime and handlers, crashes pinned to step boundaries.
const SEED = 20_260_408;
const RUNS = 200;
let world: RuntimeWorld;

beforeAll(async () => {
  world = await RuntimeWorld.start();
});
afterAll(() => world?.stop());

describe('delivery promises, in process (runtime + real handlers on fauxqs and DynamoDB Local)', () => {
  it(`hold over ${RUNS} generated histories with crashes at every step boundary and transient handler failures (seed ${SEED})`, async () => {
    await assertHistories(
      programArb({ topics: ['payments', 'orders'], inProcess: true, maxSteps: 10 }),
      (p) => world.run(p),
      RUNTIME_CONSUMERS,
      {
        numRuns: RUNS,
        seed: SEED,
        log: console.log,
      },
    );
  }, 120_000);
});
