// Steady order flow at a constant arrival rate (open loop): each iteration is one customer's saga,
// followed to CONFIRMED/CANCELLED. Needs ./ordermesh run --seed-customers N --seed-stock M.
import { check } from 'k6';
import { CUSTOMERS } from './lib/config.js';
import { tokenFor } from './lib/auth.js';
import { placeOrder, awaitTerminal } from './lib/orders.js';

export const options = {
  scenarios: {
    steady: {
      executor: 'constant-arrival-rate',
      rate: parseInt(__ENV.RATE || '100', 10),
      timeUnit: '1s',
      duration: __ENV.DURATION || '1m',
      preAllocatedVUs: 50,
      maxVUs: 400,
    },
  },
  thresholds: {
    'checks{check:order accepted (202)}': ['rate>0.99'],
    saga_completion_ms: ['p(99)<1000'],
    http_req_failed: ['rate<0.01'],
  },
};

export default function () {
  const customer = `load-${1 + Math.floor(Math.random() * CUSTOMERS)}`;
  const token = tokenFor(customer);
  const orderId = placeOrder(token);
  if (orderId) {
    check(awaitTerminal(token, orderId), { 'saga confirmed': (s) => s === 'CONFIRMED' });
  }
}
