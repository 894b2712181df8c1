// `k6/crypto`: the HMAC the scripts sign their tokens with.
import { createHmac } from 'node:crypto';

const ENCODINGS = { hex: 'hex', base64: 'base64', base64url: 'base64url', base64rawurl: 'base64url' };

export function hmac(algorithm, secret, data, outputEncoding) {
  const encoding = ENCODINGS[outputEncoding];
  if (!encoding) {
    throw new Error(`the k6 shim does not encode HMACs as ${outputEncoding}`);
  }
  const digest = createHmac(algorithm, secret).update(data).digest(encoding);
  // k6's base64url keeps the padding, base64rawurl drops it (Node's base64url never pads).
  return outputEncoding === 'base64url' ? digest + '='.repeat((4 - (digest.length % 4)) % 4) : digest;
}

export default { hmac };
