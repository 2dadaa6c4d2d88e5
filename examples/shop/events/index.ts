export { JobRequested } from './jobs.ts';
export { OrderCancelled, OrderPlaced, OrderShipped } from './orders.ts';
export { PaymentCaptured, PaymentRefunded } from './payments.ts';
