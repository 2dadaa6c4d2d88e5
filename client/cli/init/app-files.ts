/** The source files of a new app: a two-event topology, two handlers, its demo and its test. */

export const eventsFile = `import * as v from 'valibot';

/** A user finished signing up: the welcome consumer sends one welcome per user. */
export const SignupCompleted = v.object({
  userId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  email: v.pipe(v.string(), v.email()),
});

/** Credit added to an account, in order per account (a FIFO group per accountId). */
export const CreditAdded = v.object({
  creditId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  accountId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  amount: v.pipe(v.number(), v.integer(), v.minValue(1)),
});
`;

export const topologyFile = (name: string) => `import { defineTopology } from 'fanout';
import { CreditAdded, SignupCompleted } from './events.ts';

/** The app's messaging: one standard topic, one FIFO topic, each with an exactly-once consumer. */
export const topology = defineTopology({
  name: '${name}',
  events: {
    SignupCompleted: { schema: SignupCompleted },
    CreditAdded: { schema: CreditAdded, groupBy: 'accountId' },
  },
  tables: [
    { name: 'welcomes', partitionKey: 'userId' },
    { name: 'balances', partitionKey: 'accountId' },
  ],
  topics: [
    {
      name: 'signups',
      events: ['SignupCompleted'],
      subscriptions: [
        {
          name: 'welcome',
          delivery: 'exactly-once',
          idempotencyKey: [{ field: 'userId' }],
          consumer: { handler: 'welcome', tables: ['welcomes'] },
        },
      ],
    },
    {
      name: 'credits',
      fifo: true,
      contentBasedDeduplication: true,
      events: ['CreditAdded'],
      subscriptions: [
        {
          name: 'balances',
          delivery: 'exactly-once',
          idempotencyKey: [{ field: 'creditId' }],
          consumer: { handler: 'balances', tables: ['balances'] },
        },
      ],
    },
    { name: 'alarms', events: [], subscriptions: [] },
  ],
  alarmTopic: 'alarms',
});
`;

export const welcomeHandler = `import { defineConsumer, PermanentError, tableName } from 'fanout/runtime';
import { SignupCompleted } from '../events.ts';

/**
 * Records one welcome per user. The write is staged: it commits in one transaction with the
 * message's idempotency record, so a redelivered or re-published signup is welcomed once.
 */
export const handler = defineConsumer({
  events: { SignupCompleted },
  effects: 'staged',
  handlers: {
    async SignupCompleted(signup, ctx) {
      // A permanent failure goes straight to the DLQ with this reason: retrying cannot fix it.
      if (signup.email.endsWith('@invalid.example'))
        throw new PermanentError(\`cannot welcome \${signup.email}: the domain takes no mail\`);
      ctx.log('welcoming', { userId: signup.userId });
      ctx.stage.update({
        TableName: tableName('welcomes'),
        Key: { userId: { S: signup.userId } },
        UpdateExpression: 'SET email = :email ADD sends :one',
        ExpressionAttributeValues: { ':email': { S: signup.email }, ':one': { N: '1' } },
      });
    },
  },
});
`;

export const balancesHandler = `import { defineConsumer, tableName } from 'fanout/runtime';
import { CreditAdded } from '../events.ts';

/**
 * Adds each credit to its account's balance and appends it to the account's history, once per
 * credit (staged with the idempotency record) and in publish order (a FIFO group per account).
 */
export const handler = defineConsumer({
  events: { CreditAdded },
  effects: 'staged',
  handlers: {
    async CreditAdded(credit, ctx) {
      ctx.stage.update({
        TableName: tableName('balances'),
        Key: { accountId: { S: credit.accountId } },
        UpdateExpression: 'ADD balance :amount SET history = list_append(if_not_exists(history, :none), :credit)',
        ExpressionAttributeValues: {
          ':amount': { N: String(credit.amount) },
          ':none': { L: [] },
          ':credit': { L: [{ S: credit.creditId }] },
        },
      });
    },
  },
});
`;
