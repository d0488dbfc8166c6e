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
  /** Where the captured value was published. */
  source: string;
  note?: string;
}

const FILE = fileURLToPath(new URL('../data/real-world-headers.json', import.meta.url));

/** Every value in the data file. */
export function realWorldValues(): RealWorldValue[] {
  const data = JSON.parse(fs.readFileSync(FILE, 'utf8')) as { values: RealWorldValue[] };
  return data.values;
}

/** Rewrites every absolute URL's authority to the local cross-origin host, keeping scheme and path. */
export function localise(value: string): string {
  // JSON may escape the solidus (`https:\/\/host\/path`): match both spellings.
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

/** The Report-To and Reporting-Endpoints values as cases (the other headers name endpoints and are not run here). */
export function realWorldCases(): OracleCase[] {
  return realWorldValues().flatMap((v, i): OracleCase[] => {
    const name = v.header.toLowerCase();
    const id = `rw${String(i).padStart(2, '0')}-${slug(v.site)}`;
    if (name === 'report-to') {
      return [
        {
          id,
          kind: 'report-to',
          group: firstGroup(v.value),
          note: `real world: ${v.site}`,
          responses: [{ host: 'case', headers: [{ name: 'Report-To', value: localise(v.value) }] }],
        },
      ];
    }
    if (name === 'reporting-endpoints') {
      return [
        {
          id,
          kind: 'reporting-endpoints',
          note: `real world: ${v.site}`,
          responses: [{ host: 'case', headers: [{ name: 'Reporting-Endpoints', value: localise(v.value) }] }],
        },
      ];
    }
    return [];
  });
}
