/**
 * Reading a cloud assembly without starting anything: the second entry of local/, for operator
 * tools (`fanout diagram`, `fanout plan`) that must not load the emulators (local/index.ts).
 */
export { readStack, stackNames, type StackArtifact, type Template, type TemplateResource } from './assembly.ts';
export { LocalCloudError } from './errors.ts';
export { NESTED_STACK_TYPE, readNestedStack } from './nested-stacks.ts';
export { isAssemblyStale } from './staleness.ts';
export { TEMPLATE_DEFAULTS } from './limits.ts';
