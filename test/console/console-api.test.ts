import { afterAll, beforeAll, expect, it } from 'vitest';
import { type LocalConsole, startConsole } from '../../console/index.ts';
import type { LocalCloud } from '../../local/index.ts';
import type { ConsoleSnapshot } from '../../console/protocol.ts';
import { probeConsumer, resultsTable } from '../local/fixtures/fixture-app.ts';
import { startFixture } from '../support/local-cloud.ts';

// Any assembly: a stack no Fanout topology built, and a console given no topology.
let cloud: LocalCloud;
let localConsole: LocalConsole;

beforeAll(async () => {
  cloud = await startFixture('ConsoleAnyStack', (stack) => probeConsumer(stack, 'Probe', resultsTable(stack)));
  localConsole = await startConsole(cloud);
});
afterAll(async () => {
  await localConsole?.stop();
  await cloud?.stop();
});

const get = (path: string) => fetch(`${localConsole.url}${path}`);
const post = (path: string, body: string) =>
  fetch(`${localConsole.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

it('serves the graph of an assembly without a topology; publish and replay say why they are off', async () => {
  const snapshot = (await (await get('/api/snapshot')).json()) as ConsoleSnapshot;
  expect(snapshot.graph.nodes.map((n) => n.kind).sort()).toEqual(['dead-letter-queue', 'function', 'queue', 'table']);
  expect(snapshot.features).toEqual({
    topology: false,
    reason: 'no topology was given to the console (publish and replay need its schemas and endpoints)',
  });
  const publish = await post('/api/publish', JSON.stringify({ eventType: 'X', payload: {} }));
  expect(publish.status).toBe(409);
  expect(await publish.json()).toEqual({
    error: 'FeatureUnavailable',
    message: `Publish and replay are off: ${snapshot.features.reason}.`,
  });
});

it('answers bad input with one line naming the input, the rule and the fix', async () => {
  const unknown = await get('/api/queues/nope/messages');
  expect(unknown.status).toBe(404);
  expect(((await unknown.json()) as { message: string }).message).toMatch(/^Unknown queue 'nope'\. Fix: use one of /);
  const notJson = await post('/api/publish', '{not json');
  expect(notJson.status).toBe(400);
  expect(await notJson.json()).toEqual({
    error: 'BadRequest',
    message: 'Request body is not a JSON object. Fix: send {"eventType": …, "payload": {…}}.',
  });
});

it('serves a page that loads nothing from outside the console', async () => {
  const html = await (await get('/')).text();
  const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
  expect(sources).toEqual(['/assets/console.css', '/assets/console.js']);
  const js = await (await get('/assets/console.js')).text();
  expect(js).not.toMatch(
    /https?:\/\/(?!127\.0\.0\.1|localhost|www\.w3\.org)[a-z0-9.-]+\.[a-z]{2,}\/[^"'\s]*\.(?:js|css|woff2?)/,
  );
});

it('acts only on application/json requests, which another site cannot send without a preflight', async () => {
  for (const path of ['/api/dead-letters/probe/purge', '/api/dead-letters/probe/replay', '/api/publish']) {
    const crossSite = await fetch(`${localConsole.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"force":true}',
    });
    expect(crossSite.status, path).toBe(415);
    expect(((await crossSite.json()) as { message: string }).message).toBe(
      'Request body must be application/json. Fix: send content-type: application/json.',
    );
  }
});
