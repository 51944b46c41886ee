// Which hosts count as "this machine": the only places a key may travel over plain http, and
// where rate limits are off by default (the local sandbox has none).

/**
 * True for `localhost` (and `*.localhost`), 127.0.0.0/8 and ::1, spelled as `URL#hostname`
 * spells them (IPv6 in brackets, IPv4 already normalised by the URL parser).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return true;
  }
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) {
    return true;
  }
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare === '::1' || bare === '0:0:0:0:0:0:0:1') {
    return true;
  }
  // IPv4-mapped IPv6 (::ffff:127.x.y.z), which the URL parser rewrites as ::ffff:7fxx:xxxx.
  return /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(bare) || /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}
