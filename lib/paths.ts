import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (lib/ sits directly under it). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Source file of a consumer handler: `lambdas/handlers/<name>.ts`. */
export const handlerEntry = (name: string) => path.join(PROJECT_ROOT, 'lambdas', 'handlers', `${name}.ts`);
