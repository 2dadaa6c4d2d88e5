import { IntrinsicResolutionError } from './errors.ts';

/** Values of the pseudo parameters (AWS::Region, …) in the local cloud. */
export interface PseudoParameters {
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly urlSuffix: string;
  readonly stackName: string;
  readonly stackId: string;
}

/** What the resolver needs from the deployment: parameter values, conditions and provisioned resources. */
export interface ResolveContext {
  readonly pseudo: PseudoParameters;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly mappings?: Readonly<Record<string, Record<string, Record<string, unknown>>>>;
  condition(name: string): boolean;
  ref(logicalId: string): unknown;
  getAtt(logicalId: string, attribute: string): unknown;
}

/** Marker for `Ref: AWS::NoValue`: the property is removed. */
export const NO_VALUE = Symbol('AWS::NoValue');

const AVAILABILITY_ZONE_SUFFIXES = ['a', 'b', 'c'];

function pseudo(name: string, ctx: ResolveContext): unknown {
  switch (name) {
    case 'AWS::Region':
      return ctx.pseudo.region;
    case 'AWS::AccountId':
      return ctx.pseudo.accountId;
    case 'AWS::Partition':
      return ctx.pseudo.partition;
    case 'AWS::URLSuffix':
      return ctx.pseudo.urlSuffix;
    case 'AWS::StackName':
      return ctx.pseudo.stackName;
    case 'AWS::StackId':
      return ctx.pseudo.stackId;
    case 'AWS::NotificationARNs':
      return [];
    case 'AWS::NoValue':
      return NO_VALUE;
    default:
      return undefined;
  }
}

function ref(name: string, ctx: ResolveContext, where: string): unknown {
  if (name.startsWith('AWS::')) {
    const value = pseudo(name, ctx);
    if (value === undefined) throw new IntrinsicResolutionError(where, `unknown pseudo parameter '${name}'`);
    return value;
  }
  if (name in ctx.parameters) return ctx.parameters[name];
  return ctx.ref(name);
}

function substitute(template: string, variables: Record<string, unknown>, ctx: ResolveContext, where: string): string {
  return template.replace(/\$\{([^}]+)\}/g, (_match, expression: string) => {
    if (expression.startsWith('!')) return `\${${expression.slice(1)}}`;
    const name = expression.trim();
    if (name in variables) return String(resolveValue(variables[name], ctx, where));
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith('AWS::')) return String(ctx.getAtt(name.slice(0, dot), name.slice(dot + 1)));
    return String(ref(name, ctx, where));
  });
}

function asArray(value: unknown, fn: string, where: string): unknown[] {
  if (!Array.isArray(value))
    throw new IntrinsicResolutionError(where, `${fn} expects a list, got ${JSON.stringify(value)}`);
  return value;
}

type IntrinsicFn = (arg: unknown, ctx: ResolveContext, where: string) => unknown;

