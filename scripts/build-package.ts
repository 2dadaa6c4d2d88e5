/**
 * `npm run build` (and `prepare`): compiles the framework to dist/ with type declarations, then
 * bundles the console page into dist/ so an installed package needs neither esbuild nor the page's
 * libraries at run time.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { RECOMMENDED_FLAGS_FILE } from '../client/cli/init/init-command.ts';
import { BUILT_PAGE, bundlePage } from '../console/bundle.ts';

const ROOT = join(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');

rmSync(DIST, { recursive: true, force: true });
const tsc = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
// Data files tsc does not copy: fanout plan's measured request counts.
copyFileSync(
  join(ROOT, 'client', 'plan', 'measured-requests.json'),
  join(DIST, 'client', 'plan', 'measured-requests.json'),
);
// The CLI is package.json's bin: npm links it before `prepare` builds it, so make it executable here.
chmodSync(join(DIST, 'bin', 'fanout.js'), 0o755);
const page = await bundlePage();
const pageDir = join(DIST, 'console', 'page');
mkdirSync(pageDir, { recursive: true });
writeFileSync(join(pageDir, 'index.html'), page.html);
writeFileSync(join(pageDir, BUILT_PAGE.js), page.js);
writeFileSync(join(pageDir, BUILT_PAGE.css), page.css);
writeFileSync(
  join(DIST, 'client', 'cli', 'init', RECOMMENDED_FLAGS_FILE),
  `${JSON.stringify(CURRENTLY_RECOMMENDED_FLAGS, null, 2)}\n`,
);
