import type { LogEntry } from '../protocol.ts';
import { clear, h, perFrame, wallTime } from './dom.ts';
import type { Store } from './store.ts';

const ROWS_SHOWN = 500;

/** The functions' log lines as they are written, filterable by function, correlation id and text. */
export class LogsView {
  readonly #function = h('select', { 'data-testid': 'log-function' });
  readonly #correlation = h('input', {
    type: 'search',
    placeholder: 'correlation id',
    'data-testid': 'log-correlation',
  });
  readonly #text = h('input', {
    type: 'search',
    placeholder: 'text in the line or its stack…',
    'data-testid': 'log-text',
  });
  readonly #count = h('span', { class: 'muted', 'data-testid': 'log-count' });
  readonly #list = h('tbody');
  readonly render = perFrame(() => this.#render());

  constructor(
    root: HTMLElement,
    private readonly store: Store,
  ) {
    const functions = store.nodes
      .map((n) => n.functionName)
      .filter((f): f is string => !!f)
      .sort();
    clear(
      this.#function,
      h('option', { value: '' }, 'every function'),
      ...functions.map((f) => h('option', { value: f }, f)),
    );
    for (const el of [this.#function, this.#correlation, this.#text]) el.addEventListener('input', () => this.render());
    clear(
      root,
      h('div', { class: 'filters' }, this.#function, this.#correlation, this.#text, this.#count),
      h(
        'table',
        { class: 'grid logs', 'data-testid': 'logs' },
        h(
          'thead',
          {},
          h('tr', {}, ...['time (wall clock)', 'function', 'correlation id', 'line'].map((t) => h('th', {}, t))),
        ),
        this.#list,
      ),
    );
    this.render();
  }

  /** Shows one function's lines. */
  show(functionName: string): void {
    this.#function.value = functionName;
    this.render();
  }

  #matches(l: LogEntry): boolean {
    const correlation = this.#correlation.value.trim();
    const text = this.#text.value.trim().toLowerCase();
    return (
      (!this.#function.value || l.functionName === this.#function.value) &&
      (!correlation || (l.correlationId ?? '').includes(correlation)) &&
      (!text || l.text.toLowerCase().includes(text))
    );
  }

  #render(): void {
    const rows: HTMLTableRowElement[] = [];
    let matching = 0;
    for (let i = this.store.logs.length - 1; i >= 0; i--) {
      const l = this.store.logs[i]!;
      if (!this.#matches(l)) continue;
      matching++;
      if (rows.length >= ROWS_SHOWN) continue;
      rows.push(
        h(
          'tr',
          { class: `log${l.level ? ` ${l.level.toLowerCase()}` : ''}`, 'data-function': l.functionName },
          h('td', { class: 'mono', title: new Date(l.t).toISOString() }, wallTime(l.t)),
          h('td', {}, l.functionName),
          h('td', { class: 'mono' }, l.correlationId ?? ''),
          h('td', {}, h('pre', { class: 'log-text' }, l.level ? `${l.level} ${l.text}` : l.text)),
        ),
      );
    }
    this.#count.textContent = `${matching} of ${this.store.logs.length} lines`;
    clear(this.#list, ...rows);
  }
}
