// Soak: a moderate steady rate for a long time; latency and error rate must not drift.
import { check } from 'k6';
import { CUSTOMERS } from './lib/config.js';
import { tokenFor } from './lib/auth.js';
import { placeOrder, awaitTerminal } from './lib/orders.js';

export const options = {
  scenarios: {
    soak: {
      executor: 'constant-arrival-rate',
      rate: parseInt(__ENV.RATE || '50', 10),
      timeUnit: '1s',
      duration: __ENV.DURATION || '2h',
      preAllocatedVUs: 50,
      maxVUs: 200,
    },
  },
  thresholds: { saga_completion_ms: ['p(99)<1000'], http_req_failed: ['rate<0.001'] },
};

export default function () {
  const token = tokenFor(`load-${1 + Math.floor(Math.random() * CUSTOMERS)}`);
  const orderId = placeOrder(token);
  if (orderId) {
    check(awaitTerminal(token, orderId), { 'saga terminal': (s) => s !== null });
  }
}
