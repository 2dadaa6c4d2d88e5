import { createHash } from 'node:crypto';
import { type FSWatcher, readdirSync, readFileSync, statSync, watch } from 'node:fs';
import { extname, join, sep } from 'node:path';
import { isAppSource } from '../app-synth.ts';

/** Files whose changes can change a bundle or the template; others (docs, images) are ignored. */
const CODE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx', '.json']);
/** Written by the CDK CLI itself on synth, never a source. */
const NOT_WATCHED = new Set(['cdk.context.json']);
/** An editor saves in several writes (truncate, write, rename): changes this close together are one save. */
const SETTLE_MS = 25;

const isInNodeModules = (file: string) => file.split(sep).includes('node_modules');
const isDirectory = (path: string) => statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;

function contentHash(file: string): string {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return 'missing';
  }
}

/** The app's source folders: `appDir` and every folder under it that is a source (no node_modules, cdk.out, dot folders). */
export function sourceFolders(appDir: string): string[] {
  const folders = [appDir];
  for (let i = 0; i < folders.length; i++) {
    for (const entry of readdirSync(folders[i]!, { withFileTypes: true })) {
      if (entry.isDirectory() && isAppSource(entry.name)) folders.push(join(folders[i]!, entry.name));
    }
  }
  return folders;
}

/**
 * Watches folders (each on its own, not recursively; a source folder made inside one is watched from
 * then on) and reports the code files whose content changed, a save at a time: the files changed
 * together, and when the first change was seen.
 */
export class FileChanges {
  readonly #watchers = new Map<string, FSWatcher>();
  readonly #hashes = new Map<string, string>();
  #pending = new Set<string>();
  #firstSeen = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly onSave: (files: ReadonlySet<string>, firstSeen: number) => void) {}

  /** Starts watching `folder` (no-op when watched or in node_modules), remembering its code files' content. */
  add(folder: string): void {
    if (this.#watchers.has(folder) || isInNodeModules(folder)) return;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const file = join(folder, entry.name);
      if (entry.isFile() && this.#isCode(entry.name)) this.#hashes.set(file, contentHash(file));
    }
    const watcher = watch(folder, (_event, name) => {
      if (!name) return;
      const path = join(folder, name);
      if (this.#isCode(name)) this.#changed(path);
      else if (isAppSource(name) && isDirectory(path)) this.#addNew(path);
    });
    watcher.on('error', () => this.#watchers.delete(folder));
    this.#watchers.set(folder, watcher);
  }

  /** A folder made while watching: its code files are new (changed), and it and its subfolders are watched. */
  #addNew(folder: string): void {
    if (this.#watchers.has(folder) || isInNodeModules(folder)) return;
    try {
      for (const sub of sourceFolders(folder)) {
        for (const entry of readdirSync(sub, { withFileTypes: true }))
          if (entry.isFile() && this.#isCode(entry.name)) this.#changed(join(sub, entry.name));
        this.add(sub);
      }
    } catch (error) {
      // Gone again before it could be read (a checkout, a tool's temporary folder): nothing to watch.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    }
  }

  #isCode(name: string): boolean {
    return CODE_EXTENSIONS.has(extname(name)) && !NOT_WATCHED.has(name) && !name.endsWith('.d.ts');
  }

  #changed(file: string): void {
    const hash = contentHash(file);
    if (this.#hashes.get(file) === hash) return;
    this.#hashes.set(file, hash);
    if (this.#pending.size === 0) this.#firstSeen = performance.now();
    this.#pending.add(file);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      const files = this.#pending;
      this.#pending = new Set();
      this.onSave(files, this.#firstSeen);
    }, SETTLE_MS);
  }

  close(): void {
    clearTimeout(this.#timer);
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
  }
}
