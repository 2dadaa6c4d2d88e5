import { synthShop } from '../local/shop-cloud.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { mermaidDiagram } from '../../../../client/diagram.ts';
import { readStack } from '../../../../assembly/index.ts';

it("keeps the README's reference diagram equal to `fanout diagram` on the synthesized reference stack", () => {
  const { assemblyDir, stackName } = synthShop();
  const generated = mermaidDiagram(readStack(assemblyDir, stackName).template);
  const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', '..', 'README.md'), 'utf8');
  const block = /## The topology\n[\s\S]*?```mermaid\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(
    block,
    'README has a mermaid block under "## The topology"; regenerate it with `npx fanout diagram`',
  ).toBeDefined();
  expect(block).toBe(generated);
});
