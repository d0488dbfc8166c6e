/**
 * Reading a collector's inbox, on the user's click: which addresses are read, and the one bounded GET. Failures
 * become `RequestError`s whose messages the panel shows as they are.
 */
import { INBOX_LIMITS } from '@/utils/delivery/inbox';
import { RequestError } from './request-error';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** How long the inbox may take to answer. */
const INBOX_TIMEOUT_MS = 10_000;

/** The inbox URL, if it is one the extension reads: https, or http on the local machine. */
export function inboxUrlOf(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new RequestError('The inbox address is not a URL.');
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && local)) {
    throw new RequestError('The inbox address must be https:// (or http:// on this machine).');
  }
  if (u.username || u.password) throw new RequestError('The inbox address must not contain credentials.');
  return u.href;
}

/** GETs an inbox and parses its JSON, bounded in size and time, without cookies. */
export async function fetchInboxJson(fetchFn: FetchLike, url: string): Promise<{ status: number; json: unknown }> {
  let res: Response;
  try {
    res = await fetchFn(url, {
      method: 'GET',
      cache: 'no-store',
      credentials: 'omit',
      headers: { Accept: 'application/json' },
      signal: AbortSignal.timeout(INBOX_TIMEOUT_MS),
    });
  } catch (e) {
    const name = typeof e === 'object' && e !== null && 'name' in e ? String(e.name) : '';
    throw new RequestError(
      name === 'TimeoutError'
        ? 'The inbox did not answer within 10 s.'
        : `Could not reach the inbox (DNS, TLS certificate or connection): ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (!res.ok) throw new RequestError(`The inbox answered HTTP ${res.status}.`);
  const text = await res.text();
  if (text.length > INBOX_LIMITS.maxBytes) throw new RequestError('The inbox answer is too large (over 5 MB).');
  try {
    return { status: res.status, json: JSON.parse(text) as unknown };
  } catch {
    throw new RequestError('The inbox did not answer with JSON.');
  }
}
