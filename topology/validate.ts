import { alarmNameCollisions } from './alarm-names.ts';
import { TopologyValidationError, type TopologyProblem } from './errors.ts';
import { filterPolicyCombinations, filterPolicyKeyCount, narrowsEvents, subscriptionFilter } from './filter-policy.ts';
import { LIMITS, NAME_PATTERN, STAGE_PATTERN } from './limits.ts';
import { physicalNames } from './names.ts';
import { DEFAULT_STAGE } from './stages.ts';
import { type EndpointFacts, endpointFacts } from './endpoint-facts.ts';
import type { QueueEndpointSpec, SubscriptionSpec, Topology, TopicSpec, WorkQueueSpec } from './types.ts';
import { ENDPOINT_RULES, type EndpointContext } from './validate-endpoint.ts';
import { checkEventTypes } from './validate-events.ts';
import { checkKeySources } from './validate-keys.ts';
import { checkTopicSettings } from './validate-topic-settings.ts';
import {
  checkConsumerFeatures,
  checkTenants,
  checkTopicFeatures,
  checkWorkQueueFeatures,
} from './validate-features.ts';

const subscriptionElement = (topic: TopicSpec, sub: SubscriptionSpec) => `subscription '${topic.name}/${sub.name}'`;

function checkEndpoint(
  element: string,
  spec: QueueEndpointSpec,
  ctx: EndpointContext,
  topology: Topology,
  problems: TopologyProblem[],
): void {
  for (const rule of ENDPOINT_RULES) {
    const found = rule(spec, ctx);
    if (found) problems.push({ element, ...found });
  }
  checkConsumerFeatures(spec.consumer, element, problems);
  checkKeySources(element, spec, ctx.events, topology, problems);
  const tables = new Set((topology.tables ?? []).map((t) => t.name));
  for (const table of spec.consumer.tables ?? []) {
    if (!tables.has(table)) {
      problems.push({
        element,
        rule: `consumer uses table '${table}', which the topology does not declare (tables: ${[...tables].join(', ') || 'none'})`,
        fix: `add { name: '${table}', partitionKey: '...' } to tables, or fix the name`,
      });
    }
  }
  for (const table of spec.consumer.conditionChecks ?? []) {
    if (!(spec.consumer.tables ?? []).includes(table)) {
      problems.push({
        element,
        rule: `consumer condition-checks table '${table}', which is not one of its tables (${(spec.consumer.tables ?? []).join(', ') || 'none'})`,
        fix: `add '${table}' to consumer.tables, or remove it from consumer.conditionChecks`,
      });
    }
  }
}

function checkEvents(
  element: string,
  events: readonly string[],
  known: readonly string[],
  where: string,
  problems: TopologyProblem[],
): void {
  for (const event of events) {
    if (!known.includes(event)) {
      problems.push({
        element,
        rule: `event type '${event}' is not one of ${where} (${known.join(', ') || 'none'})`,
        fix: `use one of those names, or declare '${event}' there`,
      });
    }
  }
}

function checkTopic(
  topic: TopicSpec,
  topology: Topology,
  facts: readonly EndpointFacts[],
  problems: TopologyProblem[],
): void {
  const element = `topic '${topic.name}'`;
  const eventNames = Object.keys(topology.events);
  checkEvents(element, topic.events, eventNames, "the topology's events", problems);
  checkTopicSettings(topic, element, problems);
  checkTopicFeatures(topic, element, problems);
  if (topic.fifo) {
    for (const event of topic.events) {
      if (topology.events[event] && !topology.events[event].groupBy) {
        problems.push({
          element,
          rule: `event type '${event}' is published to a FIFO topic but has no groupBy field (the message group, i.e. ordering key)`,
          fix: `set groupBy on events.${event}, e.g. groupBy: 'accountId'`,
        });
      }
    }
  }
  for (const fact of facts.filter((f) => f.topic === topic)) {
    const sub = fact.spec as SubscriptionSpec;
    const subElement = subscriptionElement(topic, sub);
    checkEvents(subElement, sub.events ?? [], topic.events, `topic '${topic.name}'s events`, problems);
    checkEndpoint(subElement, sub, fact, topology, problems);
    checkFilterPolicy(subElement, sub, topic, problems);
  }
}

function checkFilterPolicy(
  element: string,
  sub: SubscriptionSpec,
  topic: TopicSpec,
  problems: TopologyProblem[],
): void {
  if (narrowsEvents(sub, topic) && sub.filterPolicyScope === 'body') {
    problems.push({
      element,
      rule: "an events list filters on the 'eventType' message attribute, which a body-scoped filter policy cannot see",
      fix: "remove events and match the event type inside the body filterPolicy, or use filterPolicyScope: 'attributes'",
    });
  }
  const policy = subscriptionFilter(sub, topic).policy ?? {};
  const keys = filterPolicyKeyCount(policy);
  if (keys > LIMITS.filterPolicyKeysMax) {
    problems.push({
      element,
      rule: `filter policy has ${keys} keys, over the SNS limit of ${LIMITS.filterPolicyKeysMax} (the events list counts as the key 'eventType')`,
      fix: 'filter on fewer attributes, or filter the rest in the consumer',
    });
  }
  const combinations = filterPolicyCombinations(policy);
  if (combinations > LIMITS.filterPolicyCombinationsMax) {
    problems.push({
      element,
      rule: `filter policy has ${combinations} value combinations, over the SNS limit of ${LIMITS.filterPolicyCombinationsMax}`,
      fix: 'use fewer values per key (prefix or numeric-range operators cover many values with one)',
    });
  }
}

