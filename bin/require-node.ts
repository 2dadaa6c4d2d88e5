/** `fanout start` (the local cloud) needs Node ≥ 24, which an app installs as a dev dependency (node_modules/.bin/node). */
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `fanout start: Node ${process.versions.node} is too old for the local cloud (needs ≥ 24); run it through npm in the app ` +
      '(`npx fanout start`, `npm start`), which uses the Node 24 it installs as the `node` dev dependency, or install Node 24',
  );
  process.exit(1);
}
