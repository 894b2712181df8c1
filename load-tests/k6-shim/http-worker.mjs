// The shim's HTTP client: runs each request with fetch and hands the answer, tagged with the request's
// number, back to the script's thread, which waits for it (k6's http functions are synchronous).
import { workerData } from 'node:worker_threads';

const { port, signal } = workerData;

port.on('message', async (request) => {
  let answer;
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body === null || request.body === undefined ? undefined : request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    answer = { status: response.status, body: await response.text(), headers: Object.fromEntries(response.headers) };
  } catch (e) {
    answer = { status: 0, body: null, headers: {}, error: String(e) };
  }
  port.postMessage({ ...answer, number: request.number });
  Atomics.store(signal, 0, request.number);
  Atomics.notify(signal, 0);
});
