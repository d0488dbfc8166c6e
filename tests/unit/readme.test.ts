// The README documents every diagnostic code and every permission the manifest asks for.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import config from '@/wxt.config';
import { DIAGNOSTIC_CODES } from '@/utils/headers/diagnostics';
import { ROUTE_DIAGNOSTIC_CODES } from '@/utils/tab/routes';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The manifest fields WXT builds for a browser. */
function manifestFor(browser: string): {
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
} {
  const m = config.manifest;
  return typeof m === 'function'
    ? (m as (env: object) => object)({ browser, manifestVersion: 3, mode: 'production', command: 'build' })
    : (m as object);
}

describe('README', () => {
  const codes = [...Object.keys(DIAGNOSTIC_CODES), ...Object.keys(ROUTE_DIAGNOSTIC_CODES)];
  it.each(codes)('lists diagnostic code %s', (code) => {
    expect(readme).toContain(`| \`${code}\` |`);
  });

  it('explains every permission in its permissions table, debugger only as optional', () => {
    const section = readme.slice(
      readme.indexOf('## Permissions'),
      readme.indexOf('\n## ', readme.indexOf('## Permissions') + 5),
    );
    const m = manifestFor('chrome');
    for (const p of m.permissions ?? []) expect(section, `permission ${p}`).toMatch(new RegExp(`\\| \`${p}\``));
    for (const p of m.optional_permissions ?? [])
      expect(section, `optional permission ${p}`).toMatch(new RegExp(`\\| \`${p}\` \\(optional\\)`));
    expect(m.optional_permissions).toContain('debugger');
    expect(m.permissions).not.toContain('debugger');
    expect(manifestFor('firefox').permissions).not.toContain('debugger');
    expect(manifestFor('firefox').optional_permissions ?? []).not.toContain('debugger');
    expect(m.host_permissions).toEqual(['<all_urls>']);
    expect(section).toContain('host access to all sites');
  });

  it('names the two set-up commands', () => {
    expect(readme).toContain('npm start');
    expect(readme).toContain('npm test');
  });
});
