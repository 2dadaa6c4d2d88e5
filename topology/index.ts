export * from './errors.ts';
export * from './filter-policy.ts';
export * from './limits.ts';
export * from './names.ts';
export * from './resolve.ts';
export * from './stages.ts';
export * from './types.ts';
export { validateTopology } from './validate.ts';
