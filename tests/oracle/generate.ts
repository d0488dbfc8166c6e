// A seeded generator of Report-To and Reporting-Endpoints cases: valid values and mutations of every part
// (whitespace, key case, escapes, numbers, nesting, duplicates, URL forms, repeated headers, header sequences).
// The same seed always gives the same cases.

import type { CaseResponse, HostKind, OracleCase } from './cases';
// mulberry32, the bench's seeded generator: small, fast, and the same on every platform.
import { seededRandom } from '../../bench/stats.mjs';

type Rand = () => number;
const pick = <T>(r: Rand, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const chance = (r: Rand, p: number) => r() < p;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

/** JSON number literals, valid and not, that Report-To's max_age / priority / weight might carry. */
export const NUMBER_FORMS = [
  '0',
  '1',
  '2',
  '10',
  '-0',
  '-0.0',
  '0.0',
  '1800.0',
  '1e3',
  '1E3',
  '1e+3',
  '1e-5',
  '1.5',
  '-1',
  '2147483647',
  '2147483648',
  '4294967296',
  '1e309',
  '-1e400',
  '1e308',
  '01',
  '+1',
  '.5',
  '1.',
  '0x10',
  '"1"',
  'true',
  'null',
  'Infinity',
  'NaN',
  '[1]',
] as const;

/**
 * Endpoint URL forms (placeholders as in cases.ts; `$RR` is `$R` without its leading slash). Each is tried beside a
 * valid control endpoint, so what Chromium does with it shows either way.
 */
export const URL_FORMS = [
  '$R/u',
  '\\/r\\/$ID\\/u',
  '//$HOST$R/u',
  '$RR/u',
  'https://$HOST$R/u',
  'HTTPS://$HOST$R/u',
  'https://$XHOST$R/u',
  'http://$HOST$R/u',
  'http://$LOCALHOST$R/u',
  'wss://$HOST$R/u',
  'ws://$HOST$R/u',
  'https://$IPHOST$R/u',
  'https://$LOCALHOST$R/u',
  'https://[::1]:$PORT$R/u',
  '$R/a|b',
  '$R/a^b',
  '$R/a b',
  '$R/a%20b',
  '$R/a<b>',
  '$R/a{b}',
  '$R/a`b',
  '$R/u#frag',
  '$R/u?q=1&r=|',
  'https://user:pw@$HOST$R/u',
  '$R/./u',
  '$R/x/../u',
  '$R/%zz',
  '$R/\\u00e9',
  '$R/\\u0041',
  ' $R/u',
  '$R/u ',
  '',
  'https://$HOST:$PORT$R/u',
  'https://C$SLOT.LOCALHOST:$PORT$R/u',
  'https://$HOST$R/u\\\\v',
  '$R\\\\u',
  'https://$HOST$R/%7C',
  'https://$HOST/$RR/%2e/u',
  'https://$HOST$R/u;p',
  'mailto:$R',
  'https:$R/u',
  '/\\t$R/u',
] as const;

function ws(r: Rand): string {
  if (!chance(r, 0.25)) return '';
  return pick(r, [' ', '  ', '\t', ' \t ']);
}

/** A JSON string literal for `s` (plain JSON escaping), or with a mutation of its escapes. */
function str(s: string, r: Rand, mutate = false): string {
  const plain = JSON.stringify(s);
  if (!mutate) return plain;
  const inner = plain.slice(1, -1);
  const form = pick(r, [
    'solidus',
    'unicode-all',
    'unicode-first',
    'lone-high',
    'lone-low',
    'pair',
    'bad-escape',
    'raw-tab',
    'sq-escape',
    'upper-u',
  ]);
  switch (form) {
    case 'solidus':
      return `"${inner.replaceAll('/', '\\/')}"`;
    case 'unicode-all':
      return `"${[...s].map((ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`;
    case 'unicode-first':
      return s.length === 0
        ? '"\\u0000"'
        : `"\\u${s.charCodeAt(0).toString(16).padStart(4, '0')}${JSON.stringify(s.slice(1)).slice(1, -1)}"`;
    case 'lone-high':
      return `"${inner}\\ud800"`;
    case 'lone-low':
      return `"${inner}\\udc00"`;
    case 'pair':
      return `"${inner}\\ud83d\\ude00"`;
    case 'bad-escape':
      return `"${inner}\\x41"`;
    case 'raw-tab':
      return `"${inner}\t"`;
    case 'sq-escape':
      return `"${inner}\\'"`;
    default:
      return `"${inner}\\U0041"`;
  }
}

const KEY_CASES = (k: string) => [k.toUpperCase(), k[0]!.toUpperCase() + k.slice(1), k.replace('_', '-')];

interface Ep {
  url: string;
  priority?: string;
  weight?: string;
  extra?: string;
}
interface Group {
  name?: string; // raw JSON literal; undefined = no member
  maxAge?: string;
  includeSubdomains?: string;
  endpoints?: Ep[] | string; // a raw literal when not an array of endpoints
  extra?: string; // raw members appended
}

interface Style {
  r: Rand;
  mutateKey?: string; // the key whose case changes
  escapeIn?: 'group' | 'url';
}

function key(k: string, st: Style): string {
  const name = st.mutateKey === k ? pick(st.r, KEY_CASES(k)) : k;
  return `${ws(st.r)}"${name}"${ws(st.r)}:${ws(st.r)}`;
}

function endpointJson(e: Ep, st: Style): string {
  const parts = [`${key('url', st)}${e.url.startsWith('"') ? e.url : `"${e.url}"`}`];
  if (e.priority !== undefined) parts.push(`${key('priority', st)}${e.priority}`);
  if (e.weight !== undefined) parts.push(`${key('weight', st)}${e.weight}`);
  if (e.extra) parts.push(e.extra);
  return `{${parts.join(',')}${ws(st.r)}}`;
}

function groupJson(g: Group, st: Style): string {
  const parts: string[] = [];
  if (g.name !== undefined) parts.push(`${key('group', st)}${g.name}`);
  if (g.maxAge !== undefined) parts.push(`${key('max_age', st)}${g.maxAge}`);
  if (g.includeSubdomains !== undefined) parts.push(`${key('include_subdomains', st)}${g.includeSubdomains}`);
  if (g.endpoints !== undefined) {
    const eps =
      typeof g.endpoints === 'string'
        ? g.endpoints
        : `[${g.endpoints.map((e) => ws(st.r) + endpointJson(e, st)).join(',')}${ws(st.r)}]`;
    parts.push(`${key('endpoints', st)}${eps}`);
  }
  if (g.extra) parts.push(g.extra);
  // Member order varies too: Chromium reads members by name.
  if (chance(st.r, 0.3)) parts.reverse();
  return `${ws(st.r)}{${parts.join(',')}${ws(st.r)}}${ws(st.r)}`;
}

const GROUP_NAMES = ['g', 'default', 'csp-endpoint', 'main_group', 'a.b', 'x1'];

function endpoints(r: Rand, n: number, tag = 'e'): Ep[] {
  return Array.from({ length: n }, (_, i) => ({
    url: `$R/${tag}${i}`,
    ...(chance(r, 0.6) ? { priority: String(int(r, 0, 3)) } : {}),
    ...(chance(r, 0.4) ? { weight: String(int(r, 0, 3)) } : {}),
  }));
}

function nested(depth: number): string {
  let v = '1';
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? `[${v}]` : `{"k":${v}}`;
  return v;
}

function rt(id: string, note: string, value: string | string[], group = 'g', host: HostKind = 'case'): OracleCase {
  const headers = (Array.isArray(value) ? value : [value]).map((v) => ({ name: 'Report-To', value: v }));
  return { id, kind: 'report-to', note, group, responses: [{ host, headers }] };
}

function re(id: string, note: string, value: string | string[]): OracleCase {
  const headers = (Array.isArray(value) ? value : [value]).map((v) => ({ name: 'Reporting-Endpoints', value: v }));
  return { id, kind: 'reporting-endpoints', note, responses: [{ host: 'case', headers }] };
}

/** One generated Report-To case. */
function reportToCase(id: string, r: Rand): OracleCase {
  const st: Style = { r };
  const name = pick(r, GROUP_NAMES);
  const base = (): Group => ({
    name: str(name, r),
    maxAge: String(pick(r, [60, 86400, 10886400])),
    endpoints: endpoints(r, int(r, 1, 3)),
  });
  const family = pick(r, [
    'valid',
    'number',
    'key-case',
    'escape',
    'nesting',
    'duplicates',
    'url',
    'shape',
    'repeated',
    'sequence',
    'subdomains',
    'members',
  ]);
  const g = base();
  switch (family) {
    case 'valid': {
      if (chance(r, 0.5)) g.endpoints = endpoints(r, int(r, 2, 5));
      const groups = [g, ...(chance(r, 0.4) ? [{ ...base(), name: str('other', r) }] : [])];
      return rt(id, 'valid', groups.map((x) => groupJson(x, st)).join(','), name);
    }
    case 'number': {
      const where = pick(r, ['max_age', 'priority', 'weight'] as const);
      const n = pick(r, NUMBER_FORMS);
      const eps = g.endpoints as Ep[];
      if (where === 'max_age') g.maxAge = n;
      else {
        eps[0]![where] = n;
        eps.push({ url: '$R/control', priority: '5' });
      }
      return rt(id, `${where}: ${n}`, groupJson(g, st), name);
    }
    case 'key-case': {
      st.mutateKey = pick(r, ['group', 'max_age', 'endpoints', 'url', 'priority', 'weight', 'include_subdomains']);
      (g.endpoints as Ep[]).forEach((e) => ((e.priority = '1'), (e.weight = '1')));
      g.includeSubdomains = 'false';
      return rt(id, `key case: ${st.mutateKey}`, groupJson(g, st), name);
    }
    case 'escape': {
      if (chance(r, 0.5)) {
        g.name = str(name, r, true);
        return rt(id, `escape in group name ${g.name}`, groupJson(g, st), name);
      }
      const eps = g.endpoints as Ep[];
      eps[0]!.url = str('$R/esc', r, true);
      eps.push({ url: '$R/control', priority: '9' });
      return rt(id, `escape in url ${eps[0]!.url}`, groupJson(g, st), name);
    }
    case 'nesting': {
      const depth = int(r, 1, 6);
      const where = pick(r, ['group', 'endpoint']);
      if (where === 'group') g.extra = `"extra":${nested(depth)}`;
      else (g.endpoints as Ep[])[0]!.extra = `"extra":${nested(depth)}`;
      return rt(id, `nesting: ${depth} containers in ${where}`, groupJson(g, st), name);
    }
    case 'duplicates': {
      const form = pick(r, [
        'url-in-group',
        'url-across-groups',
        'group-merged',
        'key-max_age',
        'key-group',
        'key-endpoints',
        'key-url',
        'key-priority',
      ]);
      const eps = g.endpoints as Ep[];
      if (form === 'url-in-group') {
        eps.unshift({ url: eps[0]!.url, priority: String(int(r, 0, 4)), weight: String(int(r, 0, 3)) });
        eps.push({ url: '$R/control', priority: '2' });
        return rt(id, 'duplicate URL in a group', groupJson(g, st), name);
      }
      if (form === 'url-across-groups' || form === 'group-merged') {
        const other: Group = { ...base(), name: str(name, r) };
        if (form === 'url-across-groups') (other.endpoints as Ep[])[0]!.url = eps[0]!.url;
        return rt(id, `same-named groups (${form})`, `${groupJson(g, st)},${groupJson(other, st)}`, name);
      }
      if (form === 'key-max_age') g.extra = `"max_age":${pick(r, ['0', '5', '-1', '"x"'])}`;
      if (form === 'key-group') g.extra = `"group":${str(pick(r, ['other', name]), r)}`;
      if (form === 'key-endpoints') g.extra = `"endpoints":[{"url":"$R/second"}]`;
      if (form === 'key-url') eps[0]!.extra = `"url":"$R/second"`;
      if (form === 'key-priority') {
        eps[0]!.extra = `"priority":${pick(r, ['0', '7', '-1'])}`;
        eps.push({ url: '$R/control', priority: '3' });
      }
      return rt(id, `duplicate key (${form})`, groupJson(g, st), name);
    }
    case 'url': {
      const form = pick(r, URL_FORMS);
      const value = `{"group":"${name}","max_age":100,"endpoints":[{"url":"${form}","priority":1},{"url":"$R/control","priority":2}]}`;
      return rt(id, `url form ${JSON.stringify(form)}`, value, name);
    }
    case 'shape': {
      const one = groupJson(g, st);
      const form = pick(r, [
        `[]`,
        `null`,
        `1`,
        `"x"`,
        `{}`,
        `[${one}]`,
        `${one},`,
        `,${one}`,
        `${one},null`,
        `${one},[]`,
        `${one} ${one}`,
        `${one},{}`,
        `${one}]`,
        `[${one}`,
        `{${one}}`,
        `${one}}`,
        `${one},{"group":"${name}","max_age":5,"endpoints":[]}`,
        `${one}//c`,
        `{"group":"${name}","max_age":100,"endpoints":{"url":"$R/obj"}}`,
        `{"group":"${name}","max_age":100,"endpoints":["$R/str"]}`,
        `{"group":"${name}","max_age":100,"endpoints":[{"url":1},{"url":"$R/ok"}]}`,
        `{"group":"${name}","max_age":100,"endpoints":[[],{"url":"$R/ok"}]}`,
        `{"group":${pick(r, ['1', 'null', 'true', '""', '["g"]'])},"max_age":100,"endpoints":[{"url":"$R/n"}]}`,
      ]);
      return rt(id, `shape ${form.slice(0, 40)}`, form, name);
    }
    case 'repeated': {
      const second: Group = { ...base(), name: str(chance(r, 0.5) ? name : 'other', r) };
      const bad = pick(r, ['', 'x', '[]', '{', groupJson(second, st)]);
      return rt(id, `repeated header, second line ${JSON.stringify(bad.slice(0, 30))}`, [groupJson(g, st), bad], name);
    }
    case 'sequence': {
      const later = pick(r, [
        { v: '', n: 'empty' },
        { v: ' ', n: 'space' },
        { v: '\t', n: 'tab' },
        { v: '[]', n: '[]' },
        { v: 'null', n: 'null' },
        { v: '{}', n: '{}' },
        { v: '{', n: 'invalid JSON' },
        { v: `{"group":"${name}","max_age":0,"endpoints":[]}`, n: 'max_age 0' },
        { v: `{"group":"${name}","max_age":0}`, n: 'max_age 0 without endpoints' },
        { v: `{"group":"other","max_age":100,"endpoints":[{"url":"$R/other"}]}`, n: 'another group' },
        { v: `{"group":"${name}","max_age":100,"endpoints":[{"url":"$R/newer"}]}`, n: 'same group, new endpoint' },
        {
          v: `{"group":"${name}","max_age":100,"endpoints":[{"url":"$R/pad","x":"${'a'.repeat(16 * 1024)}"}]}`,
          n: 'over 16 KiB',
        },
        {
          v: `{"group":"${name}","max_age":100,"endpoints":[{"url":"$R/pad","x":"${'a'.repeat(16 * 1024 - 90)}"}]}`,
          n: 'just under 16 KiB',
        },
        { v: null, n: 'no header' },
      ]);
      const first: CaseResponse = { host: 'case', headers: [{ name: 'Report-To', value: groupJson(g, st) }] };
      const doc: CaseResponse = {
        host: 'case',
        headers: later.v === null ? [] : [{ name: 'Report-To', value: later.v }],
      };
      return { id, kind: 'report-to', note: `later response: ${later.n}`, group: name, responses: [first, doc] };
    }
    case 'subdomains': {
      g.includeSubdomains = pick(r, ['true', 'false', '"true"', '1', 'null', 'TRUE']);
      const docHost = pick(r, ['sub', 'deep', 'case'] as const);
      const first: CaseResponse = { host: 'case', headers: [{ name: 'Report-To', value: groupJson(g, st) }] };
      const own = chance(r, 0.3)
        ? [{ name: 'Report-To', value: `{"group":"own","max_age":100,"endpoints":[{"url":"$R/own"}]}` }]
        : [];
      return {
        id,
        kind: 'report-to',
        note: `include_subdomains: ${g.includeSubdomains}, document on ${docHost}`,
        group: name,
        responses: [first, { host: docHost, headers: own }],
      };
    }
    default: {
      const form = pick(r, [
        'no-max_age',
        'no-endpoints',
        'no-group',
        'empty-group',
        'empty-endpoints',
        'unknown',
        'url-missing',
        'many',
      ]);
      if (form === 'no-max_age') delete g.maxAge;
      if (form === 'no-endpoints') delete g.endpoints;
      if (form === 'no-group') delete g.name;
      if (form === 'empty-group') g.name = '""';
      if (form === 'empty-endpoints') g.endpoints = '[]';
      if (form === 'unknown') g.extra = `"url":"$R/misplaced","report_to":"x"`;
      if (form === 'url-missing') {
        (g.endpoints as Ep[]).unshift({ url: '$R/x', extra: '"href":"$R/y"' });
        (g.endpoints as Ep[])[0]!.url = '"__drop__"';
      }
      if (form === 'many') g.endpoints = endpoints(r, 45, 'm');
      let value = groupJson(g, st);
      if (form === 'url-missing') value = value.replace('"url":"__drop__",', '').replace('"url" : "__drop__",', '');
      const group = form === 'no-group' ? 'default' : form === 'empty-group' ? 'default' : name;
      return rt(id, `members: ${form}`, value, group);
    }
  }
}

const SF_KEYS = ['a', 'default', 'csp-endpoint', 'x_y', 'a.b', 'a*', 'z9'];

/** One generated Reporting-Endpoints case. */
function reportingEndpointsCase(id: string, r: Rand): OracleCase {
  const n = int(r, 1, 3);
  const keys = [...SF_KEYS].sort(() => r() - 0.5).slice(0, n);
  const member = (k: string, i: number) => `${k}="$R/m${i}"`;
  const sep = () => pick(r, [', ', ',', ',  ', ',\t', ' , ']);
  const family = pick(r, [
    'valid',
    'whitespace',
    'key',
    'non-string',
    'params',
    'duplicates',
    'escape',
    'url',
    'repeated',
    'shape',
    'many',
  ]);
  const members = keys.map(member);
  switch (family) {
    case 'valid':
      return re(id, 'valid', members.join(sep()));
    case 'whitespace': {
      const form = pick(r, [
        'a = "$R/x"',
        'a= "$R/x"',
        'a ="$R/x"',
        ' a="$R/x" ',
        'a="$R/x"\t',
        'a="$R/x" ,b="$R/y"',
        'a="$R/x",\t\tb="$R/y"',
        'a="$R/x";  p',
        'a="$R/x"; p',
      ]);
      return re(id, `whitespace ${JSON.stringify(form)}`, form);
    }
    case 'key': {
      const k = pick(r, ['A', 'Default', 'aB', '1a', '_a', '*a', 'a-b', 'a%b', '-a', 'a b', 'é']);
      return re(id, `key ${k}`, `${k}="$R/k", ok="$R/ok"`);
    }
    case 'non-string': {
      const v = pick(r, ['tok', '1', '1.5', '?1', '?0', ':aGk=:', '("$R/x")', '@1', '%"x"', '', '"$R/x" "y"']);
      const form = v === '' ? 'a' : `a=${v}`;
      return re(id, `non-string member ${form}`, chance(r, 0.5) ? `${form}, ok="$R/ok"` : `ok="$R/ok", ${form}`);
    }
    case 'params':
      return re(id, 'parameters', `a="$R/p";${pick(r, ['p=1', 'p', 'p="x"', 'P=1', 'p=1;q=2'])}, ok="$R/ok"`);
    case 'duplicates': {
      const form = pick(r, [
        'a="$R/first", a="$R/second"',
        'a="$R/same", b="$R/same"',
        'a="$R/first", b="$R/b", a="$R/third"',
        'a="$R/x", a=1',
      ]);
      return re(id, `duplicates ${form}`, form);
    }
    case 'escape': {
      const v = pick(r, ['$R/a\\"b', '$R/a\\\\b', '$R/a\\xb', '$R/a\\/b', '$R/\\u0041']);
      return re(id, `escape ${v}`, `a="${v}", ok="$R/ok"`);
    }
    case 'url': {
      const form = pick(r, URL_FORMS).replaceAll('\\\\', '\\').replaceAll('\\/', '/');
      return re(id, `url form ${JSON.stringify(form)}`, `a="${form.replaceAll('"', '\\"')}", ok="$R/ok"`);
    }
    case 'repeated': {
      const second = pick(r, ['b="$R/b"', 'a="$R/again"', 'A="$R/bad"', '', 'b=1']);
      return re(id, `repeated header, second line ${JSON.stringify(second)}`, [members.join(', '), second]);
    }
    case 'shape': {
      const form = pick(r, [
        ',a="$R/x"',
        'a="$R/x",',
        'a="$R/x",,b="$R/y"',
        '"$R/x"',
        'a',
        'a="$R/x" b="$R/y"',
        '=',
        ' ',
      ]);
      return re(id, `shape ${JSON.stringify(form)}`, form);
    }
    default: {
      const count = pick(r, [39, 40, 41, 64]);
      return re(id, `${count} members`, Array.from({ length: count }, (_, i) => `e${i}="$R/e${i}"`).join(', '));
    }
  }
}

/** `count` cases from `seed`: about two thirds Report-To, one third Reporting-Endpoints. */
export function generateCases(seed: number, count: number): OracleCase[] {
  const r = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const id = `g${seed}-${String(i).padStart(4, '0')}`;
    const c = chance(r, 0.65) ? reportToCase(id, r) : reportingEndpointsCase(id, r);
    return c;
  });
}
