import type { Topology } from './types.ts';

/** Declares a topology, keeping its literal names (event types, tables) for typed publishers and handlers. */
export const defineTopology = <const T extends Topology>(topology: T): T => topology;
