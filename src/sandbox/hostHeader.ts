// The sandbox answers only requests addressed to this machine: a web page that rebinds its own
// DNS name to 127.0.0.1 reaches the port, but its requests still carry its name in `Host`.
import { isLoopbackHost } from '../sarufi/loopback.js';

/**
 * True when a `Host` header names this machine (127.x, [::1] or localhost, any port) or the
 * address the sandbox was told to listen on. A missing or unreadable header is refused.
 */
export function isLocalHostHeader(header: string | undefined, listenHost: string): boolean {
  if (header === undefined || header === '') {
    return false;
  }
  let hostname: string;
  try {
    hostname = new URL(`http://${header}`).hostname;
  } catch {
    return false;
  }
  const listening = listenHost.includes(':') ? `[${listenHost.toLowerCase()}]` : listenHost.toLowerCase();
  return isLoopbackHost(hostname) || hostname === listening;
}
