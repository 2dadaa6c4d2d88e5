import type { LocalCloud } from '../cloud.ts';

const CHECK_EVERY_MS = 100;
const QUIET_CHECKS = 5;

/**
 * Messages still waiting or in flight in the given queues, plus the batches their functions are
 * running (an at-most-once batch leaves its queue before it runs).
 */
export function backlog(cloud: LocalCloud, queueUrls: readonly string[]): number {
  let sum = 0;
  for (const url of queueUrls) {
    const gauges = cloud.queueGauges(url);
    if (gauges) sum += gauges.visible + gauges.notVisible + gauges.delayed;
  }
  for (const poller of cloud.pollers) if (queueUrls.includes(poller.config.queueUrl)) sum += poller.inFlightBatches;
  return sum;
}

/** Waits until the queues stay empty for a few checks in a row; false if `timeoutMs` passes first. */
export async function waitUntilDrained(
  cloud: LocalCloud,
  queueUrls: readonly string[],
  timeoutMs: number,
  onCheck?: (backlog: number) => void,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (Date.now() < deadline) {
    const remaining = backlog(cloud, queueUrls);
    onCheck?.(remaining);
    quiet = remaining === 0 ? quiet + 1 : 0;
    if (quiet >= QUIET_CHECKS) return true;
    await new Promise((resolve) => setTimeout(resolve, CHECK_EVERY_MS));
  }
  return false;
}
