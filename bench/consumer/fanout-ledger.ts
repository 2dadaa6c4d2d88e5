/** The deployable Fanout ledger consumer, as lib bundles it. */
export { handler } from '../../lambdas/handlers/ledger.ts';
