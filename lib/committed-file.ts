import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * A JSON file synthesis writes and the team commits next to the topology (the placement record, the
 * schema lock): how it is read, checked and written, once.
 */
export interface CommittedFile<T> {
  /** What it is, as errors name it: `placement file`, `schema lock`. */
  readonly what: string;
  /** Its version and the fields it needs, as the error says when they are missing. */
  readonly shape: string;
  readonly empty: () => T;
  readonly isValid: (value: Partial<T>) => boolean;
  readonly error: new (message: string, options?: { cause?: unknown }) => Error;
}

/** The file's content, or the empty value when the file does not exist yet. */
export function readCommittedFile<T>(file: string, kind: CommittedFile<T>): T {
  if (!existsSync(file)) return kind.empty();
  let value: Partial<T>;
  try {
    value = JSON.parse(readFileSync(file, 'utf8')) as Partial<T>;
  } catch (error) {
    throw new kind.error(
      `${kind.what} ${file} is not JSON (${(error as Error).message}). Fix: restore it from version control; it is written by synthesis.`,
      { cause: error },
    );
  }
  if (!kind.isValid(value))
    throw new kind.error(`${kind.what} ${file} is not a ${kind.shape}. Fix: restore it from version control.`);
  return value as T;
}

/** Writes `text` when the file holds something else; returns whether it did. */
export function writeIfChanged(file: string, text: string): boolean {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  writeFileSync(file, text);
  return true;
}

/** The entries sorted by key, so the file's diff shows exactly what changed. */
export const sortedByKey = <T>(entries: Readonly<Record<string, T>>): Record<string, T> =>
  Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
