import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { mermaidDiagram } from '../../client/diagram.ts';
import { createFanoutApp } from '../../lib/app.ts';
import { readStack } from '../../local/assembly.ts';
import { referenceTopology } from '../../topology/reference.ts';

it("keeps the README's reference diagram equal to `fanout diagram` on the synthesized reference stack", () => {
  const outdir = mkdtempSync(join(tmpdir(), 'fanout-diagram-'));
  const { app, stack } = createFanoutApp({
    topology: referenceTopology,
    outdir,
    nag: false,
    cloudFormationValidation: false,
  });
  app.synth();
  const generated = mermaidDiagram(readStack(outdir, stack.stackName).template);
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const block = /## The topology\n[\s\S]*?```mermaid\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(
    block,
    'README has a mermaid block under "## The topology"; regenerate it with `npx fanout diagram`',
  ).toBeDefined();
  expect(block).toBe(generated);
});
