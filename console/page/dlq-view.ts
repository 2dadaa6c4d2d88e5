import type { ConsoleNode, DeadLetterView } from '../protocol.ts';
import { ApiCallError, api } from './api.ts';
import { clear, h } from './dom.ts';
import type { Store } from './store.ts';

const PEEK_MAX = 20;

/** Dead-letter queues: peek at messages with their failure reason, replay all or filtered (`fanout dlq replay`). */
export class DeadLettersView {
  readonly #select = h('select', { 'data-testid': 'dlq-select' });
  readonly #filter = h('input', {
    type: 'text',
    placeholder: 'filter, e.g. eventType=OrderPlaced,body.orderId=o-1',
    'data-testid': 'dlq-filter',
  });
  readonly #replayAll = h('button', { 'data-testid': 'dlq-replay-all' }, 'Replay all');
  readonly #replayFiltered = h('button', { 'data-testid': 'dlq-replay-filtered' }, 'Replay matching');
  readonly #purge = h('button', { 'data-testid': 'dlq-purge' }, 'Purge');
  readonly #refresh = h('button', { 'data-testid': 'dlq-refresh' }, 'Refresh');
  readonly #status = h('p', { class: 'status', 'data-testid': 'dlq-status' });
  readonly #list = h('div', { 'data-testid': 'dlq-messages' });
  readonly #dlqs: ConsoleNode[];
  #lastDepth = -1;

  constructor(
    root: HTMLElement,
    private readonly store: Store,
  ) {
    this.#dlqs = store.nodes.filter((n) => n.kind === 'dead-letter-queue');
    clear(this.#select, ...this.#dlqs.map((n) => h('option', { value: n.id }, n.shortName)));
    this.#select.addEventListener('change', () => void this.peek());
    this.#refresh.addEventListener('click', () => void this.peek());
    this.#replayAll.addEventListener('click', () => void this.#replay(undefined));
    this.#replayFiltered.addEventListener('click', () => void this.#replay(this.#filter.value.trim() || undefined));
    this.#purge.addEventListener('click', () => void this.#purgeAll());
    clear(
      root,
      h(
        'div',
        { class: 'filters' },
        this.#select,
        this.#refresh,
        this.#filter,
        this.#replayFiltered,
        this.#replayAll,
        this.#purge,
      ),
      this.#status,
      this.#list,
    );
  }

  /** Shows `id`'s messages (from the graph or the queue table). */
  show(id: string): void {
    this.#select.value = id;
    void this.peek();
  }

  get #node(): ConsoleNode | undefined {
    return this.#dlqs.find((n) => n.id === this.#select.value);
  }

  /** Peeks again when the selected DLQ's depth changes, so the list follows what arrives and leaves. */
  sampled(): void {
    const s = this.store.latest(this.#node?.queueName);
    const depth = s ? s.visible + s.notVisible + s.delayed : -1;
    if (depth !== this.#lastDepth && this.#lastDepth !== -1) void this.peek();
    this.#lastDepth = depth;
  }

  async peek(): Promise<void> {
    const node = this.#node;
    if (!node?.queueName) return;
    const replayable = this.store.snapshot.features.topology && node.replayEndpoint !== undefined;
    this.#replayAll.disabled = this.#replayFiltered.disabled = this.#purge.disabled = !replayable;
    const flag = node.replaySource === 'subscription' ? ' --subscription' : '';
    const why = this.store.snapshot.features.reason ?? 'this DLQ is no Fanout endpoint DLQ: nothing to replay it to';
    this.#replayAll.title = replayable ? `fanout dlq replay ${node.replayEndpoint}${flag}` : why;
    this.#purge.title = replayable ? `fanout dlq purge ${node.replayEndpoint}${flag}` : why;
    try {
      const messages = await api.peek(node.queueName, PEEK_MAX);
      clear(
        this.#list,
        messages.length
          ? h('div', { class: 'dead-letters' }, ...messages.map(card))
          : h('p', { class: 'muted', 'data-testid': 'dlq-empty' }, `${node.shortName} is empty.`),
      );
    } catch (error) {
      this.#status.textContent = (error as Error).message;
    }
  }

  async #purgeAll(): Promise<void> {
    const endpoint = this.#node?.replayEndpoint;
    const source = this.#node?.replaySource;
    const which = source === 'subscription' ? 'the SNS subscription DLQ' : 'the DLQ';
    if (!endpoint || !window.confirm(`Delete every message in ${which} of ${endpoint}? This cannot be undone.`)) return;
    try {
      const r = await api.purge(endpoint, source);
      this.#status.textContent = `Purged ${r.purged} message(s).${r.arrivedDuringPurge ? ` Left in the DLQ: ${r.arrivedDuringPurge} that arrived during the purge.` : ''}${r.failed.length ? ` Failed: ${r.failed.map((f) => f.error).join('; ')}.` : ''}`;
    } catch (error) {
      this.#status.textContent = (error as Error).message;
    }
    await this.peek();
  }

  /** Replays; messages a replay cannot fix are replayed only after the operator confirms, told why they fail again. */
  async #replay(filter: string | undefined, force = false): Promise<void> {
    const endpoint = this.#node?.replayEndpoint;
    const source = this.#node?.replaySource;
    if (!endpoint) return;
    this.#status.textContent = `Replaying ${endpoint}${filter ? ` (filter ${filter})` : ''}…`;
    try {
      const r = await api.replay(endpoint, filter, source, force).catch((error: unknown) => {
        if (!force && error instanceof ApiCallError && error.kind === 'PermanentFailuresError')
          return window.confirm(`${error.message}\n\nReplay them anyway?`)
            ? api.replay(endpoint, filter, source, true)
            : null;
        throw error;
      });
      if (r === null) {
        this.#status.textContent = 'Nothing replayed.';
        return;
      }
      const left = [
        r.skipped && `${r.skipped} not matching the filter`,
        r.keptForOrder && `${r.keptForOrder} kept for FIFO order`,
        r.arrivedDuringReplay && `${r.arrivedDuringReplay} arrived during the replay`,
      ].filter(Boolean);
      this.#status.textContent = `Moved ${r.moved} message(s) (${r.method} move).${left.length ? ` Left in the DLQ: ${left.join(', ')}.` : ''}${r.failed.length ? ` Failed: ${r.failed.map((f) => f.error).join('; ')}.` : ''}`;
    } catch (error) {
      this.#status.textContent = (error as Error).message;
    }
    await this.peek();
  }
}

function card(m: DeadLetterView): HTMLElement {
  return h(
    'article',
    { class: 'dead-letter', 'data-message-id': m.messageId },
    h(
      'header',
      {},
      h('strong', { class: 'mono' }, m.messageId.slice(0, 8)),
      ` ${m.eventType ?? '(no event type)'} · sent ${m.sentAt ?? '?'} (wall clock) · ${m.receiveCount} receive(s)${m.groupId ? ` · group ${m.groupId}` : ''}`,
    ),
    h(
      'p',
      { class: 'reason', 'data-testid': 'dlq-reason' },
      m.reason
        ? `${m.reason.kind}: ${m.reason.message}`
        : 'no reason attributes (dead-lettered by SQS after maxReceiveCount)',
    ),
    h('pre', {}, prettyPayload(m.payload)),
  );
}

function prettyPayload(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}
