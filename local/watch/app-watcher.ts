import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import type { LocalCloud } from '../cloud.ts';
import { synthesizeInto } from '../app-synth.ts';
import { FileChanges, sourceFolders } from './file-changes.ts';
import { type WatchedFunction, watchedFunctions } from './function-sources.ts';
import { rebuildHandler } from './rebuild.ts';
import { changeBesidesCode, changedCode, readStackTree, type StackInTree } from './template-changes.ts';
import type { WatchEvent } from './watch-events.ts';

export interface WatchAppOptions {
  /** The app's root: its source files are watched (not node_modules, dist, cdk.out or dot folders). */
  readonly appDir: string;
  /** The assembly the cloud runs (its handler-source metadata is relative to it). */
  readonly assemblyDir: string;
  /**
   * Synthesizes the app into `outdir` after a change that is not in a handler's bundle.
   * @default - `npx cdk synth --output <outdir>` in `appDir`
   */
  readonly synthesize?: (outdir: string) => Promise<void> | void;
}

/** A running watch: `stop()` ends it and removes the assemblies it synthesized. */
export interface AppWatcher {
  /** The functions it rebuilds when their handler, or a file it imports, changes. */
  readonly functions: readonly WatchedFunction[];
  stop(): Promise<void>;
}

const errorLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;

/**
 * Keeps a running local cloud on the app's current code. A changed handler (or a file it imports)
 * is rebuilt with the synth's esbuild options and its functions run the new bundle from their next
 * invocation. Any other changed source re-synthesizes the app: when only function code differs, the
 * new code is swapped in; otherwise the cloud keeps the previous stack and a `restart-needed` event
 * names the resource that changed. Queues, tables, dead letters and emulators are never touched.
 * Each change ends in one `watch` event on `cloud.events`.
 */
export async function watchApp(cloud: LocalCloud, options: WatchAppOptions): Promise<AppWatcher> {
  const functions = watchedFunctions(cloud, options.assemblyDir);
  const synthesize = options.synthesize ?? ((outdir: string) => synthesizeInto(options.appDir, outdir));
  /** Handler file → the bundle directory it last built (content-addressed: the same bytes, the same folder). */
  const bundles = new Map<string, string | undefined>();
  /** Source file → the handler files whose bundles read it. */
  const readers = new Map<string, Set<string>>();
  const synthesized: string[] = [];
  let running: StackInTree[] = cloud.stacks.map((s) => ({ path: s.path, template: s.template }));
  let lastRestartReason: string | undefined;
  let queue = Promise.resolve();

  const emit = (event: WatchEvent) => cloud.events.emit('watch', event);
  const changes = new FileChanges((files, firstSeen) => {
    queue = queue.then(() => handle(files, firstSeen));
  });

  async function build(entry: string): Promise<string> {
    const rebuilt = await rebuildHandler(entry);
    for (const input of rebuilt.inputs) {
      if (input.split(sep).includes('node_modules')) continue;
      readers.set(input, (readers.get(input) ?? new Set()).add(entry));
      changes.add(dirname(input));
    }
    bundles.set(entry, rebuilt.codeDir);
    return rebuilt.codeDir;
  }

  async function reloadHandlers(entries: ReadonlySet<string>, firstSeen: number): Promise<void> {
    const endpoints: string[] = [];
    for (const entry of entries) {
      const before = bundles.get(entry);
      let codeDir: string;
      try {
        codeDir = await build(entry);
      } catch (error) {
        emit({ kind: 'failed', reason: errorLine(error) });
        continue;
      }
      if (codeDir === before) continue;
      for (const fn of functions.filter((f) => f.entry === entry)) {
        cloud.lambdas.replaceCode(fn.functionName, codeDir);
        endpoints.push(fn.endpoint);
      }
    }
    if (endpoints.length) emit({ kind: 'reloaded', endpoints, ms: performance.now() - firstSeen });
  }

  async function resynthesize(firstSeen: number): Promise<void> {
    const outdir = mkdtempSync(join(tmpdir(), 'fanout-watch-'));
    let next: StackInTree[];
    try {
      await synthesize(outdir);
      next = readStackTree(outdir, cloud.stackName);
    } catch (error) {
      rmSync(outdir, { recursive: true, force: true });
      emit({ kind: 'failed', reason: errorLine(error) });
      return;
    }
    const change = changeBesidesCode(running, next);
    if (change) {
      rmSync(outdir, { recursive: true, force: true });
      // A re-synthesis may rewrite files it reads (the placement file): the same reason is said once.
      if (change !== lastRestartReason) emit({ kind: 'restart-needed', reason: `the template ${change}` });
      lastRestartReason = change;
      return;
    }
    lastRestartReason = undefined;
    const swapped = changedCode(running, next, outdir);
    running = next;
    synthesized.push(outdir);
    const endpoints = swapped.flatMap(({ id, codeDir }) => {
      const fn = functions.find((f) => f.functionName === cloud.resources.get(id)?.physicalId);
      if (!fn) return [];
      cloud.lambdas.replaceCode(fn.functionName, codeDir);
      bundles.set(fn.entry, undefined);
      return [fn.endpoint];
    });
    if (endpoints.length) emit({ kind: 'reloaded', endpoints, ms: performance.now() - firstSeen });
  }

  async function handle(files: ReadonlySet<string>, firstSeen: number): Promise<void> {
    const entries = new Set<string>();
    for (const file of files) {
      const read = readers.get(file);
      if (!read) return resynthesize(firstSeen);
      for (const entry of read) entries.add(entry);
    }
    return reloadHandlers(entries, firstSeen);
  }

  await Promise.all([...new Set(functions.map((f) => f.entry))].map(build));
  for (const folder of sourceFolders(options.appDir)) changes.add(folder);
  return {
    functions,
    async stop() {
      changes.close();
      await queue;
      for (const dir of synthesized) rmSync(dir, { recursive: true, force: true });
    },
  };
}
