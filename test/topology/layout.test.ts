import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layout rules of CONTRIBUTING.md, checked on the source: each folder's entry names its public
 * API (no `export *`), production code imports another folder only through its entry, and only the
 * folders the import table allows. The example reaches Fanout only by its package name.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const FOLDERS = ['topology', 'contracts', 'assembly', 'lib', 'lambdas', 'client', 'local', 'console', 'testing', 'bin'];
const sources = execFileSync('git', ['ls-files', ...FOLDERS, 'examples'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f.endsWith('.ts') && !f.startsWith('console/page/'));

const folderOf = (file: string) => (file.startsWith('lambdas/runtime/') ? 'lambdas/runtime' : file.split('/')[0]!);

/** Each folder, the entries other folders import it through, and the folders it may import (CONTRIBUTING.md). */
const TABLE: Record<string, { readonly entries: readonly string[]; readonly mayImport: readonly string[] }> = {
  topology: { entries: ['topology/index.ts', 'topology/internal.ts'], mayImport: [] },
  contracts: { entries: ['contracts/index.ts', 'contracts/runtime.ts'], mayImport: ['topology'] },
  assembly: { entries: ['assembly/index.ts'], mayImport: ['topology', 'contracts'] },
  lib: { entries: ['lib/index.ts'], mayImport: ['topology', 'contracts'] },
  'lambdas/runtime': { entries: ['lambdas/runtime/index.ts'], mayImport: ['contracts'] },
  client: { entries: ['client/index.ts', 'client/cli/index.ts'], mayImport: ['topology', 'contracts', 'assembly'] },
  local: { entries: ['local/index.ts', 'local/internal.ts'], mayImport: ['topology', 'contracts', 'assembly'] },
  console: { entries: ['console/index.ts'], mayImport: ['topology', 'contracts', 'assembly', 'client', 'local'] },
  testing: { entries: ['testing/index.ts'], mayImport: ['topology', 'contracts', 'client', 'local'] },
  bin: {
    entries: [],
    mayImport: ['topology', 'contracts', 'assembly', 'lib', 'client', 'local', 'console', 'examples'],
  },
  // The repository's own CDK app (bin/app.ts) deploys the shop example.
  examples: { entries: ['examples/shop/topology.ts'], mayImport: [] },
};

/**
 * Every package entry (package.json `exports`) and the names it exports at run time, sorted. A name
 * added here is a promise to users under semver: what only the framework's folders share goes in an
 * internal entry (client/cli/index.ts, topology/internal.ts, local/internal.ts), which no subpath reaches.
 */
const PUBLIC_API: Record<string, { readonly source: string; readonly names: readonly string[] }> = {
  '.': {
    source: 'topology/index.ts',
    names: [
      'EVENT_TYPE_ATTRIBUTE',
      'TopologyError',
      'TopologyValidationError',
      'UnknownStageNameError',
      'defineTopology',
      'resolveTopology',
      'validateTopology',
    ],
  },
  './cdk': {
    source: 'lib/index.ts',
    names: [
      'Consumer',
      'EndpointMonitoring',
      'EndpointQueues',
      'Fanout',
      'FanoutDashboard',
      'FanoutEndpoint',
      'FanoutStack',
      'FanoutStackError',
      'FanoutTables',
      'FanoutTopic',
      'HandlerFileError',
      'IncompatibleSchemaError',
      'InvalidConstructPropsError',
      'PayloadBucket',
      'PlacementRecordError',
      'SchemaLockError',
      'StatefulReplacementError',
      'TopicSubscription',
      'UnknownStageError',
      'createFanoutApp',
      'synthesizeOrExplain',
    ],
  },
  './runtime': {
    source: 'lambdas/runtime/index.ts',
    names: [
      'ConsumerConfigError',
      'ConsumerRuntimeError',
      'DynamoDbIdempotencyStore',
      'IdempotencyStoreError',
      'MalformedMessageError',
      'PermanentError',
      'SchemaValidationError',
      'UnhandledEventTypeError',
      'createConsumer',
      'defineConsumer',
      'dynamo',
      'readConsumerConfig',
      'tableName',
    ],
  },
  './runtime/middy': { source: 'lambdas/runtime/middy.ts', names: ['defineMiddyConsumer'] },
  './client': {
    source: 'client/index.ts',
    names: [
      'AppConfigError',
      'BackpressureError',
      'DiagramSourceError',
      'FanoutClientError',
      'InitTargetError',
      'InvalidAttributeError',
      'InvalidFilterError',
      'InvalidInputFileError',
      'MissingGroupIdError',
      'PUBLISHER_DEFAULTS',
      'PayloadTooLargeError',
      'PayloadValidationError',
      'PublishFailedError',
      'PublisherClosedError',
      'RedactionError',
      'RemoteError',
      'ReplayRefusedError',
      'RequestReplyNotConfiguredError',
      'RequestTimeoutError',
      'StackOutputsError',
      'UnknownEventTypeError',
      'UnknownSubscriberError',
      'checkArchiveSchemas',
      'checkDeadLetterSchemas',
      'cloudWatchInsight',
      'connectOperator',
      'consumerLogGroup',
      'createClients',
      'createPublisher',
      'functionLogs',
      'loadStackOutputs',
      'localConnection',
      'peekDeadLetters',
      'permanentFailures',
      'publishEventFile',
      'pullDeadLetters',
      'purgeDeadLetters',
      'redactPayloads',
      'replayDeadLetters',
      'replayFromArchive',
      'snapshotInsight',
      'subscriberStatus',
    ],
  },
  './local': {
    source: 'local/index.ts',
    names: [
      'AssemblyNotFoundError',
      'AssetNotFoundError',
      'DependencyCycleError',
      'FunctionNotFoundError',
      'HandlerRebuildError',
      'IntrinsicResolutionError',
      'InvalidResourceConfigError',
      'JavaUnavailableError',
      'LocalCloudError',
      'OUTPUT_KEYS',
      'PortInUseError',
      'StackNotFoundError',
      'SynthFailedError',
      'UnsupportedExpressionError',
      'UnsupportedResourceTypesError',
      'alarmsFired',
      'consumerRows',
      'endpointQueueUrls',
      'renderConsumerTable',
      'startLocalCloud',
      'waitUntilDrained',
      'watchApp',
    ],
  },
  './testing': {
    source: 'testing/index.ts',
    names: ['FanoutTestingError', 'NotSettledError', 'UnknownTableError', 'startTestCloud'],
  },
};

/** The source file a built package path stands for: `./dist/lib/index.js` → `lib/index.ts`. */
const sourceOf = (built: string) => built.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts');

/**
 * Imports that bypass an entry on purpose: the contracts reach the model's leaf files directly, so
 * that a Lambda bundle (through contracts/runtime.ts) carries no validator or resolver.
 */
const ALLOWED = (from: string, to: string) => folderOf(from) === 'contracts' && folderOf(to) === 'topology';

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/g;

function imports(): { file: string; target: string }[] {
  return sources.flatMap((file) =>
    [...readFileSync(path.join(ROOT, file), 'utf8').matchAll(IMPORT)].map((match) => ({
      file,
      target: path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1]!)),
    })),
  );
}

