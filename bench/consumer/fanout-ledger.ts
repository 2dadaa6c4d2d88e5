/** The deployable Fanout ledger consumer, as lib bundles it. */
export { handler } from '../../examples/shop/handlers/ledger.ts';
