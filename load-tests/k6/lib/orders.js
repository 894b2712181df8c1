// Placing an order and following its saga to the end.
import http from 'k6/http';
import { check, sleep } from 'k6';
import { Trend, Counter } from 'k6/metrics';
import { BASE_URL, SKUS, SAGA_TIMEOUT_MS } from './config.js';
import { headers } from './auth.js';

export const sagaDuration = new Trend('saga_completion_ms', true);
export const sagaOutcomes = new Counter('saga_outcomes');

export function placeOrder(token) {
  const sku = SKUS[Math.floor(Math.random() * SKUS.length)];
  const body = JSON.stringify({ lines: [{ sku, quantity: 1 + Math.floor(Math.random() * 3) }] });
  const key = `${__VU}-${__ITER}-${Date.now()}`;
  const res = http.post(`${BASE_URL}/api/v1/orders`, body,
    { headers: headers(token, { 'Idempotency-Key': key }), tags: { name: 'POST /api/v1/orders' } });
  check(res, { 'order accepted (202)': (r) => r.status === 202 });
  return res.status === 202 ? res.json('orderId') : null;
}

/** Polls the order until CONFIRMED or CANCELLED; records how long the saga took. */
export function awaitTerminal(token, orderId) {
  const started = Date.now();
  while (Date.now() - started < SAGA_TIMEOUT_MS) {
    const res = http.get(`${BASE_URL}/api/v1/orders/${orderId}`,
      { headers: headers(token), tags: { name: 'GET /api/v1/orders/{id}' } });
    const status = res.status === 200 ? res.json('status') : null;
    if (status === 'CONFIRMED' || status === 'CANCELLED') {
      sagaDuration.add(Date.now() - started);
      sagaOutcomes.add(1, { status, reason: res.json('reason') || 'none' });
      return status;
    }
    sleep(0.05);
  }
  check(null, { 'saga completed in time': () => false });
  return null;
}
