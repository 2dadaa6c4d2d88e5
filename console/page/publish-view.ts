import type { EventForm, FormField } from '../protocol.ts';
import { api } from './api.ts';
import { clear, h } from './dom.ts';
import type { Store } from './store.ts';

type Input = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** A form per event type, its fields read from the event's schema; the payload is checked against the schema before it is sent. */
export class PublishView {
  readonly #event = h('select', { 'data-testid': 'publish-event' });
  readonly #fields = h('div', { class: 'fields' });
  readonly #result = h('p', { class: 'status', 'data-testid': 'publish-result', role: 'status' });
  readonly #idempotencyKey = h('input', {
    type: 'text',
    placeholder: 'idempotency key (optional)',
    'data-testid': 'publish-idempotency-key',
  });
  readonly #correlationId = h('input', {
    type: 'text',
    placeholder: 'correlation id (optional)',
    'data-testid': 'publish-correlation-id',
  });
  #inputs = new Map<string, { field: FormField; input: Input }>();
  /** Counts the forms shown: a reply to a form no longer shown is not reported on the new one. */
  #shown = 0;

  constructor(
    root: HTMLElement,
    private readonly store: Store,
  ) {
    const forms = store.snapshot.events;
    if (forms.length === 0) {
      clear(
        root,
        h('p', { class: 'muted' }, `Publishing is off: ${store.snapshot.features.reason ?? 'no event types'}.`),
      );
      return;
    }
    clear(this.#event, ...forms.map((f) => h('option', { value: f.eventType }, `${f.eventType} → ${f.destination}`)));
    this.#event.addEventListener('change', () => this.#showFields());
    const send = h('button', { type: 'submit', 'data-testid': 'publish-send' }, 'Publish');
    const form = h(
      'form',
      { class: 'publish', 'data-testid': 'publish-form' },
      h('label', {}, 'event ', this.#event),
      this.#fields,
      this.#idempotencyKey,
      this.#correlationId,
      send,
      this.#result,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#send();
    });
    clear(root, form);
    this.#showFields();
  }

  get #form(): EventForm | undefined {
    return this.store.snapshot.events.find((f) => f.eventType === this.#event.value);
  }

  #showFields(): void {
    this.#shown++;
    // A result (a validation error above all) is about the previous event type's form.
    this.#result.textContent = '';
    this.#result.className = 'status';
    this.#inputs = new Map();
    const rows = (this.#form?.fields ?? []).map((field) => {
      const input = inputFor(field);
      input.setAttribute('data-field', field.name);
      this.#inputs.set(field.name, { field, input });
      return h('label', { class: 'field' }, h('span', {}, field.name, field.optional ? ' (optional)' : ''), input);
    });
    clear(this.#fields, ...rows);
  }

  #payload(): unknown {
    const payload: Record<string, unknown> = {};
    for (const [name, { field, input }] of this.#inputs) {
      const raw = input instanceof HTMLInputElement && input.type === 'checkbox' ? input.checked : input.value;
      if (raw === '' && field.optional) continue;
      if (field.type === 'number') payload[name] = raw === '' || Number.isNaN(Number(raw)) ? raw : Number(raw);
      else if (field.type === 'json') {
        try {
          payload[name] = JSON.parse(String(raw));
        } catch (error) {
          throw new Error(
            `Field '${name}' is not JSON (${(error as Error).message}). Fix: write a JSON value, e.g. ${JSON.stringify(field.example)}.`,
          );
        }
      } else payload[name] = raw;
    }
    return this.#inputs.size === 1 && this.#inputs.has('(payload)') ? payload['(payload)'] : payload;
  }

  async #send(): Promise<void> {
    this.#result.className = 'status';
    const shown = this.#shown;
    const eventType = this.#event.value;
    let outcome: { text: string; kind: 'ok' | 'error' };
    try {
      const { messageId } = await api.publish({
        eventType,
        payload: this.#payload(),
        idempotencyKey: this.#idempotencyKey.value.trim(),
        correlationId: this.#correlationId.value.trim(),
      });
      outcome = { text: `Published ${eventType}: message ${messageId}.`, kind: 'ok' };
    } catch (error) {
      outcome = { text: (error as Error).message, kind: 'error' };
    }
    if (shown !== this.#shown) return;
    this.#result.textContent = outcome.text;
    this.#result.classList.add(outcome.kind);
  }
}

function inputFor(field: FormField): Input {
  const example = field.example;
  switch (field.type) {
    case 'choice':
      return h('select', {}, ...(field.options ?? []).map((o) => h('option', { value: o }, o)));
    case 'boolean':
      return h('input', { type: 'checkbox', checked: example === true });
    case 'number':
      return h('input', { type: 'text', inputmode: 'decimal', value: String(example ?? '') });
    case 'json':
      return h('textarea', { rows: 3, value: JSON.stringify(example) });
    default:
      return h('input', { type: 'text', value: String(example ?? '') });
  }
}
