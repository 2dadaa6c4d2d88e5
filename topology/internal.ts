/**
 * What the framework's folders (lib/, client/, local/, …) share of the model beyond its public API:
 * limits, rule tables, defaults and physical names. Not a package entry, so none of it is a promise
 * to users.
 */
export { CONSUMER_RULES } from './validate-consumer.ts';
export { TOPIC_RULES } from './validate-topic-settings.ts';
export { DEFAULT_PRODUCER_KEY_ATTRIBUTE, DEFAULTS } from './defaults.ts';
export { DEFAULT_STAGE, STAGES } from './stages.ts';
export { LIMITS, NAME_PATTERN } from './limits.ts';
export { replyQueuePrefix, stackName } from './names.ts';
export { type AlarmKind, alarmName, alarmOwner } from './alarm-names.ts';
