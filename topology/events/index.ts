export * from './jobs.ts';
export * from './orders.ts';
export * from './payments.ts';
