// Spike: from a trickle to ten times the steady rate and back; the gateway must shed with 429/503
// (never 5xx from a crash) and recover.
import { CUSTOMERS } from './lib/config.js';
import { tokenFor } from './lib/auth.js';
import { placeOrder } from './lib/orders.js';

export const options = {
  scenarios: {
    spike: {
      executor: 'ramping-arrival-rate',
      startRate: 10,
      timeUnit: '1s',
      preAllocatedVUs: 100,
      maxVUs: 1000,
      stages: [
        { target: 10, duration: '20s' },
        { target: parseInt(__ENV.PEAK || '1000', 10), duration: '10s' },
        { target: parseInt(__ENV.PEAK || '1000', 10), duration: '30s' },
        { target: 10, duration: '10s' },
        { target: 10, duration: '30s' },
      ],
    },
  },
  thresholds: { 'http_req_duration{name:POST /api/v1/orders}': ['p(95)<2000'] },
};

export default function () {
  placeOrder(tokenFor(`load-${1 + Math.floor(Math.random() * CUSTOMERS)}`));
}
