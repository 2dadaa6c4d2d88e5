import { createHash } from 'node:crypto';
import { JobRequested } from '../events/jobs.ts';
import { defineConsumer, tableName } from 'fanout/runtime';

function run(job: JobRequested): string {
  switch (job.kind) {
    case 'word-count':
      return String(job.input.split(/\s+/).filter(Boolean).length);
    case 'checksum':
      return createHash('sha256').update(job.input).digest('hex');
    case 'normalize':
      return job.input.toLowerCase().replace(/\s+/g, ' ').trim();
  }
}

/**
 * Runs a job and stores its result; `runs` counts how often its result was stored. The write is
 * staged and commits with the request's idempotency record, which also keeps the returned result:
 * the answer to a `publisher.request('JobRequested', ...)` (jobs is the reference request/reply use),
 * sent again to a duplicate from the same requester.
 */
export const handler = defineConsumer({
  events: { JobRequested },
  effects: 'staged',
  handlers: {
    async JobRequested(job, ctx) {
      const result = run(job);
      ctx.stage.update({
        TableName: tableName('job-results'),
        Key: { jobId: { S: job.jobId } },
        UpdateExpression: 'SET kind = :k, #result = :r, finishedAt = :now ADD runs :one',
        ExpressionAttributeNames: { '#result': 'result' },
        ExpressionAttributeValues: {
          ':k': { S: job.kind },
          ':r': { S: result },
          ':now': { S: new Date().toISOString() },
          ':one': { N: '1' },
        },
      });
      return { jobId: job.jobId, result };
    },
  },
});
