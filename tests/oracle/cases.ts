// What one oracle case is, and how its placeholders become concrete hosts and URLs.

/** Where a response is served from, relative to the case's own host `cN.localhost`. */
export type HostKind =
  | 'case' // cN.localhost
  | 'sub' // s.cN.localhost (include_subdomains)
  | 'deep' // t.s.cN.localhost
  | 'ip' // 127.0.0.1 on a port of its own
  | 'localhost' // localhost on a port of its own
  | { psl: string }; // a name under a public-suffix-list entry, mapped to 127.0.0.1 by a host-resolver rule

export interface CaseResponse {
  host: HostKind;
  /** Header lines in order; a name may repeat. Values may hold the placeholders of {@link resolveCase}. */
  headers: { name: string; value: string }[];
}

export interface OracleCase {
  /** Stable id: the seed and index for generated cases (`g42-0017`), a name for fixed ones. */
  id: string;
  /** `report-to`: observed through delivery of a CSP report to `group`. `reporting-endpoints`: through CDP. */
  kind: 'report-to' | 'reporting-endpoints';
  /** What the case varies, for the disagreement listing. */
  note: string;
  /** Oldest first; the last is the document whose reports (or endpoints) are observed. */
  responses: CaseResponse[];
  /**
   * Report-to cases: the endpoint name whose deliveries are observed; for the default CSP trigger, the `report-to`
   * name the last document violates.
   */
  group?: string;
  /**
   * Report-to cases: the report `type` observed (default `csp-violation`). Any other type needs a {@link body} that
   * makes Chromium queue such a report (a network error, a cross-origin image without CORP, a blocked feature).
   */
  reportType?: string;
  /** The last document's HTML (placeholders allowed); the default violates `script-src 'none'` once. */
  body?: string;
}

/** Concrete hosts of one case run. */
export interface CaseHosts {
  slot: number;
  port: number;
  /** Port of the `ip` / `localhost` responses (a fresh origin on a shared host). */
  sharedPort: number;
  /** `cN.localhost` */
  host: string;
}

export interface ResolvedResponse {
  url: string;
  headers: { name: string; value: string }[];
}

export interface ResolvedCase {
  source: OracleCase;
  hosts: CaseHosts;
  /** Every collector path of the case starts with this. */
  pathPrefix: string;
  responses: ResolvedResponse[];
  /** The last document's HTML, placeholders filled (undefined: the default CSP-violating page). */
  body?: string;
}

/** Hosts one browser run needs in the certificate for `slots` case slots. */
export function hostsForSlots(slots: number, pslHosts: readonly string[] = []): string[] {
  const out: string[] = [];
  for (let i = 0; i < slots; i++)
    out.push(`c${i}.localhost`, `s.c${i}.localhost`, `t.s.c${i}.localhost`, `x.c${i}.localhost`, `f${i}.localhost`);
  return [...out, ...pslHosts];
}

export function hostnameOf(kind: HostKind, hosts: CaseHosts): string {
  if (kind === 'case') return hosts.host;
  if (kind === 'sub') return `s.${hosts.host}`;
  if (kind === 'deep') return `t.s.${hosts.host}`;
  if (kind === 'ip') return '127.0.0.1';
  if (kind === 'localhost') return 'localhost';
  return kind.psl;
}

/** The origin a response is served from. */
export function originOf(kind: HostKind, hosts: CaseHosts): string {
  const port = kind === 'ip' || kind === 'localhost' ? hosts.sharedPort : hosts.port;
  return `https://${hostnameOf(kind, hosts)}:${port}`;
}

/**
 * Placeholders in header values:
 * `$ORIGIN` the document's origin · `$HOST` `cN.localhost:PORT` · `$XHOST` `x.cN.localhost:PORT` (cross-origin,
 * same site) · `$IPHOST` `127.0.0.1:PORT` · `$LOCALHOST` `localhost:PORT` · `$PORT` · `$R` the case's collector path
 * prefix (`/r/<id>`), which every endpoint URL should contain so uploads can be told apart; `$RR` the same without
 * its leading `/`; `$ID` the case id; `$SLOT` the N of `cN.localhost`.
 */
export function resolveCase(c: OracleCase, hosts: CaseHosts): ResolvedCase {
  const pathPrefix = `/r/${c.id}`;
  const responses = c.responses.map((r, i) => {
    const origin = originOf(r.host, hosts);
    const fill = fillFor(origin);
    const headers = r.headers.map((h) => ({ name: h.name, value: fill(h.value) }));
    // The document of a CSP report-to case violates this policy once (an inline script), queueing one CSP report.
    if (i === c.responses.length - 1 && c.kind === 'report-to' && c.body === undefined) {
      headers.push({ name: 'Content-Security-Policy', value: `script-src 'none'; report-to ${c.group ?? 'default'}` });
    }
    return { url: `${origin}/o/${c.id}/${i}`, headers };
  });
  const last = c.responses[c.responses.length - 1];
  const body = c.body === undefined || !last ? undefined : fillFor(originOf(last.host, hosts))(c.body);
  return { source: c, hosts, pathPrefix, responses, ...(body === undefined ? {} : { body }) };

  function fillFor(origin: string) {
    return (v: string) =>
      v
        .replaceAll('$ORIGIN', origin)
        .replaceAll('$XHOST', `x.${hosts.host}:${hosts.port}`)
        .replaceAll('$IPHOST', `127.0.0.1:${hosts.port}`)
        .replaceAll('$LOCALHOST', `localhost:${hosts.port}`)
        .replaceAll('$HOST', `${hosts.host}:${hosts.port}`)
        .replaceAll('$PORT', String(hosts.port))
        .replaceAll('$SLOT', String(hosts.slot))
        .replaceAll('$ID', c.id)
        .replaceAll('$RR', pathPrefix.slice(1))
        .replaceAll('$R', pathPrefix);
  }
}

/** The combined value of a header as Chromium reads it: every line of that name, joined by ", ". */
export function combined(headers: readonly { name: string; value: string }[], name: string): string | null {
  const values = headers.filter((h) => h.name.toLowerCase() === name.toLowerCase()).map((h) => h.value);
  return values.length === 0 ? null : values.join(', ');
}
