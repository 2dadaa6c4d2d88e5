import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const PAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'page');

/** The console page: one HTML document, one script and one stylesheet, everything bundled (nothing from the internet). */
export interface PageBundle {
  readonly html: string;
  readonly js: string;
  readonly css: string;
}

/** Bundles `page/main.ts` (dagre, uPlot and the views) with esbuild, minified, in memory. */
export async function bundlePage(): Promise<PageBundle> {
  const result = await build({
    entryPoints: [join(PAGE_DIR, 'main.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    write: false,
    outdir: 'out',
    entryNames: 'console',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const text = (ext: string) => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  return { html: readFileSync(join(PAGE_DIR, 'index.html'), 'utf8'), js: text('.js'), css: text('.css') };
}
