import * as v from 'valibot';

export const JobRequested = v.object({
  jobId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  kind: v.picklist(['word-count', 'checksum']),
  input: v.pipe(v.string(), v.maxLength(100_000)),
});

export type JobRequested = v.InferOutput<typeof JobRequested>;
