import { randomUUID } from 'node:crypto';
import { LocalCloudError } from '../errors.ts';

/** SNS's query protocol: form-encoded parameters in, XML out. */

export interface SnsReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

export function parseQuery(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

export function encodeQuery(params: Readonly<Record<string, string>>): string {
  return new URLSearchParams(params).toString();
}

export const escapeXml = (text: string) =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');

const XML_HEADERS = { 'content-type': 'text/xml' } as const;

export function xmlSuccess(action: string, result = ''): SnsReply {
  const body = `<${action}Response xmlns="${XMLNS}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, headers: XML_HEADERS, body };
}

/** An SNS API error with AWS's code, HTTP status and wording. */
export class SnsApiError extends LocalCloudError {
  override readonly name = 'SnsApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }

  toReply(): SnsReply {
    const type = this.statusCode < 500 ? 'Sender' : 'Receiver';
    const body = `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${this.code}</Code><Message>${escapeXml(this.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
    return { status: this.statusCode, headers: XML_HEADERS, body };
  }
}

export const invalidParameter = (message: string) =>
  new SnsApiError('InvalidParameter', `Invalid parameter: ${message}`);

/** Adds `<entry><key>…</key><value>…</value></entry>` items to an `<Attributes>` map of a reply. */
export function withAttributes(reply: SnsReply, extra: Readonly<Record<string, string>>): SnsReply {
  const entries = Object.entries(extra)
    .map(([key, value]) => `<entry><key>${escapeXml(key)}</key><value>${escapeXml(value)}</value></entry>`)
    .join('');
  return reply.status === 200 && entries
    ? { ...reply, body: reply.body.replace('</Attributes>', `${entries}</Attributes>`) }
    : reply;
}

/** Message attributes of a Publish (prefix '') or of one PublishBatch entry (`PublishBatchRequestEntries.member.N.`). */
export function messageAttributes(
  params: Readonly<Record<string, string>>,
  prefix = '',
): Record<string, { DataType: string; StringValue?: string }> {
  const out: Record<string, { DataType: string; StringValue?: string }> = {};
  const pattern = new RegExp(`^${prefix.replaceAll('.', '\\.')}MessageAttributes\\.entry\\.(\\d+)\\.Name$`);
  for (const [key, name] of Object.entries(params)) {
    const index = pattern.exec(key)?.[1];
    if (index === undefined) continue;
    const base = `${prefix}MessageAttributes.entry.${index}.Value.`;
    const dataType = params[`${base}DataType`];
    if (!dataType) continue;
    const value = params[`${base}StringValue`];
    out[name] = value === undefined ? { DataType: dataType } : { DataType: dataType, StringValue: value };
  }
  return out;
}

/** Text of the first `<tag>` in an XML reply. */
export function xmlValue(xml: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
}
