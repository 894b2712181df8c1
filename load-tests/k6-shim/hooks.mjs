// Module hooks: `k6`, `k6/http`, ... are this folder's files; a k6 module the shim does not provide is
// an error naming it (a script that starts using one must not pass by accident).
const PROVIDED = new Map([
  ['k6', 'k6.mjs'],
  ['k6/http', 'http.mjs'],
  ['k6/metrics', 'metrics.mjs'],
  ['k6/crypto', 'crypto.mjs'],
  ['k6/encoding', 'encoding.mjs'],
]);

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'k6' || specifier.startsWith('k6/')) {
    const file = PROVIDED.get(specifier);
    if (!file) {
      throw new Error(`the k6 shim does not provide ${specifier}`);
    }
    return { url: new URL(file, import.meta.url).href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && url.endsWith('.js')) {
    return nextLoad(url, { ...context, format: 'module' });
  }
  return nextLoad(url, context);
}
