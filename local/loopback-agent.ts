import { Agent } from 'node:http';

/**
 * The request handler of an SDK client that talks to the local cloud's own loopback servers: no
 * socket limit, since the work (a deploy of hundreds of queues, every poller's long poll, a fan-out
 * through the fronts) is bounded by the topology, and the SDK's default pool of 50 would only queue it.
 */
export const loopbackRequestHandler = () => ({ httpAgent: new Agent({ keepAlive: true, maxSockets: Infinity }) });
