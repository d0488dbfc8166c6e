// The oracle's local HTTPS server: serves each case's responses with exactly the generated headers, and records which
// URL receives which report. Every collector answers 500, so Chromium goes on to a group's next endpoint in priority
// order (net/reporting/reporting_delivery_agent.cc: a failed upload puts the endpoint in backoff, and the report is
// retried on the next delivery tick with another endpoint of its group). Loopback only.

import https from 'node:https';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { OracleCerts } from './tls';

/** One response as the server sends it: header lines in order (a name may repeat), and an HTML body. */
export interface ServedResponse {
  headers: { name: string; value: string }[];
  body: string;
}

/** One report upload the collector received. */
export interface Upload {
  at: number;
  /** `https://host:port/path` exactly as Chromium requested it. */
  url: string;
  reports: { type?: string; url?: string; body?: Record<string, unknown> }[];
}

export interface OracleServer {
  port: number;
  /** Serves `response` at `path` (any host). */
  serve(path: string, response: ServedResponse): void;
  /** Uploads whose path starts with `prefix`, oldest first. */
  uploads(prefix: string): Upload[];
  /** Opens one more port served by the same handler (a fresh origin on a shared host). */
  extraPort(): Promise<number>;
  close(): Promise<void>;
}

const MAX_BODY = 256 * 1024;

/** Starts the server on a random loopback port. */
export async function startOracleServer(certs: OracleCerts): Promise<OracleServer> {
  const pages = new Map<string, ServedResponse>();
  const uploads: Upload[] = [];
  const servers: https.Server[] = [];
  const options = { key: fs.readFileSync(certs.key), cert: fs.readFileSync(certs.cert) };

  const handler: Parameters<typeof https.createServer>[1] = (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'OPTIONS') {
      // Cross-origin uploads are preceded by a CORS preflight (net/reporting/reporting_uploader.cc).
      res.writeHead(204, {
        'access-control-allow-origin': req.headers.origin ?? '*',
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type',
        'access-control-max-age': '0',
      });
      res.end();
      return;
    }
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_BODY) chunks.push(c);
      });
      req.on('end', () => {
        let reports: Upload['reports'] = [];
        try {
          const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          if (Array.isArray(parsed)) reports = parsed as Upload['reports'];
        } catch {
          /* not JSON: recorded with no reports */
        }
        uploads.push({ at: Date.now(), url: `https://${req.headers.host ?? ''}${req.url ?? '/'}`, reports });
        res.writeHead(500, { 'access-control-allow-origin': req.headers.origin ?? '*' });
        res.end();
      });
      return;
    }
    const page = pages.get(path);
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.statusCode = 200;
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    // Repeated header lines stay repeated (Chromium joins them with ", ").
    const byName = new Map<string, string[]>();
    for (const h of page.headers) byName.set(h.name, [...(byName.get(h.name) ?? []), h.value]);
    for (const [name, values] of byName) res.setHeader(name, values.length === 1 ? values[0]! : values);
    res.end(page.body);
  };

  const listen = async (): Promise<number> => {
    const server = https.createServer(options, handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    // The same port on IPv6 loopback, so endpoints at https://[::1]:PORT/ are reachable too (when it is free).
    const v6 = https.createServer(options, handler);
    await new Promise<void>((resolve) => {
      v6.once('error', () => resolve());
      v6.listen(port, '::1', () => {
        servers.push(v6);
        resolve();
      });
    });
    return port;
  };
  const port = await listen();

  return {
    port,
    serve: (path, response) => void pages.set(path, response),
    uploads: (prefix) => uploads.filter((u) => new URL(u.url).pathname.startsWith(prefix)),
    extraPort: listen,
    close: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      );
    },
  };
}
