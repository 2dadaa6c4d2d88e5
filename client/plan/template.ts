import {
  AssemblyError,
  NESTED_STACK_TYPE,
  readNestedStack,
  readStack,
  type StackArtifact,
  type TemplateResource,
  TEMPLATE_DEFAULTS,
} from '../../assembly/index.ts';
import { LIMITS } from '../../topology/internal.ts';
import { PlanInputError } from './errors.ts';

/** What the plan reads from the synthesized template: the settings that cost or limit. */
export interface QueueFacts {
  readonly name: string;
  readonly fifo: boolean;
  readonly highThroughput: boolean;
  readonly encrypted: boolean;
  /** KmsDataKeyReusePeriodSeconds, SQS's default when the template sets none. */
  readonly dataKeyReuseSeconds: number;
  readonly dataKeyReuseSet: boolean;
}

export interface FunctionFacts {
  readonly name: string;
  readonly memoryMb: number;
  readonly arm64: boolean;
  readonly timeoutSeconds: number;
}

export interface MappingFacts {
  readonly functionName: string;
  readonly batchSize: number;
  readonly windowSeconds: number;
  readonly maxConcurrency: number | undefined;
  readonly pollers: { readonly min: number; readonly max: number } | undefined;
  readonly eventCountMetrics: boolean;
}

export interface TopicFacts {
  readonly name: string;
  readonly fifo: boolean;
  readonly highThroughput: boolean;
  readonly encrypted: boolean;
}

export interface TemplateFacts {
  readonly stackName: string;
  readonly queues: ReadonlyMap<string, QueueFacts>;
  readonly functions: ReadonlyMap<string, FunctionFacts>;
  /** By function name. */
  readonly mappings: ReadonlyMap<string, MappingFacts>;
  readonly topics: ReadonlyMap<string, TopicFacts>;
  readonly kmsKeys: number;
  readonly alarms: number;
  /** Metrics the alarms watch (a metric-math alarm is billed per metric). */
  readonly alarmMetrics: number;
  readonly dashboards: number;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown, fallback: number) =>
  typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : fallback;

interface Located {
  /** `<stack>/<logical id>`: Refs resolve within their own (nested) stack. */
  readonly id: string;
  readonly stack: string;
  readonly r: TemplateResource;
}

/** Every resource of the stack and its nested stacks. */
function allResources(stack: StackArtifact): Located[] {
  const out: Located[] = [];
  for (const [id, r] of Object.entries(stack.template.Resources)) {
    if (r.Type === NESTED_STACK_TYPE)
      out.push(...allResources(readNestedStack(stack, id, r, r.Properties?.TemplateURL)));
    else out.push({ id: `${stack.stackName}/${id}`, stack: stack.stackName, r });
  }
  return out;
}

/** Reads the facts of one stack of a cloud assembly; a missing assembly or stack is one clear line. */
export function readTemplateFacts(assemblyDir: string, stackName: string): TemplateFacts {
  let stack: StackArtifact;
  let resources: Located[];
  try {
    stack = readStack(assemblyDir, stackName);
    resources = allResources(stack);
  } catch (error) {
    if (error instanceof AssemblyError) {
      const stage = stackName.split('-').at(-1);
      throw new PlanInputError(
        `${error.message.replace(/\.$/, '')} (for --stage ${stage}: \`npx cdk synth -q -c stage=${stage} -o cdk.out.${stage}\`, then --assembly cdk.out.${stage}).`,
      );
    }
    throw error;
  }
  const queues = new Map<string, QueueFacts>();
  const functions = new Map<string, FunctionFacts>();
  const mappings = new Map<string, MappingFacts>();
  const topics = new Map<string, TopicFacts>();
  const functionNameByRef = new Map<string, string>();
  let kmsKeys = 0;
  let alarms = 0;
  let alarmMetrics = 0;
  let dashboards = 0;
  for (const { id, r } of resources) {
    const p = r.Properties ?? {};
    switch (r.Type) {
      case 'AWS::SQS::Queue': {
        const name = str(p.QueueName);
        if (!name) break;
        queues.set(name, {
          name,
          fifo: p.FifoQueue === true || p.FifoQueue === 'true',
          highThroughput: p.FifoThroughputLimit === 'perMessageGroupId',
          encrypted: p.KmsMasterKeyId !== undefined,
          dataKeyReuseSeconds: num(p.KmsDataKeyReusePeriodSeconds, LIMITS.kmsDataKeyReuseDefaultSeconds),
          dataKeyReuseSet: p.KmsDataKeyReusePeriodSeconds !== undefined,
        });
        break;
      }
      case 'AWS::Lambda::Function': {
        const name = str(p.FunctionName);
        if (!name) break;
        functionNameByRef.set(id, name);
        const arch = (p.Architectures as string[] | undefined) ?? ['x86_64'];
        functions.set(name, {
          name,
          memoryMb: num(p.MemorySize, TEMPLATE_DEFAULTS.lambdaMemoryMb),
          arm64: arch.includes('arm64'),
          timeoutSeconds: num(p.Timeout, TEMPLATE_DEFAULTS.lambdaTimeoutSeconds),
        });
        break;
      }
      case 'AWS::SNS::Topic': {
        const name = str(p.TopicName);
        if (!name) break;
        topics.set(name, {
          name,
          fifo: p.FifoTopic === true || p.FifoTopic === 'true',
          highThroughput: p.FifoThroughputScope === 'MessageGroup',
          encrypted: p.KmsMasterKeyId !== undefined,
        });
        break;
      }
      case 'AWS::KMS::Key':
        kmsKeys++;
        break;
      case 'AWS::CloudWatch::Alarm': {
        alarms++;
        const metrics = (p.Metrics as { MetricStat?: unknown }[] | undefined) ?? [];
        alarmMetrics += metrics.length ? metrics.filter((m) => m.MetricStat !== undefined).length : 1;
        break;
      }
      case 'AWS::CloudWatch::Dashboard':
        dashboards++;
        break;
    }
  }
  for (const { stack: owner, r } of resources) {
    if (r.Type !== 'AWS::Lambda::EventSourceMapping') continue;
    const p = r.Properties ?? {};
    const fn = p.FunctionName as unknown;
    const ref = typeof fn === 'object' && fn !== null ? str((fn as { Ref?: unknown }).Ref) : undefined;
    const functionName = (ref && functionNameByRef.get(`${owner}/${ref}`)) ?? str(fn);
    if (!functionName) continue;
    const scaling = p.ScalingConfig as { MaximumConcurrency?: number } | undefined;
    const pollers = p.ProvisionedPollerConfig as { MinimumPollers?: number; MaximumPollers?: number } | undefined;
    mappings.set(functionName, {
      functionName,
      batchSize: num(p.BatchSize, TEMPLATE_DEFAULTS.esmBatchSize),
      windowSeconds: num(p.MaximumBatchingWindowInSeconds, 0),
      maxConcurrency: scaling?.MaximumConcurrency,
      pollers: pollers
        ? {
            min: pollers.MinimumPollers ?? TEMPLATE_DEFAULTS.esmMinimumPollers,
            max: pollers.MaximumPollers ?? TEMPLATE_DEFAULTS.esmMaximumPollers,
          }
        : undefined,
      eventCountMetrics: ((p.MetricsConfig as { Metrics?: string[] } | undefined)?.Metrics ?? []).includes(
        'EventCount',
      ),
    });
  }
  return { stackName: stack.stackName, queues, functions, mappings, topics, kmsKeys, alarms, alarmMetrics, dashboards };
}
