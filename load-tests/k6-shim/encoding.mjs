// `k6/encoding`: base64 in k6's four variants.
export function b64encode(input, variant = 'std') {
  const bytes = Buffer.from(input);
  switch (variant) {
    case 'rawstd':
      return bytes.toString('base64').replace(/=+$/, '');
    case 'url':
      return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    case 'rawurl':
      return bytes.toString('base64url');
    default:
      // std, and, as in k6, any variant it does not know.
      return bytes.toString('base64');
  }
}

export default { b64encode };
