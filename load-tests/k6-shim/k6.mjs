// `k6`: check, sleep, fail, group, with k6's meaning.
import { recordCheck } from './state.mjs';

/** As k6: a check is a function of the value or a plain value; one that throws fails and ends the iteration. */
export function check(value, sets) {
  let all = true;
  for (const [name, predicate] of Object.entries(sets)) {
    let passed;
    try {
      passed = Boolean(typeof predicate === 'function' ? predicate(value) : predicate);
    } catch (e) {
      recordCheck(name, false);
      throw e;
    }
    recordCheck(name, passed);
    all = all && passed;
  }
  return all;
}

/** Blocks, as k6's sleep does: iterations are synchronous code. */
export function sleep(seconds) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, seconds * 1000));
}

export function fail(message) {
  throw new Error(message || 'fail() called');
}

export function group(name, body) {
  return body();
}

export default { check, sleep, fail, group };
