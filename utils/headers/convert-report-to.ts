/**
 * Converts `Report-To` groups into the equivalent `Reporting-Endpoints` header value (RFC 9651 dictionary of
 * name → URL string), and says what the conversion loses. Pure.
 *
 * Reporting-Endpoints has one URL per name, no failover, no weights, no `include_subdomains` and no `max_age`
 * (it lives exactly as long as the document): https://w3c.github.io/reporting/#header
 */
import { serializeDictionary } from 'structured-headers';
import type { ReportToEndpoint, ReportToGroup, RouteReference } from './types';

export interface MigrationEntry {
  /** The `Reporting-Endpoints` key (a structured-field key: lowercase). */
  name: string;
  /** The group's name as written in `Report-To`. */
  group: string;
  url: string;
}

export interface Migration {
  /** The header value, e.g. `default="https://r.example/a", csp="https://r.example/csp"`; empty when nothing converts. */
  header: string;
  entries: MigrationEntry[];
  /** What the conversion loses or changes, one sentence each. */
  notes: string[];
}

/** RFC 9651 §3.2 key: lcalpha or `*`, then lcalpha, digits, `_`, `-`, `.`, `*`. */
const SF_KEY = /^[a-z*][a-z0-9_\-.*]*$/;

function toKey(name: string): string {
  let key = name.toLowerCase().replace(/[^a-z0-9_\-.*]/g, '-');
  if (!/^[a-z*]/.test(key)) key = `g-${key}`;
  return key;
}

/** The endpoint Chromium tries first: lowest priority, then highest weight, then the first listed. */
export function preferredEndpoint(endpoints: readonly ReportToEndpoint[]): ReportToEndpoint | null {
  let best: ReportToEndpoint | null = null;
  for (const e of endpoints) {
    if (!best || e.priority < best.priority || (e.priority === best.priority && e.weight > best.weight)) best = e;
  }
  return best;
}

/**
 * The `Reporting-Endpoints` value equivalent to these groups. `references` (optional) lets the notes name
 * headers that must change with a renamed group, and NEL policies, which only ever use `Report-To` groups.
 */
export function migrateToReportingEndpoints(
  groups: readonly ReportToGroup[],
  references: readonly RouteReference[] = [],
): Migration {
  const entries: MigrationEntry[] = [];
  const notes: string[] = [];
  const used = new Set<string>();
  let subdomains = false;

  for (const group of groups) {
    const primary = preferredEndpoint(group.endpoints);
    if (!primary) {
      notes.push(`Group "${group.name}" has no endpoint and is left out.`);
      continue;
    }
    let key = SF_KEY.test(group.name) ? group.name : toKey(group.name);
    if (used.has(key)) {
      let i = 2;
      while (used.has(`${key}-${i}`)) i++;
      key = `${key}-${i}`;
    }
    used.add(key);
    let url = primary.url;
    try {
      url = new URL(primary.url).href; // percent-encodes: sf-strings are printable ASCII only
    } catch {
      /* kept as written; the serializer rejects it below if it cannot be a string */
    }
    entries.push({ name: key, group: group.name, url });

    if (key !== group.name) {
      const users = references.filter((r) => r.endpointName === group.name && r.namespace !== 'groups-only');
      const where = users.length ? ` (${[...new Set(users.map((r) => r.header))].join(', ')})` : '';
      notes.push(
        `Group "${group.name}" becomes "${key}": Reporting-Endpoints names are lowercase structured-field keys; update the headers that name it${where}.`,
      );
    }
    if (group.endpoints.length > 1) {
      const others = group.endpoints.filter((e) => e !== primary).map((e) => e.url);
      // Failover between priority tiers; load balancing (by weight) between endpoints of the same tier.
      const tiers = new Set(group.endpoints.map((e) => e.priority)).size > 1;
      const shared =
        group.endpoints.some((e) => e !== primary && e.priority === primary.priority) ||
        group.endpoints.length > new Set(group.endpoints.map((e) => e.priority)).size;
      const lost = [tiers ? 'failover' : '', shared ? 'weighted load balancing' : ''].filter(Boolean).join(' and ');
      notes.push(
        `Group "${group.name}" has ${group.endpoints.length} endpoints: kept ${primary.url} (priority ${primary.priority}, weight ${primary.weight}); Reporting-Endpoints holds one URL per name, so ${lost} to ${others.join(', ')} is lost.`,
      );
    }
    if (group.includeSubdomains) subdomains = true;
    const nel = references.filter((r) => r.endpointName === group.name && r.reportType === 'network-error');
    if (nel.length) {
      notes.push(
        `NEL names "${group.name}": NEL reports only go to Report-To groups, so keep the Report-To header for that group.`,
      );
    }
  }

  if (subdomains) {
    notes.push('include_subdomains is lost: Reporting-Endpoints applies to the document that sends it only.');
  }
  if (entries.length) {
    notes.push(
      'max_age is lost: Reporting-Endpoints lasts as long as the document, so every document that should report must send it.',
    );
  }

  let header = '';
  const dict: Record<string, string> = {};
  for (const e of entries) dict[e.name] = e.url;
  try {
    header = serializeDictionary(dict);
  } catch (e) {
    notes.push(`Cannot serialise the header: ${e instanceof Error ? e.message : String(e)}.`);
  }
  return { header, entries, notes };
}
