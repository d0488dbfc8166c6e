// Real-world reporting header values (tests/data/real-world-headers.json) as oracle cases. Every endpoint host is
// rewritten to the local server, so no request leaves 127.0.0.1: `https://csp.withgoogle.com/csp/x` becomes
// `https://x.cN.localhost:PORT/r/<case>/csp.withgoogle.com/csp/x` (same scheme, a cross-origin host, the same path).

import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OracleCase } from './cases';

export interface RealWorldValue {
  /** The site that sent it. */
  site: string;
  /** Header name as captured. */
  header: string;
  value: string;
  /** The public page (issue thread, write-up) where the capture was published. */
  source: string;
  note?: string;
}

/** A captured value whose publication cannot be cited (found through a code index that names no repository). */
export interface UnsourcedValue extends Omit<RealWorldValue, 'source'> {
  capture: string;
}

const FILE = fileURLToPath(new URL('../data/real-world-headers.json', import.meta.url));

function data(): { values: RealWorldValue[]; unsourced: UnsourcedValue[] } {
  return JSON.parse(fs.readFileSync(FILE, 'utf8')) as { values: RealWorldValue[]; unsourced: UnsourcedValue[] };
}

/** Every value with its site and a citable source. */
export function realWorldValues(): RealWorldValue[] {
  return data().values;
}

/** The captured values without a citable source (parser and oracle data, not counted as real-world values). */
export function unsourcedValues(): UnsourcedValue[] {
  return data().unsourced;
}

