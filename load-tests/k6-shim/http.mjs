// `k6/http`: synchronous requests (a worker thread does the I/O while the script's thread waits), and
// responses with status, body, headers and json(path).
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { recordMetric, recordRequest } from './state.mjs';

const TIMEOUT_MS = 60000;
const signal = new Int32Array(new SharedArrayBuffer(4));
const { port1, port2 } = new MessageChannel();
const worker = new Worker(new URL('./http-worker.mjs', import.meta.url),
  { workerData: { port: port2, signal }, transferList: [port2] });
worker.unref();
port1.unref();

function send(method, url, body, params = {}) {
  const started = Date.now();
  Atomics.store(signal, 0, 0);
  port1.postMessage({ method, url, body, headers: params.headers || {}, timeoutMs: TIMEOUT_MS });
  Atomics.wait(signal, 0, 0, TIMEOUT_MS + 5000);
  const received = receiveMessageOnPort(port1);
  const answer = received ? received.message : { status: 0, body: null, headers: {}, error: 'no answer' };
  // k6's default expected statuses are 200-399: anything else, or no answer, is a failed request.
  recordRequest(answer.status < 200 || answer.status >= 400);
  recordMetric('http_req_duration', Date.now() - started);
  return response(answer);
}

function response(answer) {
  return {
    status: answer.status,
    body: answer.body,
    headers: answer.headers,
    error: answer.error || '',
    json(selector) {
      const parsed = JSON.parse(answer.body);
      if (!selector) {
        return parsed;
      }
      return selector.split('.').reduce((value, key) => (value === null || value === undefined ? undefined : value[key]),
        parsed);
    },
  };
}

export function request(method, url, body, params) {
  return send(method, url, body, params);
}

export function get(url, params) {
  return send('GET', url, null, params);
}

export function post(url, body, params) {
  return send('POST', url, body, params);
}

export function put(url, body, params) {
  return send('PUT', url, body, params);
}

export function patch(url, body, params) {
  return send('PATCH', url, body, params);
}

export function del(url, body, params) {
  return send('DELETE', url, body, params);
}

export default { request, get, post, put, patch, del };
