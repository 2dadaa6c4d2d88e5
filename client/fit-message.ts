import { CLAIM_CHECK } from '../contracts/index.ts';
import {
  checkAttributeBudget,
  checkAttributesFit,
  type MessageAttributes,
  messageSize,
  serviceLabel,
} from './attributes.ts';
import { type ClaimCheck, planClaimCheck } from './claim-check.ts';
import { PayloadTooLargeError } from './errors.ts';
import type { Destination } from './target.ts';

/** Where an oversized payload may go. */
export interface ClaimCheckPlace {
  /** `false` when the publisher was told not to claim-check. */
  readonly enabled: boolean;
  /** The stack's payload bucket, when it has one. */
  readonly bucket: string | undefined;
  /** Named in the error when the bucket is missing. */
  readonly stackName: string;
}

/** The message as it goes out: its payload inline, or a pointer to the `claim` still to be stored. */
export interface FittedMessage {
  readonly body: string;
  readonly attributes: MessageAttributes;
  readonly claim: ClaimCheck | undefined;
  /** Bytes it counts against the size limit. */
  readonly size: number;
}

/**
 * Decides how a message goes out and checks the message that will be sent, once: its attributes'
 * count and bytes, and its size inline or with its payload claim-checked. Nothing is stored, so a
 * message refused here leaves nothing behind.
 */
export function fitMessage(
  eventType: string,
  dest: Destination,
  body: string,
  attributes: MessageAttributes,
  place: ClaimCheckPlace,
): FittedMessage {
  const limit = dest.maxMessageBytes;
  const service = serviceLabel(dest);
  const label = `'${eventType}' to ${service}`;
  checkAttributesFit(label, dest, attributes);
  const size = messageSize(body, attributes);
  if (size <= limit) {
    checkAttributeBudget(Object.keys(attributes));
    return { body, attributes, claim: undefined, size };
  }
  if (!place.enabled || !place.bucket) {
    throw new PayloadTooLargeError(
      `Message of event type '${eventType}' is ${size} bytes (body + attributes); ${service} accepts at most ${limit}. ` +
        (!place.enabled
          ? 'Fix: enable the claim-check (claimCheck: true) or shrink the payload.'
          : `Fix: deploy the stack with its payload bucket (output PayloadBucketName missing from '${place.stackName}') or shrink the payload.`),
    );
  }
  const fitted = {
    ...attributes,
    [CLAIM_CHECK.attribute]: { DataType: 'String' as const, StringValue: CLAIM_CHECK.version },
  };
  checkAttributeBudget(Object.keys(fitted), ` with the claim-check marker its ${size} bytes need`);
  const claim = planClaimCheck(place.bucket, eventType, body);
  const final = messageSize(claim.body, fitted);
  if (final > limit) {
    throw new PayloadTooLargeError(
      `${label} cannot fit: with its payload claim-checked it is still ${final} bytes ` +
        `(attributes ${messageSize('', fitted)}, pointer body ${Buffer.byteLength(claim.body)}); ` +
        `the ${dest.kind} accepts at most ${limit} per message. Fix: move large values from the attributes into the payload.`,
    );
  }
  return { body: claim.body, attributes: fitted, claim, size: final };
}
