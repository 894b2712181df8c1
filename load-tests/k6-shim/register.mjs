// Entry for `node --import`: k6's modules resolve to this shim, and the k6 scripts (.js files without a
// package.json saying so) load as ES modules, as k6 loads them.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
