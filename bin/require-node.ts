/** The CLI needs Node ≥ 24, which the project installs as a dev dependency (node_modules/.bin/node). */
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `fanout: Node ${process.versions.node} is too old (needs ≥ 24); run it through npm in the project ` +
      '(`npx fanout …`, `npm start`), which uses the Node 24 it installs, or install Node 24',
  );
  process.exit(1);
}