const INTRINSICS: Record<string, IntrinsicFn> = {
  Ref: (arg, ctx, where) => ref(String(arg), ctx, where),
  'Fn::GetAtt': (arg, ctx, where) => {
    const [id, attribute] =
      typeof arg === 'string'
        ? [arg.slice(0, arg.indexOf('.')), arg.slice(arg.indexOf('.') + 1)]
        : asArray(arg, 'Fn::GetAtt', where);
    return ctx.getAtt(String(id), String(resolveValue(attribute, ctx, where)));
  },
  'Fn::Join': (arg, ctx, where) => {
    const [delimiter, list] = asArray(arg, 'Fn::Join', where);
    return asArray(resolveValue(list, ctx, where), 'Fn::Join', where)
      .map(String)
      .join(String(delimiter));
  },
  'Fn::Sub': (arg, ctx, where) => {
    if (typeof arg === 'string') return substitute(arg, {}, ctx, where);
    const [template, variables] = asArray(arg, 'Fn::Sub', where);
    return substitute(String(template), (variables ?? {}) as Record<string, unknown>, ctx, where);
  },
  'Fn::Select': (arg, ctx, where) => {
    const [index, list] = asArray(arg, 'Fn::Select', where);
    const items = asArray(resolveValue(list, ctx, where), 'Fn::Select', where);
    const i = Number(resolveValue(index, ctx, where));
    if (!(i >= 0 && i < items.length))
      throw new IntrinsicResolutionError(where, `Fn::Select index ${i} is outside the list of ${items.length}`);
    return items[i];
  },
  'Fn::Split': (arg, ctx, where) => {
    const [delimiter, source] = asArray(arg, 'Fn::Split', where);
    return String(resolveValue(source, ctx, where)).split(String(delimiter));
  },
  'Fn::If': (arg, ctx, where) => {
    const [condition, whenTrue, whenFalse] = asArray(arg, 'Fn::If', where);
    return resolveValue(ctx.condition(String(condition)) ? whenTrue : whenFalse, ctx, where);
  },
  'Fn::Equals': (arg, ctx, where) => {
    const [a, b] = asArray(arg, 'Fn::Equals', where).map((v) => resolveValue(v, ctx, where));
    return JSON.stringify(a) === JSON.stringify(b);
  },
  'Fn::Not': (arg, ctx, where) => !resolveCondition(asArray(arg, 'Fn::Not', where)[0], ctx, where),
  'Fn::And': (arg, ctx, where) => asArray(arg, 'Fn::And', where).every((c) => resolveCondition(c, ctx, where)),
  'Fn::Or': (arg, ctx, where) => asArray(arg, 'Fn::Or', where).some((c) => resolveCondition(c, ctx, where)),
  Condition: (arg, ctx) => ctx.condition(String(arg)),
  'Fn::FindInMap': (arg, ctx, where) => {
    const [map, top, second] = asArray(arg, 'Fn::FindInMap', where).map((v) => String(resolveValue(v, ctx, where)));
    const value = ctx.mappings?.[map!]?.[top!]?.[second!];
    if (value === undefined)
      throw new IntrinsicResolutionError(where, `Fn::FindInMap found nothing at ${map}.${top}.${second}`);
    return value;
  },
  'Fn::Base64': (arg, ctx, where) => Buffer.from(String(resolveValue(arg, ctx, where))).toString('base64'),
  'Fn::GetAZs': (_arg, ctx) => AVAILABILITY_ZONE_SUFFIXES.map((s) => `${ctx.pseudo.region}${s}`),
  'Fn::ImportValue': (arg, _ctx, where) => {
    throw new IntrinsicResolutionError(
      where,
      `Fn::ImportValue ${JSON.stringify(arg)} needs another stack's exports, which a single local stack does not have`,
    );
  },
};

function resolveCondition(value: unknown, ctx: ResolveContext, where: string): boolean {
  return Boolean(resolveValue(value, ctx, where));
}

/** Resolves every intrinsic function in a template value; `where` names the value in error messages. */
export function resolveValue(value: unknown, ctx: ResolveContext, where: string): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, ctx, where)).filter((v) => v !== NO_VALUE);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [key, arg] = entries[0]!;
    const fn = INTRINSICS[key];
    if (fn) return fn(arg, ctx, where);
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of entries) {
    const resolved = resolveValue(v, ctx, `${where}.${key}`);
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

/** Names of the resources a value refers to (Ref, Fn::GetAtt, Fn::Sub), for dependency ordering. */
export function referencedLogicalIds(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) referencedLogicalIds(v, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, arg] of Object.entries(value)) {
      if (key === 'Ref' && typeof arg === 'string' && !arg.startsWith('AWS::')) into.add(arg);
      else if (key === 'Fn::GetAtt')
        into.add(typeof arg === 'string' ? arg.split('.')[0]! : String((arg as unknown[])[0]));
      else if (key === 'Fn::Sub') {
        const template = typeof arg === 'string' ? arg : String((arg as unknown[])[0]);
        for (const [, name] of template.matchAll(/\$\{([^!}][^}]*)\}/g)) {
          const id = name!.split('.')[0]!.trim();
          if (!id.startsWith('AWS::')) into.add(id);
        }
        if (Array.isArray(arg)) referencedLogicalIds(arg[1], into);
      } else referencedLogicalIds(arg, into);
    }
  }
  return into;
}
