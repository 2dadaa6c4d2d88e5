import { tableEnvName } from '../../contracts/runtime.ts';
import { ConsumerConfigError } from './errors.ts';

/** Physical name of a topology table, from the `FANOUT_TABLE_<NAME>` variable the stack sets. */
export function tableName(name: string): string {
  const variable = tableEnvName(name);
  const value = process.env[variable];
  if (!value) {
    throw new ConsumerConfigError(`${variable} is not set: add '${name}' to this consumer's tables in the topology`);
  }
  return value;
}
