// A throw-away CA and one server certificate naming every host the oracle serves, made by the same code as the demo
// site's (tests/support/certs.mjs). Chromium refuses a `*.localhost` wildcard, so each case host is listed on its
// own (DESIGN.md "Testing notes"), and `::1` too, for endpoints at https://[::1]:PORT.

import { createCertificates, type CertificatePaths } from '../support/certs.mjs';

export type OracleCerts = CertificatePaths;

/** Creates, in `dir`, a CA and a server certificate for 127.0.0.1, ::1, localhost and every name in `hosts`. */
export function makeCertificates(dir: string, hosts: readonly string[]): OracleCerts {
  return createCertificates(dir, {
    days: 2,
    organisation: 'Report Inspector oracle',
    extraNames: ['IP:::1', ...hosts.map((h) => `DNS:${h}`)],
  });
}