/** A cycle of run-time imports (type-only imports aside) among the sources, or undefined when there is none. */
function importCycle(): string[] | undefined {
  const VALUE_IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?!type\s)[^'"]*?from\s+'(\.[^']+)'/g;
  const graph = new Map(
    sources.map((file) => [
      file,
      [...readFileSync(path.join(ROOT, file), 'utf8').matchAll(VALUE_IMPORT)].map((m) =>
        path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!)),
      ),
    ]),
  );
  const done = new Set<string>();
  const visit = (file: string, trail: string[]): string[] | undefined => {
    if (trail.includes(file)) return [...trail.slice(trail.indexOf(file)), file];
    if (done.has(file) || !graph.has(file)) return undefined;
    for (const next of graph.get(file)!) {
      const cycle = visit(next, [...trail, file]);
      if (cycle) return cycle;
    }
    done.add(file);
    return undefined;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file, []);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('layout', () => {
  it('no module reaches itself through its run-time imports: each file is visited once on any path', () => {
    expect(importCycle()).toBeUndefined();
  });

  it('entries name their exports (no export *)', () => {
    const entries = Object.values(TABLE).flatMap((t) => t.entries);
    const offenders = entries.filter((file) => /export\s+\*/.test(readFileSync(path.join(ROOT, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('production code imports another folder only through its entry', () => {
    const bypasses = imports()
      .filter(({ file, target }) => !file.startsWith('examples/') && folderOf(target) !== folderOf(file))
      .filter(({ file, target }) => {
        const entries = TABLE[folderOf(target)]?.entries ?? [];
        return !entries.includes(target) && !ALLOWED(file, target);
      })
      .map(({ file, target }) => `${file} → ${target}`);
    expect(bypasses).toEqual([]);
  });

  it('each folder imports only the folders the import table allows (client and local never each other)', () => {
    const wrong = imports()
      .filter(({ file }) => !file.startsWith('examples/'))
      .filter(({ file, target }) => {
        const [from, to] = [folderOf(file), folderOf(target)];
        return from !== to && !TABLE[from]!.mayImport.includes(to);
      })
      .map(({ file, target }) => `${file} → ${target}`);
    expect(wrong).toEqual([]);
  });

  it('the consumer runtime reaches the contracts only through their Lambda entry', () => {
    const wrong = imports()
      .filter(({ file, target }) => folderOf(file) === 'lambdas/runtime' && target === 'contracts/index.ts')
      .map(({ file, target }) => `${file} → ${target}`);
    expect(wrong).toEqual([]);
  });

  it('the example reaches Fanout only by its package name, as an installed app does (its tests may reach inside)', () => {
    const reaching = imports()
      .filter(({ file }) => file.startsWith('examples/') && !/^examples\/[^/]+\/test\//.test(file))
      .filter(({ file, target }) => !target.startsWith(file.split('/').slice(0, 2).join('/')))
      .map(({ file, target }) => `${file} → ${target}`);
    expect(reaching).toEqual([]);
  });

  it('framework tests never import the example: replacing it cannot turn them red', () => {
    const tests = execFileSync('git', ['ls-files', 'test'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f.endsWith('.ts'));
    const coupled = tests.filter((file) =>
      [...readFileSync(path.join(ROOT, file), 'utf8').matchAll(IMPORT)].some((m) =>
        path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!)).startsWith('examples/'),
      ),
    );
    expect(coupled).toEqual([]);
  });

  it('package.json exports only the entries listed in PUBLIC_API', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      exports: Record<string, string | { default: string }>;
    };
    const exported = Object.entries(pkg.exports)
      .filter(([subpath]) => subpath !== './package.json')
      .map(([subpath, target]) => [subpath, sourceOf(typeof target === 'string' ? target : target.default)]);
    expect(Object.fromEntries(exported)).toEqual(
      Object.fromEntries(Object.entries(PUBLIC_API).map(([subpath, { source }]) => [subpath, source])),
    );
  });

  const entries = Object.entries(PUBLIC_API).map(([subpath, api]) => [`fanout${subpath.slice(1)}`, api] as const);
  it.each(entries)('%s exports its public API and nothing else', async (_name, api) => {
    // One test per entry, each loading its entry by the path PUBLIC_API names: a broken entry fails its own test.
    expect(Object.keys(await import(path.join(ROOT, api.source))).sort()).toEqual(api.names);
  });
});
