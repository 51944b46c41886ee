// Decides whether a base URL may receive the API key: https anywhere, plain http only on this
// machine (the key never travels in clear). Exported so that settings can be checked up front.

import { refusal, SarufiError } from './errors.js';
import { isLoopbackHost } from './loopback.js';
import type { Scrubber } from './redaction.js';

export const DEFAULT_BASE_URL = 'https://developers.sarufi.io/api/dev/v1';

export interface BaseUrl {
  /** Without trailing slashes; paths are appended to it. */
  url: string;
  /** As `URL#host` spells it (port included), for messages. */
  host: string;
  loopback: boolean;
}

const EXAMPLE = `Set it to something like ${DEFAULT_BASE_URL}.`;

/** The checked base URL, or the SarufiError (kind 'refused') that every call will report. */
export function checkBaseUrl(raw: string, scrub: Scrubber = (text) => text): BaseUrl | SarufiError {
  const trimmed = typeof raw === 'string' ? raw.trim() : '';
  if (trimmed === '') {
    return refusal('empty base URL', `No Sarufi base URL is set. ${EXAMPLE}`);
  }
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return refusal('invalid base URL', `The Sarufi base URL "${scrub(trimmed)}" is not a valid URL. ${EXAMPLE}`);
  }
  const loopback = isLoopbackHost(parsed.hostname);
  if (parsed.protocol === 'http:' && !loopback) {
    return refusal(
      'plain http to a remote host',
      `Refusing to send the API key to ${parsed.host} over plain http: the key never travels in clear. ` +
        'Use an https:// base URL (http is allowed only for this machine: localhost, 127.0.0.1, ::1).',
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return refusal(
      `unsupported scheme ${parsed.protocol}`,
      `The Sarufi base URL must start with https:// (it starts with ${parsed.protocol}//). ${EXAMPLE}`,
    );
  }
  if (parsed.username !== '' || parsed.password !== '' || parsed.search !== '' || parsed.hash !== '') {
    return refusal(
      'base URL with credentials, query or fragment',
      `The Sarufi base URL must not contain a user name, password, "?" query or "#" fragment. ${EXAMPLE}`,
    );
  }
  const url = `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
  return { url, host: parsed.host, loopback };
}

export function isBaseUrlRefusal(value: BaseUrl | SarufiError): value is SarufiError {
  return value instanceof SarufiError;
}
