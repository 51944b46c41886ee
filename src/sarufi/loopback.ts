// Which hosts count as "this machine": the only places a key may travel over plain http, and
// where rate limits are off by default (the local sandbox has none).

/**
 * True for exactly `localhost` and for IP literals in 127.0.0.0/8 or ::1, spelled as
 * `URL#hostname` spells them (IPv6 in brackets, IPv4 already normalised by the URL parser).
 * `localhost.` and `*.localhost` are names that some DNS server answers, so they are not.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost') {
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
