import { fileURLToPath } from 'node:url';

/** The fixture app's folder: its fanout.config.ts declares the fixture topology, so the CLI tests run `fanout` in it. */
export const FIXTURE_APP_DIR = fileURLToPath(new URL('../../fixtures/app', import.meta.url));

/** The CLI's entry, by absolute path, for a child process run in {@link FIXTURE_APP_DIR}. */
export const FANOUT_BIN = fileURLToPath(new URL('../../../bin/fanout.ts', import.meta.url));
