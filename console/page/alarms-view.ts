import type { AlarmView } from '../protocol.ts';
import { clear, h, wallTime } from './dom.ts';
import type { Store } from './store.ts';

const STATE_ORDER: Record<string, number> = { ALARM: 0, INSUFFICIENT_DATA: 1, OK: 2 };

export function stateBadge(state: string): HTMLElement {
  return h('span', { class: `state ${state.toLowerCase()}`, 'data-state': state }, state);
}

/** Every alarm's state (ALARM first) with its history: each transition and CloudWatch's reason text. */
export class AlarmsView {
  constructor(
    private readonly root: HTMLElement,
    private readonly store: Store,
  ) {
    this.update();
  }

  update(): void {
    const alarms = [...this.store.alarms.values()].sort(
      (a, b) => (STATE_ORDER[a.state] ?? 3) - (STATE_ORDER[b.state] ?? 3) || a.name.localeCompare(b.name),
    );
    const opened = openedAlarms(this.root);
    clear(
      this.root,
      h(
        'div',
        { class: 'alarms', 'data-testid': 'alarms' },
        ...alarms.map((a) => alarmCard(a, this.store.snapshot.timeScale, opened.has(a.name))),
      ),
    );
  }
}

/** The alarms whose history the user opened under `root`: a redraw keeps them open. */
export function openedAlarms(root: HTMLElement): ReadonlySet<string | undefined> {
  return new Set([...root.querySelectorAll<HTMLDetailsElement>('details[open]')].map((d) => d.dataset.alarm));
}

/** An alarm with its history; each transition at its wall-clock time (the alarm clock's, virtual, in the tooltip). */
export function alarmCard(a: AlarmView, timeScale: number, open = false): HTMLElement {
  return h(
    'details',
    { class: 'alarm-card', 'data-alarm': a.name, 'data-state': a.state, open },
    h(
      'summary',
      {},
      stateBadge(a.state),
      ' ',
      h('strong', {}, a.name),
      h('span', { class: 'muted' }, ` ${a.history.length} transition(s)`),
    ),
    h('p', { class: 'reason' }, a.notEvaluated ?? a.reason),
    a.history.length
      ? h(
          'ol',
          { class: 'history' },
          ...[...a.history].reverse().map((t) =>
            h(
              'li',
              { 'data-transition': `${t.oldState}->${t.newState}` },
              h(
                'time',
                {
                  datetime: new Date(t.wallT).toISOString(),
                  'data-clock': 'wall',
                  title: `on the alarm clock (virtual, ×${timeScale}): ${t.time}`,
                },
                `${wallTime(t.wallT)} wall clock`,
              ),
              ' ',
              stateBadge(t.oldState),
              ' → ',
              stateBadge(t.newState),
              h('div', { class: 'reason' }, t.reason),
            ),
          ),
        )
      : null,
  );
}
