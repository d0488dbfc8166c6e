// A throw-away CA and one server certificate naming every host the oracle serves. Chromium refuses a `*.localhost`
// wildcard, so each case host is listed on its own (DESIGN.md "Testing notes").

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface OracleCerts {
  caCert: string;
  key: string;
  cert: string;
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw new Error(`openssl failed: ${r.error.message} (Debian: apt-get install openssl)`);
  if (r.status !== 0) throw new Error(`openssl ${args[0]} exited with ${r.status}: ${r.stderr}`);
}

/** Creates, in `dir`, a CA and a server certificate for 127.0.0.1, ::1, localhost and every name in `hosts`. */
export function makeCertificates(dir: string, hosts: readonly string[]): OracleCerts {
  fs.mkdirSync(dir, { recursive: true });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca-key.pem',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/O=Report Inspector oracle/CN=Report Inspector oracle CA (throw-away)',
      '-addext',
      'basicConstraints=critical,CA:TRUE,pathlen:0',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-addext',
      'subjectKeyIdentifier=hash',
    ],
    dir,
  );
  openssl(
    [
      'req',
      '-new',
      ...ec,
      '-keyout',
      'server-key.pem',
      '-out',
      'server.csr',
      '-subj',
      '/O=Report Inspector oracle/CN=localhost',
    ],
    dir,
  );
  const san = ['IP:127.0.0.1', 'IP:::1', 'DNS:localhost', ...[...new Set(hosts)].map((h) => `DNS:${h}`)].join(', ');
  fs.writeFileSync(
    path.join(dir, 'server.ext'),
    [
      'basicConstraints = critical, CA:FALSE',
      'keyUsage = critical, digitalSignature',
      'extendedKeyUsage = serverAuth',
      `subjectAltName = ${san}`,
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid, issuer',
      '',
    ].join('\n'),
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
      '-set_serial',
      `0x${randomBytes(16).toString('hex')}`,
      '-days',
      '2',
      '-sha256',
      '-extfile',
      'server.ext',
      '-out',
      'server.pem',
    ],
    dir,
  );
  return {
    caCert: path.join(dir, 'ca.pem'),
    key: path.join(dir, 'server-key.pem'),
    cert: path.join(dir, 'server.pem'),
  };
}
