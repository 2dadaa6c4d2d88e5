import type { TemplateResource } from '../assembly/index.ts';
import { DependencyCycleError } from './errors.ts';
import { referencedLogicalIds } from './intrinsics.ts';

/** The resources each resource needs first: its Ref / Fn::GetAtt / Fn::Sub targets and DependsOn. */
export function dependenciesOf(resource: TemplateResource, known: ReadonlySet<string>): string[] {
  const ids = referencedLogicalIds(resource.Properties ?? {});
  for (const id of [resource.DependsOn ?? []].flat()) ids.add(id);
  return [...ids].filter((id) => known.has(id));
}

/** Logical ids in an order where every resource comes after the ones it depends on (stable: template order otherwise). */
export function dependencyOrder(resources: Readonly<Record<string, TemplateResource>>): string[] {
  const known = new Set(Object.keys(resources));
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]) => {
    const seen = state.get(id);
    if (seen === 'done') return;
    if (seen === 'visiting') throw new DependencyCycleError([...path.slice(path.indexOf(id)), id]);
    state.set(id, 'visiting');
    for (const dep of dependenciesOf(resources[id]!, known)) visit(dep, [...path, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of known) visit(id, []);
  return order;
}
