// The page is bundled for the browser: topology/index.ts pulls in node:crypto, this module is pure.
import { OUTCOME_KINDS } from '../../contracts/outcome-log.ts';
import type { OutcomeEntry } from '../protocol.ts';
import { clear, h, perFrame, wallTime } from './dom.ts';
import type { Store } from './store.ts';

const ROWS_SHOWN = 300;

/** The live stream of record outcomes, filterable by consumer, outcome and text (correlation id, message id, reason). */
export class OutcomesView {
  readonly #consumer = h('select', { 'data-testid': 'outcome-consumer' });
  readonly #outcome = h(
    'select',
    { 'data-testid': 'outcome-kind' },
    h('option', { value: '' }, 'every outcome'),
    ...OUTCOME_KINDS.map((o) => h('option', { value: o }, o)),
  );
  readonly #text = h('input', {
    type: 'search',
    placeholder: 'correlation id, message id, reason…',
    'data-testid': 'outcome-text',
  });
  readonly #counts = h('div', { class: 'counts', 'data-testid': 'outcome-counts' });
  readonly #list = h('tbody');
  readonly render = perFrame(() => this.#render());

  constructor(
    root: HTMLElement,
    private readonly store: Store,
  ) {
    for (const el of [this.#consumer, this.#outcome, this.#text]) el.addEventListener('input', () => this.render());
    clear(
      root,
      h('div', { class: 'filters' }, this.#consumer, this.#outcome, this.#text),
      this.#counts,
      h(
        'table',
        { class: 'grid outcomes', 'data-testid': 'outcomes' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...[
              'time (wall clock)',
              'consumer',
              'outcome',
              'event',
              'correlation id',
              'message id',
              'receives',
              'reason',
            ].map((t) => h('th', {}, t)),
          ),
        ),
        this.#list,
      ),
    );
    this.render();
  }

  #matches(o: OutcomeEntry): boolean {
    const text = this.#text.value.trim().toLowerCase();
    return (
      (!this.#consumer.value || o.consumer === this.#consumer.value) &&
      (!this.#outcome.value || o.outcome === this.#outcome.value) &&
      (!text || [o.correlationId, o.messageId, o.reason, o.eventType].some((v) => v?.toLowerCase().includes(text)))
    );
  }

  #render(): void {
    const consumers = [...new Set(this.store.outcomes.map((o) => o.consumer))].sort();
    if (this.#consumer.options.length !== consumers.length + 1) {
      const chosen = this.#consumer.value;
      clear(
        this.#consumer,
        h('option', { value: '' }, 'every consumer'),
        ...consumers.map((c) => h('option', { value: c }, c)),
      );
      this.#consumer.value = chosen;
    }
    const counts = new Map<string, Map<string, number>>();
    for (const o of this.store.outcomes) {
      const c = counts.get(o.consumer) ?? new Map<string, number>();
      c.set(o.outcome, (c.get(o.outcome) ?? 0) + 1);
      counts.set(o.consumer, c);
    }
    clear(
      this.#counts,
      ...[...counts]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([consumer, c]) =>
          h(
            'span',
            { class: 'count', 'data-consumer': consumer },
            h('strong', {}, consumer),
            ' ',
            [...c].map(([k, n]) => `${k} ${n}`).join(' · '),
          ),
        ),
    );
    const rows: HTMLTableRowElement[] = [];
    for (let i = this.store.outcomes.length - 1; i >= 0 && rows.length < ROWS_SHOWN; i--) {
      const o = this.store.outcomes[i]!;
      if (!this.#matches(o)) continue;
      rows.push(
        h(
          'tr',
          { class: `outcome ${o.outcome}`, 'data-outcome': o.outcome, 'data-consumer': o.consumer },
          h('td', { class: 'mono' }, wallTime(o.t)),
          h('td', {}, o.consumer),
          h('td', {}, h('span', { class: `tag ${o.outcome}` }, o.outcome)),
          h('td', {}, o.eventType ?? ''),
          h('td', { class: 'mono' }, o.correlationId ?? ''),
          h('td', { class: 'mono' }, o.messageId?.slice(0, 8) ?? ''),
          h('td', { class: 'num' }, o.receiveCount ?? ''),
          h('td', { class: 'reason' }, o.errorKind ? `${o.errorKind}: ${o.reason ?? ''}` : (o.reason ?? '')),
        ),
      );
    }
    clear(this.#list, ...rows);
  }
}
