import { fileURLToPath } from 'node:url';

/** The shop example's handler folder, for tests that synthesize its topology. */
export const SHOP_HANDLERS = fileURLToPath(new URL('../../examples/shop/handlers', import.meta.url));
