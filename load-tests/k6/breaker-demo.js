// Breaker demo, to pair with fault injection: makes inventory silent through /admin/faults, keeps
// reading the catalogue and the customer's profile, and checks that the catalogue fails fast (stale,
// from the gateway's cache) once the breaker is open while the profile is unaffected throughout.
// JWT_SECRET must be set (it mints the admin token; a TOKEN alone cannot inject the fault), and the
// node should run with --rate-limit 0: all reads are alice's, 100 a second, the default limit.
// Until the breaker opens (five reads that each wait out the catalogue's 400 ms timeout) a read is
// slow by design: the catalogue's threshold counts only the reads from OPEN_AFTER_MS on.
import http from 'k6/http';
import { check, fail } from 'k6';
import { BASE_URL } from './lib/config.js';
import { tokenFor, headers } from './lib/auth.js';

export const options = {
  scenarios: {
    readers: { executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '30s', preAllocatedVUs: 20 },
  },
  thresholds: {
    'http_req_duration{name:catalogue,phase:open}': ['p(99)<50'],
    'http_req_duration{name:profile}': ['p(99)<50'],
    'checks{check:profile unaffected}': ['rate==1.0'],
  },
};

const OPEN_AFTER_MS = Number(__ENV.OPEN_AFTER_MS || 3000);

export function setup() {
  if (!__ENV.JWT_SECRET) {
    fail('set JWT_SECRET: injecting the fault needs an admin token minted with the node key');
  }
  const admin = tokenFor('k6-admin', ['admin']);
  http.get(`${BASE_URL}/api/v1/products`, { headers: headers(tokenFor('alice')) });
  const fault = http.post(`${BASE_URL}/admin/faults`,
    JSON.stringify({ service: 'inventory', mode: 'silent', durationMs: 40000 }), { headers: headers(admin) });
  check(fault, { 'fault injected': (r) => r.status === 201 });
  return { admin, faultId: fault.json('id'), faultAt: Date.now() };
}

export default function (data) {
  const token = tokenFor('alice');
  const phase = Date.now() - data.faultAt < OPEN_AFTER_MS ? 'opening' : 'open';
  const catalogue = http.get(`${BASE_URL}/api/v1/products`,
    { headers: headers(token), tags: { name: 'catalogue', phase } });
  check(catalogue, { 'catalogue answered': (r) => r.status === 200 || r.status === 503 });
  const profile = http.get(`${BASE_URL}/api/v1/users/me`, { headers: headers(token), tags: { name: 'profile' } });
  check(profile, { 'profile unaffected': (r) => r.status === 200 });
}

export function teardown(data) {
  http.del(`${BASE_URL}/admin/faults/${data.faultId}`, null, { headers: headers(data.admin) });
}
