import * as v from 'valibot';

const orderId = v.pipe(v.string(), v.minLength(1), v.maxLength(64));

export const OrderPlaced = v.object({
  orderId,
  customerId: v.pipe(v.string(), v.minLength(1)),
  email: v.pipe(v.string(), v.email()),
  items: v.pipe(
    v.array(
      v.object({ sku: v.pipe(v.string(), v.minLength(1)), quantity: v.pipe(v.number(), v.integer(), v.minValue(1)) }),
    ),
    v.minLength(1),
  ),
  totalCents: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

export const OrderCancelled = v.object({
  orderId,
  reason: v.string(),
});

export const OrderShipped = v.object({
  orderId,
  email: v.pipe(v.string(), v.email()),
  carrier: v.string(),
  trackingId: v.string(),
});

export type OrderPlaced = v.InferOutput<typeof OrderPlaced>;
export type OrderCancelled = v.InferOutput<typeof OrderCancelled>;
export type OrderShipped = v.InferOutput<typeof OrderShipped>;
