/**
 * Worker-thread entry running dynalite, so DynamoDB work gets its own event loop (and core) instead
 * of competing with fauxqs and the pollers. Loaded by Node's type stripping: erasable syntax only.
 */
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.on('error', (error: Error) => parentPort!.postMessage({ type: 'error', message: error.message }));
server.listen((workerData as { port: number }).port, '127.0.0.1', () => {
  parentPort!.postMessage({ type: 'listening', port: (server.address() as AddressInfo).port });
});
