/** What `fanout start --watch` reports, one event (and one printed line) per change it handled. */
export type WatchEvent =
  | {
      readonly kind: 'reloaded';
      /** The endpoints whose function now runs the new code (one handler may serve several). */
      readonly endpoints: readonly string[];
      /** From the first change seen to the new code in place (rebuild or re-synthesis included). */
      readonly ms: number;
    }
  | {
      readonly kind: 'restart-needed';
      /** The resource that changed, and how (`adds AWS::SQS::Queue EndpointfooQueue…`). */
      readonly reason: string;
    }
  | {
      readonly kind: 'failed';
      /** Which file or step failed, and the first error. */
      readonly reason: string;
    };

/** The one line a watch event prints. */
export function formatWatchEvent(event: WatchEvent): string {
  switch (event.kind) {
    case 'reloaded':
      return `reloaded ${event.endpoints.join(', ')} in ${Math.round(event.ms)} ms`;
    case 'restart-needed':
      return `restart needed: ${event.reason}; still running the previous stack (Ctrl-C, then start again to apply it)`;
    case 'failed':
      return `reload failed: ${event.reason}; still running the previous code`;
  }
}
