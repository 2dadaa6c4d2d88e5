/**
 * Reading a cloud assembly (cdk.out) without starting anything: stacks, templates, nested stacks,
 * staleness, the defaults AWS assumes, and the topology graph of a template. A leaf both the local
 * cloud and the operator tools (fanout diagram, fanout plan, the console) read through.
 */
export { readStack, stackNames, type StackArtifact, type Template, type TemplateResource } from './assembly.ts';
export { AssemblyError, AssemblyNotFoundError, StackNotFoundError } from './errors.ts';
export { NESTED_STACK_TYPE, readNestedStack } from './nested-stacks.ts';
export { isAssemblyStale } from './staleness.ts';
export { TEMPLATE_DEFAULTS } from './template-defaults.ts';
export {
  type GraphEdge,
  type GraphNode,
  type GraphTemplate,
  type TopologyGraph,
  templateGraph,
} from './template-graph.ts';
