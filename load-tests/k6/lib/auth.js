// Tokens: HS256 JWTs signed with the node's key, minted here so that every virtual user is its own
// customer (the gateway rate-limits per principal). JWT_SECRET is the content of
// <home>/jwt-hs256.key, or the --jwt-secret the nodes were started with. TOKEN, if set, is used as is.
import crypto from 'k6/crypto';
import encoding from 'k6/encoding';

const SECRET = __ENV.JWT_SECRET;
const FIXED = __ENV.TOKEN;

export function tokenFor(subject, roles = []) {
  if (FIXED) {
    return FIXED;
  }
  if (!SECRET) {
    throw new Error('set JWT_SECRET (the node key) or TOKEN');
  }
  const now = Math.floor(Date.now() / 1000);
  const header = encoding.b64encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' }), 'rawurl');
  const claims = encoding.b64encode(JSON.stringify({ sub: subject, roles, iat: now, exp: now + 3600, iss: 'ordermesh' }), 'rawurl');
  const signature = crypto.hmac('sha256', SECRET, `${header}.${claims}`, 'base64rawurl');
  return `${header}.${claims}.${signature}`;
}

export function headers(token, extra = {}) {
  return Object.assign({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, extra);
}
