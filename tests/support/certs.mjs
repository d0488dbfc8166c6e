// Throw-away TLS for the demo site: a private CA, a server certificate it signs, and an NSS database that trusts
// the CA. Chromium drops `Report-To` from responses with certificate errors (even ignored ones), so report delivery
// can only be shown with a certificate that Chromium really trusts.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Nickname of the demo CA in the NSS database. */
export const CA_NICKNAME = 'report-inspector-demo-ca';

/** Certificates are valid this long; they are re-created when less than a day is left. */
const VALIDITY_DAYS = 30;

/**
 * @typedef {{ caCert: string; key: string; cert: string }} CertificatePaths
 *   Absolute paths: the CA certificate (PEM), the server's private key (PEM) and the server's certificate (PEM).
 */

/**
 * Runs a command line tool, throwing an Error that says how to install it when it is missing.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string; debianPackage: string }} options
 * @returns {string} the tool's standard output
 */
function run(command, args, { cwd, debianPackage }) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 30_000 });
  if (result.error) {
    if (/** @type {NodeJS.ErrnoException} */ (result.error).code === 'ENOENT') {
      throw new Error(`\`${command}\` was not found. Install it with: sudo apt-get install -y ${debianPackage}`);
    }
    throw new Error(`\`${command} ${args.join(' ')}\` failed: ${result.error.message}`);
  }
  if (result.status !== 0) {
    const output = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim();
    throw new Error(`\`${command} ${args.join(' ')}\` exited with ${result.status}: ${output}`);
  }
  return result.stdout ?? '';
}

/** @param {string} args0 @param {string[]} rest @param {string} [cwd] */
const openssl = (args0, rest, cwd) => run('openssl', [args0, ...rest], { cwd, debianPackage: 'openssl' });

/**
 * @param {string} dir
 * @returns {CertificatePaths}
 */
function pathsIn(dir) {
  return {
    caCert: path.join(dir, 'ca.pem'),
    key: path.join(dir, 'server-key.pem'),
    cert: path.join(dir, 'server.pem'),
  };
}

/**
 * True when every file exists and the server certificate stays valid for at least another day.
 * @param {CertificatePaths} paths
 */
function usable(paths) {
  if (![paths.caCert, paths.key, paths.cert].every((file) => fs.existsSync(file))) return false;
  const check = spawnSync('openssl', ['x509', '-checkend', '86400', '-noout', '-in', paths.cert], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return check.status === 0;
}

/**
 * Creates the CA and the server certificate in `dir`, which must be empty.
 * @param {string} dir
 * @param {{ days?: number; organisation?: string; extraNames?: readonly string[] }} [options] validity, the `O=`
 *   of both subjects, and subjectAltName entries beyond `IP:127.0.0.1, DNS:localhost` (e.g. `IP:::1`, `DNS:a.localhost`)
 */
function generate(dir, { days = VALIDITY_DAYS, organisation = 'Report Inspector demo', extraNames = [] } = {}) {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    [
      '-x509',
      ...ec,
      '-keyout',
      'ca-key.pem',
      '-out',
      'ca.pem',
      '-days',
      String(days),
      '-subj',
      `/O=${organisation}/CN=${organisation} CA (throw-away)`,
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
    'req',
    ['-new', ...ec, '-keyout', 'server-key.pem', '-out', 'server.csr', '-subj', `/O=${organisation}/CN=127.0.0.1`],
    dir,
  );
  fs.writeFileSync(
    path.join(dir, 'server.ext'),
    [
      'basicConstraints = critical, CA:FALSE',
      'keyUsage = critical, digitalSignature', // an ECDSA key signs and never enciphers
      'extendedKeyUsage = serverAuth',
      `subjectAltName = ${['IP:127.0.0.1', 'DNS:localhost', ...new Set(extraNames)].join(', ')}`,
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid, issuer',
      '',
    ].join('\n'),
  );
  openssl(
    'x509',
    [
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
      String(days),
      '-sha256',
      '-extfile',
      'server.ext',
      '-out',
      'server.pem',
    ],
    dir,
  );
  fs.rmSync(path.join(dir, 'server.csr'), { force: true });
}

/**
 * Creates, in the empty or missing directory `dir`, a fresh throw-away CA and a server certificate it signs for
 * `127.0.0.1`, `localhost` and `options.extraNames` (the Chromium oracle lists every case host: Chromium refuses a
 * `*.localhost` wildcard).
 * @param {string} dir
 * @param {{ days?: number; organisation?: string; extraNames?: readonly string[] }} [options]
 * @returns {CertificatePaths}
 */
export function createCertificates(dir, options) {
  fs.mkdirSync(dir, { recursive: true });
  generate(dir, options);
  return pathsIn(path.resolve(dir));
}

/**
 * Creates (once per directory; reused while valid) a throw-away CA and a server certificate for `127.0.0.1` and
 * `localhost` signed by it, with the `openssl` command line tool.
 * @param {string} dir directory to keep them in; created when missing
 * @returns {CertificatePaths}
 */
export function ensureCertificates(dir) {
  const target = path.resolve(dir);
  const paths = pathsIn(target);
  if (usable(paths)) return paths;

  // Generate beside the target and rename the whole directory into place, so that two processes starting at the
  // same time (a test worker and `npm start`) never see half-written files.
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(`${target}.staging-`);
  try {
    generate(staging);
    if (fs.existsSync(target)) {
      if (usable(paths)) return paths; // another process won the race
      fs.rmSync(target, { recursive: true, force: true });
    }
    try {
      fs.renameSync(staging, target);
    } catch (error) {
      // Another process renamed its own directory into place first: use that one.
      if (!usable(paths)) throw error;
    }
    return paths;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Makes Chromium started with `HOME=homeDir` trust the CA: creates the NSS database `homeDir/.pki/nssdb` (empty
 * password) when missing and adds the CA certificate to it, with `certutil` (Debian's libnss3-tools).
 * @param {string} homeDir private home directory for the browser
 * @param {string} caCertPath CA certificate (PEM)
 * @returns {string} the NSS database directory
 */
export function trustCa(homeDir, caCertPath) {
  const nssdb = path.join(path.resolve(homeDir), '.pki', 'nssdb');
  const db = `sql:${nssdb}`;
  const certutil = (/** @type {string[]} */ args) => run('certutil', args, { debianPackage: 'libnss3-tools' });
  fs.mkdirSync(nssdb, { recursive: true, mode: 0o700 });
  if (!fs.existsSync(path.join(nssdb, 'cert9.db'))) {
    certutil(['-N', '-d', db, '--empty-password']);
  }
  // Replace a CA left over from earlier certificates of the same name.
  const listed = spawnSync('certutil', ['-L', '-d', db, '-n', CA_NICKNAME], { encoding: 'utf8', timeout: 30_000 });
  if (listed.status === 0) certutil(['-D', '-d', db, '-n', CA_NICKNAME]);
  certutil(['-A', '-d', db, '-t', 'C,,', '-n', CA_NICKNAME, '-i', path.resolve(caCertPath)]);
  return nssdb;
}
