import { execFileSync } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (or $CHROMIUM_PATH); undefined when the machine has none. */
export function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const path = execFileSync('which', [name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (path) return path;
    } catch {
      // not on PATH
    }
  }
  return undefined;
}

export const CHROMIUM = findChromium();
const CI = process.env.CI === 'true';

/**
 * Why the browser tests do not run here, printed once; undefined when they run. Under CI=true a missing
 * Chromium is a failure (see `requireChromiumInCi`), never a skip.
 */
export const browserSkipReason: string | undefined =
  CHROMIUM || CI
    ? undefined
    : 'no Chromium on this machine (install the Debian package `chromium` or set CHROMIUM_PATH)';
if (browserSkipReason) console.warn(`Browser tests skipped: ${browserSkipReason}.`);

export function requireChromiumInCi(): void {
  if (!CHROMIUM)
    throw new Error(
      'CI=true but no Chromium was found: install the Debian package `chromium` (.ci/run does) or set CHROMIUM_PATH.',
    );
}

export function launchChromium(): Promise<Browser> {
  requireChromiumInCi();
  return chromium.launch({
    executablePath: CHROMIUM!,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Console errors, uncaught page errors and requests that left the machine, collected while the page lives. */
export interface PageProblems {
  readonly errors: string[];
  readonly externalRequests: string[];
}

export async function openConsole(browser: Browser, url: string): Promise<{ page: Page; problems: PageProblems }> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const problems: PageProblems = { errors: [], externalRequests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.errors.push(message.text());
  });
  page.on('pageerror', (error) => problems.errors.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith(url)) problems.externalRequests.push(request.url());
  });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  return { page, problems };
}
