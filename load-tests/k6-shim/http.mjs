// `k6/http`: synchronous requests (a worker thread does the I/O while the script's thread waits), and
// responses with status, body, headers and json(path).
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { recordMetric, recordRequest } from './state.mjs';

const TIMEOUT_MS = 60000;
/** The worker's fetch gives up at TIMEOUT_MS; this much later, the worker itself is deemed gone. */
const WORKER_GRACE_MS = 5000;
const signal = new Int32Array(new SharedArrayBuffer(4));
const { port1, port2 } = new MessageChannel();
const worker = new Worker(new URL('./http-worker.mjs', import.meta.url),
  { workerData: { port: port2, signal }, transferList: [port2], execArgv: [] });
worker.unref();
port1.unref();
let requests = 0;

function send(method, url, body, params = {}) {
  requests += 1;
  const number = requests;
  const started = Date.now();
  port1.postMessage({ number, method, url, body, headers: params.headers || {}, timeoutMs: TIMEOUT_MS });
  const answer = awaitAnswer(number, url, started + TIMEOUT_MS + WORKER_GRACE_MS);
  // k6's default expected statuses are 200-399: anything else, or no answer, is a failed request.
  recordRequest(answer.status < 200 || answer.status >= 400);
  recordMetric('http_req_duration', Date.now() - started);
  return response(answer);
}

/**
 * The answer to request {@code number}. The worker posts each answer, then sets the flag to its
 * request's number; the flag is read before the port is looked at, so an answer posted in between
 * ends the wait at once. Answers to earlier requests (none, as the worker answers every request before
 * its wait gives up) are dropped rather than taken for this one.
 */
function awaitAnswer(number, url, deadline) {
  for (;;) {
    const flag = Atomics.load(signal, 0);
    let received = receiveMessageOnPort(port1);
    while (received && received.message.number !== number) {
      received = receiveMessageOnPort(port1);
    }
    if (received) {
      return received.message;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new Error(`the k6 shim's HTTP worker did not answer request ${number} (${url})`);
    }
    Atomics.wait(signal, 0, flag, left);
  }
}

function response(answer) {
  return {
    status: answer.status,
    body: answer.body,
    headers: answer.headers,
    error: answer.error || '',
    /** k6 throws on a response without a body; a path is dotted keys (GJSON's simple case) over own properties. */
    json(selector) {
      if (answer.body === null || answer.body === undefined) {
        throw new Error('the body is null so we can\'t transform it to JSON');
      }
      const parsed = JSON.parse(answer.body);
      if (!selector) {
        return parsed;
      }
      return selector.split('.').reduce((value, key) => (value !== null && typeof value === 'object'
        && Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined), parsed);
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
