/**
 * The one registrable-domain rule, from the Public Suffix List (`tldts`, private registries included), as
 * Chromium applies it to `Report-To` groups and NEL policies with `include_subdomains`.
 */
import { getPublicSuffix, parse } from 'tldts';

/**
 * True when Chromium accepts `include_subdomains` from this host: its registry length is not 0.
 *
 * Chromium: net/reporting/reporting_header_parser.cc ProcessEndpointGroup and
 * net/network_error_logging/network_error_logging_service.cc DoOnHeader both refuse the group/policy when
 * `registry_controlled_domains::GetRegistryLength(origin.GetURL(), INCLUDE_UNKNOWN_REGISTRIES,
 * INCLUDE_PRIVATE_REGISTRIES) == 0`. In net/base/registry_controlled_domains/registry_controlled_domain.cc the
 * GURL overload has no IP-address check: a host with no rule in the list counts its last label as an unknown
 * registry, so `127.0.0.1` and `c1.localhost` pass, while a single label (`localhost`, `[::1]`, any IPv6 literal)
 * and a host that is itself a public suffix (`github.io`, `co.uk`) give 0 and are refused.
 */
export function hasRegistrableDomain(hostname: string): boolean {
  let host = hostname.toLowerCase();
  // GetRegistryLengthImpl skips leading dots and ignores one trailing dot.
  let from = 0;
  while (host[from] === '.') from++;
  host = host.slice(from);
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host === '' || host.startsWith('[')) return false;
  if (!host.includes('.')) return false;
  if (parse(host, { allowPrivateDomains: true, extractHostname: false, validateHostname: false }).isIp) return true;
  const suffix = getPublicSuffix(host, { allowPrivateDomains: true, extractHostname: false, validateHostname: false });
  // tldts answers the last label for hosts without a rule (Chromium's unknown registry), so the host has a
  // registrable domain exactly when it is longer than its public suffix.
  return suffix !== null && suffix !== host;
}

/** The opposite of {@link hasRegistrableDomain}: Chromium refuses `include_subdomains` from this host. */
export function hasNoRegistrableDomain(hostname: string): boolean {
  return !hasRegistrableDomain(hostname);
}
