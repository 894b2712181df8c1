// What a run recorded, as k6's end-of-test summary would count it: checks by name, requests, metrics.
const checks = new Map();
const metrics = new Map();
let requests = 0;
let failedRequests = 0;

export function recordCheck(name, passed) {
  const counts = checks.get(name) || { passes: 0, fails: 0 };
  if (passed) {
    counts.passes += 1;
  } else {
    counts.fails += 1;
  }
  checks.set(name, counts);
}

export function recordRequest(failed) {
  requests += 1;
  if (failed) {
    failedRequests += 1;
  }
}

export function recordMetric(name, value) {
  const values = metrics.get(name) || [];
  values.push(value);
  metrics.set(name, values);
}

export function summary() {
  const byMetric = {};
  for (const [name, values] of metrics) {
    byMetric[name] = { count: values.length, sum: values.reduce((a, b) => a + b, 0) };
  }
  return { checks: Object.fromEntries(checks), httpReqs: requests, httpReqFailed: failedRequests, metrics: byMetric };
}