/** Rewrites every endpoint URL to the local server (see `absolute`), keeping scheme and path. */
export function localise(value: string): string {
  // JSON may escape the solidus (`https:\/\/host\/path`): match both spellings.
  return absolute(value)
    .replace(/("url"\s*:\s*")(\\?\/)(?!\\?\/)/g, (_m, head: string, slash: string) => `${head}$R${slash}`)
    .replace(/(=\s*")\/(?!\/)/g, '$1$R/');
}

/**
 * Absolute URLs go to the cross-origin host; a path with one leading `/` (resolved against the page's origin, in
 * `Report-To` `url` members and `Reporting-Endpoints` strings) stays on the case host under its `$R` prefix, where
 * the server records deliveries.
 */
function absolute(value: string): string {
  return value.replace(
    /\b(https?|wss?):(\\?\/\\?\/)([^/\\"'\s,;]+)((?:\\?\/)?)/gi,
    (_m, scheme: string, slashes: string, host: string, slash: string) => {
      return `${scheme}:${slashes}$XHOST$R/${host.toLowerCase()}${slash}`;
    },
  );
}

function firstGroup(value: string): string {
  return /"group"\s*:\s*"([^"\\]*)"/.exec(value)?.[1] ?? 'default';
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);

type Captured = Omit<RealWorldValue, 'source'> & { origin: string };

/** Why a captured value of a referencing header is not run: Chromium gives nothing to observe for it. */
export interface NotRun {
  value: Captured;
  reason: string;
}

/** The group a NEL policy names (`report_to`), or null when the value is not a JSON object naming one. */
function nelGroup(value: string): string | null {
  try {
    const parsed: unknown = JSON.parse(value);
    const name = parsed && typeof parsed === 'object' ? (parsed as { report_to?: unknown }).report_to : undefined;
    return typeof name === 'string' ? name : null;
  } catch {
    return null;
  }
}

/** The `report-to` parameter of a COOP/COEP value (`same-origin; report-to="name"`). */
function coReportTo(value: string): string | null {
  return /;\s*report-to\s*=\s*"?([^";,\s]+)"?/i.exec(value)?.[1] ?? null;
}

/**
 * A captured header a referencing value needs beside it (the Report-To group a NEL policy names, the
 * Reporting-Endpoints a COOP/COEP `report-to` names): from the same capture if it has one, else the same site's,
 * else any capture that defines the name.
 */
function partner(all: readonly Captured[], v: Captured, header: string, defines: (c: Captured) => boolean) {
  const candidates = all.filter((c) => c.header.toLowerCase() === header && defines(c));
  return (
    candidates.find((c) => c.origin === v.origin) ?? candidates.find((c) => c.site === v.site) ?? candidates[0] ?? null
  );
}

const definesGroup = (name: string) => (c: Captured) =>
  new RegExp(`"group"\\s*:\\s*"${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`).test(c.value) ||
  (name === 'default' && !/"group"/.test(c.value));
const definesEndpoint = (name: string) => (c: Captured) =>
  new RegExp(`(^|,)\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*=`).test(c.value);

/** The page a case's document serves to make Chromium queue one report of the observed type. */
const TRIGGERS = {
  // A same-origin subresource answered with 404: NEL reports it as `http.error` (failure_fraction defaults to 1).
  'network-error': '<!doctype html><title>oracle</title><img src="$R/nel-404.png" alt="">',
  // A cross-origin image without Cross-Origin-Resource-Policy under COEP (report-only) require-corp.
  coep: '<!doctype html><title>oracle</title><img src="https://$XHOST$R/no-corp.png" alt="">',
  // A cross-origin popup opened from the document (the harness opens the document in a fresh tab, so nothing before
  // it decides whether the browsing context group switches).
  // A blocked feature used once.
  'permissions-policy-violation':
    '<!doctype html><title>oracle</title><script>navigator.geolocation.getCurrentPosition(() => {}, () => {})</script>',
} as const;

interface RealWorldRun {
  cases: OracleCase[];
  notRun: NotRun[];
}

/**
 * Every captured value as oracle cases, with what could not be run and why: Report-To and Reporting-Endpoints are
 * observed directly; NEL (with the Report-To group it names), COEP `report-to` and Permissions-Policy through the
 * reports a trigger makes Chromium send. Sourced values get ids `rwNN-…`, unsourced ones `ruNN-…`.
 */
export function realWorld(): RealWorldRun {
  const sourced: Captured[] = realWorldValues().map(({ source, ...v }) => ({ ...v, origin: source }));
  const unsourced: Captured[] = unsourcedValues().map(({ capture, ...v }) => ({ ...v, origin: capture }));
  const all = [...sourced, ...unsourced];
  const cases: OracleCase[] = [];
  const notRun: NotRun[] = [];
  const each = (list: readonly Captured[], prefix: string) =>
    list.forEach((v, i) => {
      const name = v.header.toLowerCase();
      const id = `${prefix}${String(i).padStart(2, '0')}-${slug(v.site)}`;
      const note = `real world: ${v.site} (${v.header})`;
      const skip = (reason: string) => notRun.push({ value: v, reason });
      if (name === 'report-to') {
        cases.push({
          id,
          kind: 'report-to',
          group: firstGroup(v.value),
          note,
          responses: [{ host: 'case', headers: [{ name: 'Report-To', value: localise(v.value) }] }],
        });
      } else if (name === 'reporting-endpoints') {
        cases.push({
          id,
          kind: 'reporting-endpoints',
          note,
          responses: [{ host: 'case', headers: [{ name: 'Reporting-Endpoints', value: localise(v.value) }] }],
        });
      } else if (name === 'nel') {
        const group = nelGroup(v.value);
        const rt = group ? partner(all, v, 'report-to', definesGroup(group)) : null;
        if (!group || !rt) return skip('names no Report-To group any capture defines');
        cases.push({
          id,
          kind: 'report-to',
          reportType: 'network-error',
          group,
          note: `${note} with the Report-To of ${rt.site}`,
          body: TRIGGERS['network-error'],
          responses: [
            {
              host: 'case',
              headers: [
                { name: 'Report-To', value: localise(rt.value) },
                { name: 'NEL', value: v.value },
              ],
            },
          ],
        });
      } else if (name.startsWith('cross-origin-opener-policy')) {
        skip(
          coReportTo(v.value)
            ? 'COOP reports come from a browsing context group switch around an opener or popup; measured here, a popup opened from the document produced the report in most runs but not all, so no deterministic trigger exists in this oracle'
            : 'names no report-to endpoint: COOP sends no report',
        );
      } else if (name.startsWith('cross-origin-embedder-policy')) {
        const endpoint = coReportTo(v.value);
        const re = endpoint ? partner(all, v, 'reporting-endpoints', definesEndpoint(endpoint)) : null;
        if (!endpoint || !re) return skip('names no endpoint any captured Reporting-Endpoints defines');
        cases.push({
          id,
          kind: 'report-to',
          reportType: 'coep',
          group: endpoint,
          note: `${note} with the Reporting-Endpoints of ${re.site}`,
          body: TRIGGERS.coep,
          responses: [
            {
              host: 'case',
              headers: [
                { name: 'Reporting-Endpoints', value: localise(re.value) },
                { name: v.header, value: v.value },
              ],
            },
          ],
        });
      } else if (name === 'permissions-policy') {
        if (!/(^|,)\s*geolocation=\(\)/.test(v.value))
          return skip(
            'blocks no feature a page can use headless without a user gesture (the trigger uses geolocation)',
          );
        // The value names no endpoint: its reports go to `default`, which the case defines (the site's own
        // Reporting-Endpoints was not captured with it).
        cases.push({
          id,
          kind: 'report-to',
          reportType: 'permissions-policy-violation',
          group: 'default',
          note: `${note}, reports to a local default endpoint`,
          body: TRIGGERS['permissions-policy-violation'],
          responses: [
            {
              host: 'case',
              headers: [
                { name: 'Reporting-Endpoints', value: 'default="$R/default"' },
                { name: v.header, value: v.value },
              ],
            },
          ],
        });
      } else if (name === 'document-policy' || name === 'document-policy-report-only') {
        skip('no report-to and no violation a page can trigger for these features');
      } else if (name === 'permissions-policy-report-only') {
        skip('its features (fullscreen, clipboard, …) need a user gesture before Chromium checks the policy');
      } else if (name.startsWith('content-security-policy')) {
        skip(
          /(^|[;,])\s*report-to\s/i.test(v.value)
            ? 'a captured policy with report-to: whether a page violates it depends on its own sources and nonces, so no trigger here makes Chromium send a csp-violation report for it'
            : 'report-uri only: legacy CSP reports are not Reporting API deliveries',
        );
      } else {
        skip('no report Chromium 156 sends for this header');
      }
    });
  each(sourced, 'rw');
  each(unsourced, 'ru');
  return { cases, notRun };
}

/** The real-world values as oracle cases. */
export function realWorldCases(): OracleCase[] {
  return realWorld().cases;
}
