import { isDeepStrictEqual } from 'node:util';
import {
  NESTED_STACK_TYPE,
  readNestedStack,
  readStack,
  type StackArtifact,
  type Template,
  type TemplateResource,
} from '../../assembly/index.ts';
import { HANDLER_SOURCE_METADATA } from '../../contracts/index.ts';
import { assetDirectory } from '../provisioners/lambda-function.ts';

const FUNCTION_TYPE = 'AWS::Lambda::Function';

/** A stack of a synthesized tree: its logical id path from the root (`''`, `Endpoints1/`) and its template. */
export interface StackInTree {
  readonly path: string;
  readonly template: Template;
}

/** The stack and its nested stacks, as the local cloud deploys them (`LocalCloud.stacks` has the same shape). */
export function readStackTree(assemblyDir: string, stackName: string): StackInTree[] {
  const tree: StackInTree[] = [];
  const visit = (stack: StackArtifact, path: string) => {
    tree.push({ path, template: stack.template });
    for (const [logicalId, resource] of Object.entries(stack.template.Resources)) {
      if (resource.Type !== NESTED_STACK_TYPE) continue;
      visit(readNestedStack(stack, logicalId, resource, resource.Properties?.TemplateURL), `${path}${logicalId}/`);
    }
  };
  visit(readStack(assemblyDir, stackName), '');
  return tree;
}

/** The resource types a change is named by first: what a developer recognizes from the topology. */
const NAMED_FIRST = [
  'AWS::SQS::Queue',
  'AWS::SNS::Topic',
  'AWS::DynamoDB::Table',
  'AWS::Lambda::Function',
  'AWS::SNS::Subscription',
  'AWS::Lambda::EventSourceMapping',
];
const rank = (type: string) => (NAMED_FIRST.includes(type) ? NAMED_FIRST.indexOf(type) : NAMED_FIRST.length);

const isCodeMetadata = (key: string) => key.startsWith('aws:asset:') || key === HANDLER_SOURCE_METADATA;

/** A resource without what only its code decides: a function's Code, asset metadata, a nested template's URL. */
function withoutCode(resource: TemplateResource): TemplateResource {
  const properties = { ...resource.Properties };
  if (resource.Type === FUNCTION_TYPE) delete properties.Code;
  if (resource.Type === NESTED_STACK_TYPE) delete properties.TemplateURL;
  const metadata = Object.fromEntries(Object.entries(resource.Metadata ?? {}).filter(([key]) => !isCodeMetadata(key)));
  return { ...resource, Properties: properties, Metadata: metadata };
}

function resourcesByPath(tree: readonly StackInTree[]): Map<string, TemplateResource> {
  return new Map(
    tree.flatMap((stack) =>
      Object.entries(stack.template.Resources).map(([logicalId, r]) => [stack.path + logicalId, r] as const),
    ),
  );
}

function outputsByPath(tree: readonly StackInTree[]): Map<string, unknown> {
  return new Map(
    tree.flatMap((stack) =>
      Object.entries(stack.template.Outputs ?? {}).map(([key, o]) => [stack.path + key, o] as const),
    ),
  );
}

function describeChange(id: string, before: TemplateResource, after: TemplateResource): string {
  if (before.Type !== after.Type) return `replaces ${before.Type} ${id} with ${after.Type}`;
  const keys = new Set([...Object.keys(before.Properties ?? {}), ...Object.keys(after.Properties ?? {})]);
  const changed = [...keys].filter((k) => !isDeepStrictEqual(before.Properties?.[k], after.Properties?.[k]));
  return `changes ${after.Type} ${id}${changed.length ? ` (${changed.join(', ')})` : ''}`;
}

/**
 * What differs between two synthesized trees besides function code, the first change worded for a
 * one-line message (`adds AWS::SQS::Queue EndpointxQueue…`, `and 3 more`), or undefined when the
 * only differences are code (which the running cloud can swap in).
 */
export function changeBesidesCode(before: readonly StackInTree[], after: readonly StackInTree[]): string | undefined {
  const [old, next] = [resourcesByPath(before), resourcesByPath(after)];
  const found: { type: string; text: string }[] = [];
  for (const [id, r] of next) if (!old.has(id)) found.push({ type: r.Type, text: `adds ${r.Type} ${id}` });
  for (const [id, r] of old) if (!next.has(id)) found.push({ type: r.Type, text: `removes ${r.Type} ${id}` });
  for (const [id, r] of next) {
    const was = old.get(id);
    if (was && !isDeepStrictEqual(withoutCode(was), withoutCode(r)))
      found.push({ type: r.Type, text: describeChange(id, was, r) });
  }
  const changes = found.sort((a, b) => rank(a.type) - rank(b.type)).map((c) => c.text);
  const [oldOutputs, nextOutputs] = [outputsByPath(before), outputsByPath(after)];
  for (const key of new Set([...oldOutputs.keys(), ...nextOutputs.keys()]))
    if (!isDeepStrictEqual(oldOutputs.get(key), nextOutputs.get(key))) changes.push(`changes output ${key}`);
  if (changes.length === 0) return undefined;
  return changes.length === 1 ? changes[0] : `${changes[0]} (and ${changes.length - 1} more changes)`;
}

/** The functions of `after` whose code differs from `before`: logical id path and the new code's directory. */
export function changedCode(
  before: readonly StackInTree[],
  after: readonly StackInTree[],
  afterAssemblyDir: string,
): { readonly id: string; readonly codeDir: string }[] {
  const old = resourcesByPath(before);
  return [...resourcesByPath(after)]
    .filter(([, r]) => r.Type === FUNCTION_TYPE)
    .filter(([id, r]) => !isDeepStrictEqual(old.get(id)?.Properties?.Code, r.Properties?.Code))
    .flatMap(([id, r]) => {
      const codeDir = assetDirectory(afterAssemblyDir, r);
      return codeDir ? [{ id, codeDir }] : [];
    });
}
