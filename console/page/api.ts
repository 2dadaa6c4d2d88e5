import type { ApiError, ConsoleSnapshot, DeadLetterView } from '../protocol.ts';

/** A failed console API call, carrying the server's one-line message and its error name. */
export class ApiCallError extends Error {
  constructor(
    message: string,
    readonly kind: string | undefined,
  ) {
    super(message);
  }
}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, init);
  const body = (await res.json()) as T | ApiError;
  if (!res.ok) throw new ApiCallError((body as ApiError).message ?? `HTTP ${res.status}`, (body as ApiError).error);
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
  replay: (endpoint: string, filter?: string, source?: 'queue' | 'subscription', force = false) =>
    call<ReplayResultView>(`/api/dead-letters/${encodeURIComponent(endpoint)}/replay`, post({ filter, source, force })),
  purge: (endpoint: string, source?: 'queue' | 'subscription') =>
    call<{ purged: number; arrivedDuringPurge: number; failed: readonly { error: string }[] }>(
      `/api/dead-letters/${encodeURIComponent(endpoint)}/purge`,
      post({ source }),
    ),
  publish: (body: { eventType: string; payload: unknown; idempotencyKey?: string; correlationId?: string }) =>
    call<{ messageId: string }>('/api/publish', post(body)),
  countItems: (table: string) => call<{ count: number }>(`/api/tables/${encodeURIComponent(table)}/count`),
};
