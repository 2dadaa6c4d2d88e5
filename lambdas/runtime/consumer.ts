import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as v from 'valibot';

export interface RecordContext {
  readonly eventType: string;
  readonly messageId: string;
  readonly lambda: Context;
}

type Schemas = Record<string, v.GenericSchema>;

export interface ConsumerDefinition<S extends Schemas> {
  /** Event types this consumer handles, with their schemas. */
  readonly events: S;
  /** One function per event type, given the validated payload. */
  readonly handlers: { readonly [K in keyof S]: (payload: v.InferOutput<S[K]>, ctx: RecordContext) => Promise<void> };
}

function decode(record: SQSRecord): { eventType: string; body: unknown } {
  const parsed = JSON.parse(record.body) as Record<string, unknown>;
  if (parsed.Type === 'Notification' && typeof parsed.Message === 'string') {
    const attrs = parsed.MessageAttributes as Record<string, { Value: string }> | undefined;
    return { eventType: attrs?.eventType?.Value ?? '', body: JSON.parse(parsed.Message) };
  }
  return { eventType: record.messageAttributes.eventType?.stringValue ?? '', body: parsed };
}

/** Minimal consumer: decodes, validates and dispatches each record, reporting partial batch failures. */
export function defineConsumer<S extends Schemas>(definition: ConsumerDefinition<S>) {
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        const { eventType, body } = decode(record);
        const schema = definition.events[eventType];
        const handle = definition.handlers[eventType];
        if (!schema || !handle) throw new Error(`unknown event type '${eventType}'`);
        await handle(v.parse(schema, body), { eventType, messageId: record.messageId, lambda: context });
      } catch (error) {
        console.error(JSON.stringify({ messageId: record.messageId, error: String(error) }));
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}
