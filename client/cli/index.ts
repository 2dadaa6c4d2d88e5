/**
 * The `fanout` CLI's commands and what the operator tools (bin/, console/) share beyond the public
 * API: not a package entry, so none of it is a promise to users.
 */
export { initCommand } from './init/init-command.ts';
export { findAppConfig, type LoadedAppConfig, loadAppConfig } from './app-config.ts';
export { dim, green, red, run, type TargetFlags } from './context.ts';
export { peekCommand, pullCommand, purgeCommand, replayCommand } from './dlq-commands.ts';
export { planCommand, type PlanFlags } from './plan-command.ts';
export { publishCommand } from './publish-command.ts';
export { schemaCheckCommand } from './schema-command.ts';
export { archiveReplayCommand } from './replay-command.ts';
export { logsCommand, type LogsFlags } from './logs-command.ts';
export { statusCommand } from './status-command.ts';
export { diagramCommand } from '../diagram.ts';
export { holdMessages, toDeadLetter } from '../dlq-peek.ts';
export { releaseMessages } from '../sqs-util.ts';
export { SCHEMA_CHECK_MAX_DEFAULT } from '../schema-check.ts';
