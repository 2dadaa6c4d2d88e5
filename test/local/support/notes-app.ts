import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFanoutApp } from '../../../lib/app.ts';
import type { Topology } from '../../../topology/index.ts';
import { Note } from '../../fixtures/handlers/logs-and-throws.ts';

/** One topic, one subscriber (`noter`) whose handler logs and then throws: what the log tests read back. */
export const notesTopology: Topology = {
  name: 'logs',
  events: { Note: { schema: Note } },
  topics: [
    { name: 'notes', events: ['Note'], subscriptions: [{ name: 'noter', consumer: { handler: 'logs-and-throws' } }] },
  ],
};

/** Synthesizes the notes app into a fresh directory; returns it and the stack's name. */
export function synthNotesApp(prefix: string): { assemblyDir: string; stackName: string } {
  const assemblyDir = mkdtempSync(join(tmpdir(), prefix));
  const { app, stack } = createFanoutApp({
    topology: notesTopology,
    handlers: join(import.meta.dirname, '../../fixtures/handlers'),
    outdir: assemblyDir,
    nag: false,
    cloudFormationValidation: false,
  });
  app.synth();
  return { assemblyDir, stackName: stack.stackName };
}
