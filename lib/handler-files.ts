import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { HandlerFileError } from './errors.ts';

/**
 * Where consumer handlers live in the user's project: a folder holding `<handler>.ts` per consumer,
 * or a map from a handler name to its file.
 */
export type HandlerLocation = string | Readonly<Record<string, string>>;

const HANDLER_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'] as const;

/** Levenshtein distance, to offer the closest existing handler when a name is misspelt. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/** The name among `candidates` closest to `name`, if it is close enough to be a likely typo. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; d: number } | undefined;
  for (const candidate of candidates) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (!best || d < best.d) best = { candidate, d };
  }
  return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? best.candidate : undefined;
}

function handlersIn(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => HANDLER_EXTENSIONS.some((ext) => f.endsWith(ext)) && !f.endsWith('.d.ts') && !f.includes('.test.'))
    .map((f) => f.slice(0, f.lastIndexOf('.')));
}

/** Resolves a handler name to its file, or fails naming the path looked for and the closest existing handler. */
export function handlerResolver(location: HandlerLocation): (name: string) => string {
  if (typeof location !== 'string') {
    return (name) => {
      const file = location[name];
      if (file !== undefined) return path.resolve(file);
      throw new HandlerFileError(`(handlers map) ${name}`, 'missing', closestName(name, Object.keys(location)));
    };
  }
  const folder = path.resolve(location);
  return (name) => {
    for (const ext of HANDLER_EXTENSIONS) {
      const file = path.join(folder, `${name}${ext}`);
      if (existsSync(file)) return file;
    }
    throw new HandlerFileError(path.join(folder, `${name}.ts`), 'missing', closestName(name, handlersIn(folder)));
  };
}
