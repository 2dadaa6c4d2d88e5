import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NAME_PATTERN } from '../../../topology/internal.ts';
import { InitTargetError } from '../../errors.ts';
import { balancesHandler, eventsFile, topologyFile, welcomeHandler } from './app-files.ts';
import { configFile, demoFile, sampleTest } from './app-tests.ts';
import {
  appEntry,
  cdkJson,
  gitignore,
  packageJson,
  readme,
  type ToolVersions,
  tsconfigJson,
  vitestConfig,
} from './project-files.ts';

/** Where the package build writes the CDK feature flags `cdk init` sets for the CDK version Fanout is built with. */
export const RECOMMENDED_FLAGS_FILE = 'recommended-flags.json';

const require = createRequire(import.meta.url);

/** The flags `cdk init` writes into cdk.json: baked in by the package build, else read from aws-cdk-lib. */
function recommendedFlags(): Record<string, unknown> {
  const baked = join(dirname(fileURLToPath(import.meta.url)), RECOMMENDED_FLAGS_FILE);
  if (existsSync(baked)) return JSON.parse(readFileSync(baked, 'utf8')) as Record<string, unknown>;
  return (require('aws-cdk-lib/cx-api') as { CURRENTLY_RECOMMENDED_FLAGS: Record<string, unknown> })
    .CURRENTLY_RECOMMENDED_FLAGS;
}

/** The versions this Fanout release is built and tested with, from its own package.json. */
function toolVersions(): ToolVersions {
  const pkg = require('fanout/package.json') as {
    version: string;
    dependencies: Record<string, string>;
    devDependencies?: Record<string, string>;
    peerDependencies: Record<string, string>;
  };
  return {
    fanout: `^${pkg.version}`,
    valibot: pkg.dependencies.valibot!,
    dev: { ...pkg.peerDependencies, ...pkg.devDependencies },
  };
}

/** A topology name from a directory name: lower case, letters, digits and dashes. */
function appName(dir: string): string {
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+|-+$/g, '');
  return NAME_PATTERN.test(name) ? name : 'my-app';
}

/**
 * `fanout init [dir]`: writes a new CDK app on Fanout into `dir` (new or empty): a two-event
 * topology, two handlers, demo traffic, a sample test, cdk.json with CDK's recommended flags.
 * Returns the files written, relative to `dir`.
 */
export function initApp(dir: string): string[] {
  const target = resolve(dir);
  if (existsSync(target) && readdirSync(target).length > 0)
    throw new InitTargetError(
      `${dir} is not empty (${readdirSync(target).length} entries): fanout init writes a new app only into a new or empty directory. Fix: name a new directory, e.g. \`npx fanout init my-app\`.`,
    );
  const name = appName(target);
  const files: Record<string, string> = {
    'package.json': packageJson(name, toolVersions()),
    'cdk.json': cdkJson(recommendedFlags()),
    'tsconfig.json': tsconfigJson,
    'vitest.config.ts': vitestConfig,
    '.gitignore': gitignore,
    'README.md': readme(name),
    'bin/app.ts': appEntry,
    'fanout.config.ts': configFile,
    'events.ts': eventsFile,
    'topology.ts': topologyFile(name),
    'handlers/welcome.ts': welcomeHandler,
    'handlers/balances.ts': balancesHandler,
    'demo.ts': demoFile,
    'test/app.test.ts': sampleTest,
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    writeFileSync(join(target, file), text);
  }
  return Object.keys(files);
}

/** The CLI's `init`: writes the app and says what to run next. */
export async function initCommand(dir: string): Promise<void> {
  const files = initApp(dir);
  const shown = relative(process.cwd(), resolve(dir)) || '.';
  console.log(`Created a Fanout app in ${shown} (${files.length} files). Next:`);
  console.log(`  cd ${shown} && npm install && npm start   # run it offline with demo traffic`);
  console.log('  npm test                                  # its tests on the local cloud');
}
