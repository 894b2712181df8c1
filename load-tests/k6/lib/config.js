// Shared settings for every script. Override with environment variables: k6 run -e BASE_URL=... script.js
export const BASE_URL = __ENV.BASE_URL || 'http://localhost:8080';
// The customers seeded by `./ordermesh run --seed-customers N` are load-1 .. load-N.
export const CUSTOMERS = parseInt(__ENV.CUSTOMERS || '100', 10);
export const SKUS = (__ENV.SKUS || 'SKU-1,SKU-2,SKU-3').split(',');
export const SAGA_TIMEOUT_MS = parseInt(__ENV.SAGA_TIMEOUT_MS || '10000', 10);
