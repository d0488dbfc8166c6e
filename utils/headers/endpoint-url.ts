/**
 * Endpoint URLs as Chromium keeps them, for `Report-To` and `Reporting-Endpoints` alike. Pure.
 */
import { clip } from './diagnostics';

export type EndpointUrl =
  | { ok: true; url: string; /** The URL Standard would have kept `|` or `^` raw in the path. */ escaped: boolean }
  | { ok: false; reason: 'invalid' | 'insecure'; message: string };

/**
 * Chromium's ProcessEndpointURLString (net/reporting/reporting_header_parser.cc): a string with exactly one
 * leading `/` is resolved against the origin, anything else must be an absolute URL; the result must be valid and
 * cryptographic (https, wss). The URL is then serialised as GURL does.
 */
export function resolveEndpointUrl(raw: string, origin: URL): EndpointUrl {
  let leadingSlashes = 0;
  while (raw.charCodeAt(leadingSlashes) === 0x2f) leadingSlashes++;
  let url: URL;
  try {
    url = leadingSlashes === 1 ? new URL(raw, origin.origin) : new URL(raw);
  } catch {
    const hint =
      leadingSlashes > 1
        ? 'a path must start with exactly one `/` (protocol-relative `//host/…` is not accepted)'
        : 'use an absolute `https://` URL or a path starting with `/`';
    return { ok: false, reason: 'invalid', message: `endpoint URL \`${clip(raw)}\` is not valid: ${hint}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'wss:') {
    const local =
      url.protocol === 'http:' &&
      (url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]');
    return {
      ok: false,
      reason: 'insecure',
      message:
        `endpoint \`${clip(url.href)}\` is not HTTPS: Chromium drops it; serve the collector over \`https://\`` +
        (local ? ' (the spec counts `http://localhost` as potentially trustworthy, Chromium does not)' : ''),
    };
  }
  return { ok: true, ...gurlPath(url) };
}

/**
 * GURL escapes `|` and `^` in paths, the URL Standard does not (url/url_canon_path.cc kPathCharLookup, as
 * revised for https://crbug.com/1509295; the other path characters, queries and fragments agree). Chromium
 * registers and posts to the escaped URL.
 */
function gurlPath(url: URL): { url: string; escaped: boolean } {
  const path = url.pathname;
  if (!path.includes('|') && !path.includes('^')) return { url: url.href, escaped: false };
  url.pathname = path.replace(/\|/g, '%7C').replace(/\^/g, '%5E');
  return { url: url.href, escaped: true };
}
