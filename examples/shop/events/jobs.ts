import * as v from 'valibot';

export const JobRequested = v.object({
  jobId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  /** `normalize` answers with the input itself, lower-cased with its whitespace collapsed: as large as the input. */
  kind: v.picklist(['word-count', 'checksum', 'normalize']),
  input: v.pipe(v.string(), v.maxLength(100_000)),
  /** Who asked: the fair-queue tenant (`tenantBy` in the reference topology). Optional for older producers. */
  tenantId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
});

export type JobRequested = v.InferOutput<typeof JobRequested>;
