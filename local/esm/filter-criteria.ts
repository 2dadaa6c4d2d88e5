import type { SQSRecord } from 'aws-lambda';
import { matchesPattern, type Pattern } from '../event-patterns/match.ts';

/**
 * Lambda event filtering on SQS records (`FilterCriteria.Filters[].Pattern`): a record reaches the
 * function when it matches any pattern. The body is matched as JSON when it parses as JSON; a
 * pattern on body fields never matches a plain-text body (as on Lambda).
 */
export class RecordFilter {
  readonly #patterns: readonly Pattern[];

  constructor(patterns: readonly string[]) {
    this.#patterns = patterns.map((p) => JSON.parse(p) as Pattern);
  }

  get active(): boolean {
    return this.#patterns.length > 0;
  }

  matches(record: SQSRecord): boolean {
    if (!this.active) return true;
    let body: unknown = record.body;
    try {
      body = JSON.parse(record.body);
    } catch {
      // plain text: only string rules on `body` can match it
    }
    const event = { ...record, body };
    return this.#patterns.some((pattern) => matchesPattern(pattern, event));
  }
}
