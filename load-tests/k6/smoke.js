// Smoke: one customer, a handful of orders, every public route answers as the contract says.
import http from 'k6/http';
import { check } from 'k6';
import { BASE_URL } from './lib/config.js';
import { tokenFor, headers } from './lib/auth.js';
import { placeOrder, awaitTerminal } from './lib/orders.js';

export const options = {
  vus: 1,
  iterations: 5,
  thresholds: { checks: ['rate==1.0'], http_req_failed: ['rate<0.01'] },
};

export default function () {
  const token = tokenFor('alice');
  check(http.get(`${BASE_URL}/health/ready`), { 'ready': (r) => r.status === 200 });
  check(http.get(`${BASE_URL}/api/v1/products`, { headers: headers(token) }), { 'catalogue': (r) => r.status === 200 });
  check(http.get(`${BASE_URL}/api/v1/users/me`, { headers: headers(token) }), { 'me': (r) => r.status === 200 });
  const orderId = placeOrder(token);
  if (orderId) {
    check(awaitTerminal(token, orderId), { 'confirmed': (s) => s === 'CONFIRMED' });
  }
  check(http.get(`${BASE_URL}/api/v1/orders?limit=5`, { headers: headers(token) }), { 'list': (r) => r.status === 200 });
}
