// Runs a k6 script's lifecycle under Node with this shim, for a set number of iterations on one virtual
// user: setup, the default function, teardown. Prints one JSON line (checks by name, requests,
// metrics, the error if one was thrown); exits 1 on an error, and 0 when checks failed (as k6 does:
// failed checks are counted, not fatal). An exception ends the run here, where k6 would log it and go
// on with the next iteration: a script that throws is a failing script. Options and thresholds are
// k6's to apply.
//   node --import ./register.mjs ./run.mjs ../k6/smoke.js 3
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { summary } from './state.mjs';

const [script, iterationsArgument] = process.argv.slice(2);
const iterations = parseInt(iterationsArgument || '1', 10);
// Before the script is imported: its modules read __ENV as they load.
globalThis.__ENV = { ...process.env };
globalThis.__VU = 1;
globalThis.__ITER = 0;

/** k6 hands setup's data to each stage as a JSON copy: what an iteration changes, teardown does not see. */
function copied(data) {
  return data === undefined ? undefined : JSON.parse(JSON.stringify(data));
}

let error = null;
try {
  const module = await import(pathToFileURL(path.resolve(script)).href);
  globalThis.__VU = 0;
  const data = typeof module.setup === 'function' ? module.setup() : undefined;
  try {
    globalThis.__VU = 1;
    for (let iteration = 0; iteration < iterations; iteration += 1) {
      globalThis.__ITER = iteration;
      module.default(copied(data));
    }
  } finally {
    globalThis.__VU = 0;
    if (typeof module.teardown === 'function') {
      module.teardown(copied(data));
    }
  }
} catch (e) {
  error = String((e && e.stack) || e);
}
process.stdout.write(`${JSON.stringify({ script, iterations, ...summary(), error })}\n`);
process.exit(error ? 1 : 0);
