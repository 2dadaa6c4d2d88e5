import * as v from 'valibot';

const payment = {
  paymentId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  accountId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  amountCents: v.pipe(v.number(), v.integer(), v.minValue(1)),
};

/** Money in: the account's balance grows by `amountCents`. */
export const PaymentCaptured = v.object(payment);
/**
 * Money out: the account's balance shrinks by `amountCents`. A payment may be refunded several times
 * (partial refunds, even of equal amounts): `refundId` names each refund, and the ledger keys refunds by it.
 */
export const PaymentRefunded = v.object({ ...payment, refundId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)) });

export type PaymentCaptured = v.InferOutput<typeof PaymentCaptured>;
export type PaymentRefunded = v.InferOutput<typeof PaymentRefunded>;
