/** Receipt handles whose visibility someone other than the pollers changed, most recent last. */
const REMEMBERED_MAX = 10_000;

/**
 * The receipt handles whose visibility a client (a function deferring a record, an operator's peek)
 * changed through the messaging endpoint. A poller that hid a batch for its invocation gives failed
 * records back their retry delay afterwards, but never undoes a change the function made itself.
 */
export class VisibilityChanges {
  readonly #handles = new Set<string>();

  note(receiptHandle: string): void {
    this.#handles.delete(receiptHandle);
    this.#handles.add(receiptHandle);
    if (this.#handles.size > REMEMBERED_MAX) this.#handles.delete(this.#handles.values().next().value!);
  }

  /** Whether the handle's visibility was changed; forgets it (a handle is settled once). */
  take(receiptHandle: string): boolean {
    return this.#handles.delete(receiptHandle);
  }

  /** Notes the handles of a ChangeMessageVisibility(Batch) request body (SQS JSON protocol). */
  noteRequest(action: string, body: unknown): void {
    if (typeof body !== 'object' || body === null) return;
    const input = body as { ReceiptHandle?: unknown; Entries?: unknown };
    if (action === 'ChangeMessageVisibility' && typeof input.ReceiptHandle === 'string') this.note(input.ReceiptHandle);
    if (action === 'ChangeMessageVisibilityBatch' && Array.isArray(input.Entries)) {
      for (const entry of input.Entries as { ReceiptHandle?: unknown }[])
        if (typeof entry?.ReceiptHandle === 'string') this.note(entry.ReceiptHandle);
    }
  }
}
