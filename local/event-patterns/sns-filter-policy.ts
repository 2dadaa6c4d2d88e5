import { matchesPattern, type Pattern } from './match.ts';

/** A published message's attribute as SNS sees it for filtering. */
export interface SnsAttributeValue {
  readonly DataType: string;
  readonly StringValue?: string;
}

/** Attribute values as a filter policy matches them: Number → number, String.Array → its elements. */
function filterableAttributes(attributes: Readonly<Record<string, SnsAttributeValue>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, { DataType, StringValue }] of Object.entries(attributes)) {
    if (StringValue === undefined) continue;
    if (DataType.startsWith('Number')) out[name] = Number(StringValue);
    else if (DataType === 'String.Array') {
      try {
        out[name] = JSON.parse(StringValue);
      } catch {
        out[name] = StringValue;
      }
    } else out[name] = StringValue;
  }
  return out;
}

/** Whether a subscription's filter policy (scope `MessageAttributes` or `MessageBody`) lets a message through. */
export function passesFilterPolicy(
  policyJson: string | undefined,
  scope: string | undefined,
  message: string,
  attributes: Readonly<Record<string, SnsAttributeValue>>,
): boolean {
  if (!policyJson) return true;
  const policy = JSON.parse(policyJson) as Pattern;
  if (scope === 'MessageBody') {
    try {
      return matchesPattern(policy, JSON.parse(message));
    } catch {
      return false;
    }
  }
  return matchesPattern(policy, filterableAttributes(attributes));
}
