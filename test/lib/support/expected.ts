/**
 * What the fixture topology must compile to, written out by hand (not derived from the code
 * under test) so that a wrong default shows up as a failing test.
 */
export interface ExpectedEndpoint {
  readonly name: string;
  readonly topic: string | undefined;
  readonly fifo: boolean;
  readonly delivery: 'at-most-once' | 'at-least-once' | 'exactly-once';
  readonly maxReceiveCount: number | undefined;
  readonly filterPolicy: Record<string, unknown> | undefined;
  readonly raw: boolean;
  readonly batchSize: number;
  readonly windowSeconds: number | undefined;
  readonly maxConcurrency: number | undefined;
  readonly timeoutSeconds: number;
  readonly tables: readonly string[];
  /** A fair queue (standard queue receiving an event with tenantBy): quiet-group graph and age alarm. */
  readonly fair?: boolean;
  /** dev thresholds: depth, age, errors, throttles, time to drain (false = no alarm). */
  readonly alarms: {
    readonly depth: number | false;
    readonly age: number | false;
    readonly errors: number;
    readonly throttles: number;
    readonly drain: number | false;
  };
}

const devAlarms = { depth: 1000, age: 900, errors: 10, throttles: 10, drain: false } as const;

export const EXPECTED_ENDPOINTS: readonly ExpectedEndpoint[] = [
  {
    name: 'inventory',
    topic: 'orders',
    fifo: false,
    delivery: 'exactly-once',
    maxReceiveCount: 5,
    filterPolicy: { eventType: ['CartPlaced', 'CartCancelled'] },
    raw: false,
    batchSize: 10,
    windowSeconds: undefined,
    maxConcurrency: undefined,
    timeoutSeconds: 30,
    tables: ['reservations'],
    alarms: devAlarms,
  },
  {
    name: 'email',
    topic: 'orders',
    fifo: false,
    delivery: 'exactly-once',
    maxReceiveCount: 5,
    filterPolicy: { eventType: ['CartPlaced', 'CartShipped'] },
    raw: false,
    batchSize: 10,
    windowSeconds: undefined,
    maxConcurrency: undefined,
    timeoutSeconds: 30,
    tables: ['sent-emails'],
    alarms: devAlarms,
  },
  {
    name: 'warehouse',
    topic: 'orders',
    fifo: false,
    delivery: 'at-least-once',
    maxReceiveCount: 3,
    filterPolicy: { eventType: ['CartPlaced'] },
    raw: false,
    batchSize: 10,
    windowSeconds: undefined,
    maxConcurrency: undefined,
    timeoutSeconds: 30,
    tables: ['picks'],
    alarms: devAlarms,
  },
  {
    name: 'analytics',
    topic: 'orders',
    fifo: false,
    delivery: 'at-most-once',
    maxReceiveCount: undefined,
    filterPolicy: undefined,
    raw: true,
    batchSize: 100,
    windowSeconds: 2,
    maxConcurrency: undefined,
    timeoutSeconds: 30,
    tables: ['event-counts'],
    alarms: { ...devAlarms, depth: 5000, age: false },
  },
  {
    name: 'ledger',
    topic: 'payments',
    fifo: true,
    delivery: 'exactly-once',
    maxReceiveCount: 5,
    filterPolicy: undefined,
    raw: false,
    batchSize: 10,
    windowSeconds: undefined,
    maxConcurrency: undefined,
    timeoutSeconds: 30,
    tables: ['ledger'],
    alarms: { ...devAlarms, drain: 600 },
  },
  {
    name: 'audit',
    topic: 'payments',
    fifo: true,
    delivery: 'at-least-once',
    maxReceiveCount: 5,
    filterPolicy: undefined,
    raw: false,
    batchSize: 10,
    windowSeconds: undefined,
    maxConcurrency: undefined,
    timeoutSeconds: 30,
    tables: ['audit-log'],
    alarms: devAlarms,
  },
  {
    name: 'jobs',
    topic: undefined,
    fifo: false,
    delivery: 'exactly-once',
    maxReceiveCount: 5,
    filterPolicy: undefined,
    raw: false,
    batchSize: 10,
    windowSeconds: undefined,
    maxConcurrency: 5,
    timeoutSeconds: 60,
    tables: ['job-results'],
    fair: true,
    alarms: { ...devAlarms, drain: 900 },
  },
];

export const PREFIX = 'fanout-dev';
export const queueName = (e: ExpectedEndpoint, suffix = '') => `${PREFIX}-${e.name}${suffix}${e.fifo ? '.fifo' : ''}`;
export const TOPICS = [
  { name: 'orders', physicalName: 'fanout-dev-orders', fifo: false },
  { name: 'payments', physicalName: 'fanout-dev-payments.fifo', fifo: true },
  { name: 'ops-alarms', physicalName: 'fanout-dev-ops-alarms', fifo: false },
] as const;
