import { resolve } from 'node:path';
import { readHandlerSource } from '../../contracts/index.ts';
import type { LocalCloud } from '../cloud.ts';

/** A running function whose code Fanout bundled from a handler file (the template's handler-source metadata). */
export interface WatchedFunction {
  readonly functionName: string;
  readonly endpoint: string;
  /** The handler file, absolute. */
  readonly entry: string;
}

/** The cloud's functions that name their handler's source, in template order. */
export function watchedFunctions(cloud: LocalCloud, assemblyDir: string): WatchedFunction[] {
  return cloud.stacks.flatMap((stack) =>
    Object.entries(stack.template.Resources).flatMap(([logicalId, resource]) => {
      const source = resource.Type === 'AWS::Lambda::Function' ? readHandlerSource(resource.Metadata) : undefined;
      const deployed = cloud.resources.get(stack.path + logicalId);
      if (!source || !deployed) return [];
      return [
        { functionName: deployed.physicalId, endpoint: source.endpoint, entry: resolve(assemblyDir, source.entry) },
      ];
    }),
  );
}