function checkNames(
  topology: Topology,
  stage: string,
  facts: readonly EndpointFacts[],
  problems: TopologyProblem[],
): void {
  const endpoints = facts.map((f) => f.spec.name);
  const kinds: [string, string[]][] = [
    ['topic', topology.topics.map((t) => t.name)],
    ['queue', endpoints],
    ['table', (topology.tables ?? []).map((t) => t.name)],
  ];
  for (const name of [topology.name, ...kinds.flatMap(([, names]) => names)]) {
    if (!NAME_PATTERN.test(name)) {
      problems.push({
        element: `name '${name}'`,
        rule: 'names must start with a lowercase letter and contain only lowercase letters, digits and hyphens',
        fix: `rename it, e.g. '${
          name
            .toLowerCase()
            .replace(/[^a-z0-9-]+/g, '-')
            .replace(/^[^a-z]+|-+$/g, '') || 'name'
        }'`,
      });
    }
  }
  for (const [kind, names] of kinds) {
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) {
        problems.push({
          element: `${kind} '${name}'`,
          rule: `the name is used by more than one ${kind}${kind === 'queue' ? ' (subscriptions and work queues share one namespace)' : ''}`,
          fix: 'give each a unique name',
        });
      }
      seen.add(name);
    }
  }
  for (const collision of alarmNameCollisions(physicalNames(topology, stage, facts).prefix, endpoints)) {
    problems.push({
      element: `alarm '${collision.name}'`,
      rule: `the alarm name is built for ${collision.owners.join(' and ')}, and alarm names must be unique`,
      fix: 'rename one of those endpoints',
    });
  }
  if (!STAGE_PATTERN.test(stage)) {
    problems.push({
      element: `stage '${stage}'`,
      rule: 'a stage is 1–10 lowercase letters or digits, starting with a letter',
      fix: 'pass e.g. -c stage=dev',
    });
  }
  checkLengths(topology, stage, facts, problems);
}

function checkLengths(
  topology: Topology,
  stage: string,
  facts: readonly EndpointFacts[],
  problems: TopologyProblem[],
): void {
  const names = physicalNames(topology, stage, facts);
  const tooLong = (element: string, what: string, name: string, max: number) => {
    if (name.length > max) {
      problems.push({
        element,
        rule: `its ${what} '${name}' is ${name.length} characters, over the AWS limit of ${max}`,
        fix: `shorten the name by ${name.length - max} characters (the app name and stage count too)`,
      });
    }
  };
  for (const [topic, name] of Object.entries(names.topics))
    tooLong(`topic '${topic}'`, 'SNS topic name', name, LIMITS.snsTopicNameLength);
  for (const [endpoint, n] of Object.entries(names.endpoints)) {
    const element = `queue '${endpoint}'`;
    tooLong(element, 'DLQ name', n.deadLetterQueue, LIMITS.sqsQueueNameLength);
    tooLong(element, 'subscription DLQ name', n.subscriptionDeadLetterQueue, LIMITS.sqsQueueNameLength);
    tooLong(element, 'function name', n.function, LIMITS.lambdaFunctionNameLength);
  }
  for (const [table, name] of Object.entries(names.tables))
    tooLong(`table '${table}'`, 'table name', name, LIMITS.dynamoTableNameLength);
}

/**
 * Checks a topology against every rule and throws one `TopologyValidationError` listing all the
 * problems found, each naming the element, the rule (with the value given) and the fix.
 */
export function validateTopology(
  topology: Topology,
  stage = DEFAULT_STAGE,
  facts: readonly EndpointFacts[] = endpointFacts(topology),
): void {
  const problems: TopologyProblem[] = [];
  checkNames(topology, stage, facts, problems);
  checkTenants(topology, problems);
  checkEventTypes(topology, problems);
  for (const topic of topology.topics) checkTopic(topic, topology, facts, problems);
  for (const fact of facts.filter((f) => f.kind === 'work-queue')) {
    const queue = fact.spec as WorkQueueSpec;
    const element = `work queue '${queue.name}'`;
    checkEvents(element, queue.events, Object.keys(topology.events), "the topology's events", problems);
    checkWorkQueueFeatures(queue, element, problems);
    checkEndpoint(element, queue, fact, topology, problems);
  }
  if (problems.length > 0) throw new TopologyValidationError(topology.name, problems);
}
