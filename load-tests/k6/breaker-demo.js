// Breaker demo, to pair with fault injection: makes inventory silent through /admin/faults, keeps
// reading the catalogue and the customer's profile, and checks that the catalogue fails fast (stale,
// from the gateway's cache) while the profile is unaffected. JWT_SECRET must be set (admin token).
import http from 'k6/http';
import { check } from 'k6';
import { BASE_URL } from './lib/config.js';
import { tokenFor, headers } from './lib/auth.js';

export const options = {
  scenarios: {
    readers: { executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '30s', preAllocatedVUs: 20 },
  },
  thresholds: {
    'http_req_duration{name:catalogue}': ['p(99)<50'],
    'http_req_duration{name:profile}': ['p(99)<50'],
    'checks{check:profile unaffected}': ['rate==1.0'],
  },
};

export function setup() {
  const admin = tokenFor('k6-admin', ['admin']);
  http.get(`${BASE_URL}/api/v1/products`, { headers: headers(tokenFor('alice')) });
  const fault = http.post(`${BASE_URL}/admin/faults`,
    JSON.stringify({ service: 'inventory', mode: 'silent', durationMs: 40000 }), { headers: headers(admin) });
  check(fault, { 'fault injected': (r) => r.status === 201 });
  return { admin, faultId: fault.json('id') };
}

export default function () {
  const token = tokenFor('alice');
  const catalogue = http.get(`${BASE_URL}/api/v1/products`, { headers: headers(token), tags: { name: 'catalogue' } });
  check(catalogue, { 'catalogue answered': (r) => r.status === 200 || r.status === 503 });
  const profile = http.get(`${BASE_URL}/api/v1/users/me`, { headers: headers(token), tags: { name: 'profile' } });
  check(profile, { 'profile unaffected': (r) => r.status === 200 });
}

export function teardown(data) {
  http.del(`${BASE_URL}/admin/faults/${data.faultId}`, null, { headers: headers(data.admin) });
}
