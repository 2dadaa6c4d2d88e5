import type { FormField } from './protocol.ts';

/**
 * Publish-form fields read from a valibot object schema (its `entries`, `pipe` and `options`), each
 * with an example value that satisfies it. Only a starting point for the form: the payload is checked
 * against the schema itself when it is published.
 */
interface SchemaNode {
  readonly type: string;
  readonly entries?: Readonly<Record<string, SchemaNode>>;
  readonly item?: SchemaNode;
  readonly wrapped?: SchemaNode;
  readonly options?: readonly unknown[];
  readonly pipe?: readonly { readonly type: string; readonly requirement?: unknown }[];
}

const WRAPPERS = new Set(['optional', 'nullish', 'exact_optional', 'undefinedable']);

function unwrap(schema: SchemaNode): { schema: SchemaNode; optional: boolean } {
  let optional = false;
  let s = schema;
  while (WRAPPERS.has(s.type) && s.wrapped) {
    optional = true;
    s = s.wrapped;
  }
  return { schema: s, optional };
}

const requirement = (schema: SchemaNode, type: string) => schema.pipe?.find((p) => p.type === type)?.requirement;

function example(schema: SchemaNode, name: string): unknown {
  const s = unwrap(schema).schema;
  switch (s.type) {
    case 'string': {
      if (requirement(s, 'email') !== undefined) return 'someone@example.com';
      return `${name}-1`;
    }
    case 'number': {
      const min = requirement(s, 'min_value');
      return typeof min === 'number' ? Math.max(min, 1) : 1;
    }
    case 'boolean':
      return false;
    case 'picklist':
      return s.options?.[0];
    case 'literal':
      return (s as { literal?: unknown }).literal;
    case 'array':
      return s.item ? [example(s.item, name)] : [];
    case 'object':
      return Object.fromEntries(Object.entries(s.entries ?? {}).map(([k, v]) => [k, example(v, k)]));
    default:
      return null;
  }
}

function fieldType(schema: SchemaNode): FormField['type'] {
  if (schema.type === 'string' || schema.type === 'number' || schema.type === 'boolean') return schema.type;
  if (schema.type === 'picklist' && schema.options?.every((o) => typeof o === 'string')) return 'choice';
  return 'json';
}

export function formFields(schema: unknown): FormField[] {
  const root = unwrap(schema as SchemaNode).schema;
  if (root.type !== 'object' || !root.entries)
    return [{ name: '(payload)', type: 'json', optional: false, example: example(root, 'payload') }];
  return Object.entries(root.entries).map(([name, node]) => {
    const { schema: s, optional } = unwrap(node);
    const type = fieldType(s);
    return {
      name,
      type,
      optional,
      example: example(s, name),
      ...(type === 'choice' ? { options: s.options as string[] } : {}),
    };
  });
}
