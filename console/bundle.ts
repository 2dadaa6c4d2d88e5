import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'page');

/** The console page: one HTML document, one script and one stylesheet, everything bundled (nothing from the internet). */
export interface PageBundle {
  readonly html: string;
  readonly js: string;
  readonly css: string;
}

/** Names of the page's files as the package build writes them beside index.html (scripts/build-package.ts). */
export const BUILT_PAGE = { js: 'console.js', css: 'console.css' } as const;

/**
 * The page bundled by the package build, or — in the sources — bundled now by `page/main.ts` (dagre,
 * uPlot and the views) with esbuild, minified, in memory.
 */
export async function bundlePage(): Promise<PageBundle> {
  const built = join(PAGE_DIR, BUILT_PAGE.js);
  const html = readFileSync(join(PAGE_DIR, 'index.html'), 'utf8');
  if (existsSync(built))
    return { html, js: readFileSync(built, 'utf8'), css: readFileSync(join(PAGE_DIR, BUILT_PAGE.css), 'utf8') };
  const { build } = await import('esbuild');
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
  return { html, js: text('.js'), css: text('.css') };
}
