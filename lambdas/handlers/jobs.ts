import { createHash } from 'node:crypto';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { JobRequested } from '../../topology/events/jobs.ts';
import { defineConsumer, dynamo, tableName } from '../runtime/index.ts';

function run(job: JobRequested): string {
  switch (job.kind) {
    case 'word-count':
      return String(job.input.split(/\s+/).filter(Boolean).length);
    case 'checksum':
      return createHash('sha256').update(job.input).digest('hex');
  }
}

/**
 * Runs a job and stores its result; `runs` counts how often it ran. The returned result is the
 * answer to a `publisher.request('JobRequested', ...)` (jobs is the reference request/reply use).
 */
export const handler = defineConsumer({
  events: { JobRequested },
  handlers: {
    async JobRequested(job) {
      const result = run(job);
      await dynamo().send(
        new UpdateItemCommand({
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
        }),
      );
      return { jobId: job.jobId, result };
    },
  },
});
