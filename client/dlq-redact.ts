import { FanoutClientError } from './errors.ts';

/** A `--redact` path that cannot be applied; nothing is written. */
export class RedactionError extends FanoutClientError {
  override readonly name = 'RedactionError';
}

/** The value of the same type that says nothing: '' for a string, 0, false; objects and arrays blanked through. */
function blank(value: unknown): unknown {
  if (typeof value === 'string') return '';
  if (typeof value === 'number') return 0;
  if (typeof value === 'boolean') return false;
  if (Array.isArray(value)) return value.map(blank);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, blank(v)]));
  return value;
}

/** Blanks the field at `path` (segments) in place; an array on the way applies the rest to each element. */
function blankPath(node: unknown, path: readonly string[]): boolean {
  if (Array.isArray(node)) {
    const [head, ...rest] = path;
    if (/^\d+$/.test(head!)) {
      const index = Number(head);
      if (index >= node.length) return false;
      if (rest.length === 0) {
        node[index] = blank(node[index]);
        return true;
      }
      return blankPath(node[index], rest);
    }
    return node.map((element) => blankPath(element, path)).some(Boolean);
  }
  if (typeof node !== 'object' || node === null) return false;
  const record = node as Record<string, unknown>;
  const [head, ...rest] = path;
  if (!Object.hasOwn(record, head!)) return false;
  if (rest.length === 0) {
    record[head!] = blank(record[head!]);
    return true;
  }
  return blankPath(record[head!], rest);
}

/**
 * The payloads with the fields at each dotted path blanked (`email`, `items.sku`, `items.0.sku`).
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
        `The payload of dead letter ${messageId} is not JSON, so --redact cannot blank fields in it; nothing was written. Fix: pull without --redact only if that payload may leave the account, or purge that message first.`,
      );
    }
    for (const path of paths) if (blankPath(parsed, path.split('.'))) matched[path]! += 1;
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
