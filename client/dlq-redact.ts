import { FanoutClientError } from './errors.ts';

/** A `--redact` path that cannot be applied; nothing is written. */
export class RedactionError extends FanoutClientError {
  override readonly name = 'RedactionError';
}

/**
 * The value masked with its shape kept, so the payload still passes its schema where it did: in a
 * string every letter becomes `x` and every digit `1` (`ann@shop.io` → `xxx@xxxx.xx`); a number keeps
 * its sign and digit count with every digit 1 (700 → 111); a boolean becomes false; objects and
 * arrays are masked through.
 */
function mask(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\p{L}/gu, 'x').replace(/\p{N}/gu, '1');
  if (typeof value === 'number') return Number(String(value).replace(/\d/g, '1'));
  if (typeof value === 'boolean') return false;
  if (Array.isArray(value)) return value.map(mask);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v)]));
  return value;
}

/** Masks the field at `path` (segments) in place; an array on the way applies the rest to each element. */
function maskPath(node: unknown, path: readonly string[]): boolean {
  if (Array.isArray(node)) {
    const [head, ...rest] = path;
    if (/^\d+$/.test(head!)) {
      const index = Number(head);
      if (index >= node.length) return false;
      if (rest.length === 0) {
        node[index] = mask(node[index]);
        return true;
      }
      return maskPath(node[index], rest);
    }
    return node.map((element) => maskPath(element, path)).some(Boolean);
  }
  if (typeof node !== 'object' || node === null) return false;
  const record = node as Record<string, unknown>;
  const [head, ...rest] = path;
  if (!Object.hasOwn(record, head!)) return false;
  if (rest.length === 0) {
    record[head!] = mask(record[head!]);
    return true;
  }
  return maskPath(record[head!], rest);
}

/**
 * The payloads with the fields at each dotted path masked (`email`, `items.sku`, `items.0.sku`).
 * A path that matches no field of any payload is refused (a typo would let the value through), and
 * so is any path when a payload is not JSON.
 * @returns the redacted payloads, in order, and per path how many payloads it matched
 */
export function redactPayloads(
  payloads: readonly { readonly messageId: string; readonly payload: string }[],
  paths: readonly string[],
): { payloads: string[]; matched: Record<string, number> } {
  const matched: Record<string, number> = Object.fromEntries(paths.map((p) => [p, 0]));
  if (paths.length === 0) return { payloads: payloads.map((p) => p.payload), matched };
  for (const path of paths) {
    if (path.split('.').some((segment) => segment === '')) {
      throw new RedactionError(
        `--redact '${path}' is not a dotted path of payload fields. Fix: name a field like 'email' or 'customer.address.street'.`,
      );
    }
  }
  const redacted = payloads.map(({ messageId, payload }) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      throw new RedactionError(
        `The payload of dead letter ${messageId} is not JSON, so --redact cannot mask fields in it; nothing was written. Fix: pull without --redact only if that payload may leave the account, or purge that message first.`,
      );
    }
    for (const path of paths) if (maskPath(parsed, path.split('.'))) matched[path]! += 1;
    return JSON.stringify(parsed);
  });
  const unmatched = paths.filter((p) => matched[p] === 0);
  if (unmatched.length > 0 && payloads.length > 0) {
    throw new RedactionError(
      `--redact ${unmatched.map((p) => `'${p}'`).join(', ')} matches no field in the ${payloads.length} payload(s) pulled; nothing was written. Fix: correct the path (dotted, from the payload's top: 'customer.email').`,
    );
  }
  return { payloads: redacted, matched };
}
