/**
 * Environment variable between `fanout start --verbose` (local/, which runs `cdk synth`) and the
 * bundler (lib/): set to `1`, the bundler prints a line per handler it bundles, on stderr.
 */
export const VERBOSE_BUNDLING_ENV = 'FANOUT_VERBOSE';
