import type { ApiError, ConsoleSnapshot, DeadLetterView } from '../protocol.ts';

/** A failed console API call, carrying the server's one-line message. */
export class ApiCallError extends Error {}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, init);
  const body = (await res.json()) as T | ApiError;
  if (!res.ok) throw new ApiCallError((body as ApiError).message ?? `HTTP ${res.status}`);
  return body as T;
}

const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export interface ReplayResultView {
  readonly method: string;
  readonly moved: number;
  readonly skipped: number;
  readonly keptForOrder: number;
  readonly arrivedDuringReplay: number;
  readonly failed: readonly { readonly messageId: string; readonly error: string }[];
  readonly notes: readonly string[];
}

export const api = {
  snapshot: () => call<ConsoleSnapshot>('/api/snapshot'),
  peek: (queueName: string, max = 20) =>
    call<DeadLetterView[]>(`/api/queues/${encodeURIComponent(queueName)}/messages?max=${max}`),
  replay: (endpoint: string, filter?: string, source?: 'queue' | 'subscription') =>
    call<ReplayResultView>(`/api/dead-letters/${encodeURIComponent(endpoint)}/replay`, post({ filter, source })),
  publish: (body: { eventType: string; payload: unknown; idempotencyKey?: string; correlationId?: string }) =>
    call<{ messageId: string }>('/api/publish', post(body)),
  countItems: (table: string) => call<{ count: number }>(`/api/tables/${encodeURIComponent(table)}/count`),
};
