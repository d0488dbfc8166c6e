import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { luhn, scrub, scrubValue } from '@/utils/page/scrub';

describe('scrub', () => {
  test.each([
    ['mail jane.doe+shop@example.co.uk now', 'mail [email] now'],
    ['from <ops@mail-1.example.org>', 'from <[email]>'],
    ['https://x.example/login?user=jane@example.com', 'https://x.example/login?user=[email]'],
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc-_~+/def==', 'Authorization: Bearer [token]'],
    ['bearer abc123def456', 'bearer [token]'],
    ['paid with 4111 1111 1111 1111.', 'paid with [card].'],
    ['card 4111-1111-1111-1111', 'card [card]'],
    ['amex 378282246310005', 'amex [card]'],
    ['mc 5555555555554444', 'mc [card]'],
    ['client 192.168.0.17 connected', 'client [ip] connected'],
    ['GET http://10.1.2.3:8080/x', 'GET http://[ip]:8080/x'],
    ['https://api.example/v1?user=7&token=abc123&page=2', 'https://api.example/v1?user=7&token=[redacted]&page=2'],
    ['https://app.example/cb#access_token=xyz&state=1', 'https://app.example/cb#access_token=[redacted]&state=1'],
    [
      '?api_key=K1&apikey=K2&api-key=K3&password=p&passwd=q&secret=s',
      '?api_key=[redacted]&apikey=[redacted]&api-key=[redacted]&password=[redacted]&passwd=[redacted]&secret=[redacted]',
    ],
    [
      '?auth=a&session=b&sessionid=c&sig=d&signature=e&code=f&key=g&client_secret=h&refresh_token=i',
      '?auth=[redacted]&session=[redacted]&sessionid=[redacted]&sig=[redacted]&signature=[redacted]&code=[redacted]&key=[redacted]&client_secret=[redacted]&refresh_token=[redacted]',
    ],
    ['?X-Amz-Signature=abc&X-Amz-Credential=def', '?X-Amz-Signature=[redacted]&X-Amz-Credential=[redacted]'],
  ])('%s', (input, output) => {
    expect(scrub(input)).toBe(output);
  });

  test.each([
    ['version numbers with a prefix', 'v1.2.3.4 and build1.2.3.4'],
    ['product tokens', 'Mozilla/5.0 Chrome/120.0.0.0 Safari/537.36'],
    ['longer dotted runs', '1.2.3.4.5 and 10.0.0.1.2'],
    ['octets over 255', '300.1.1.1 and 10.0.0.256'],
    ['decimals', 'price 12.50 at 3.14 and 1.5'],
    ['millisecond timestamps', 'at 1732000000000 and 1700000000000'],
    ['numbers failing Luhn', 'order 4111 1111 1111 1112'],
    ['short numbers and phone numbers', 'call +44 20 7946 0958, ref 123456789012'],
    ['harmless query keys', '?page=2&sort=asc&keyboard=1&monkey=2'],
    ['an @ without a domain', '@media screen and @import url(x)'],
    ['the word bearer alone', 'the bearer of bad news'],
    ['loopback addresses', 'http://127.0.0.1:8080/ and 127.1.2.3'],
  ])('keeps %s', (_, text) => {
    expect(scrub(text)).toBe(text);
  });

  test('a bare dotted quad is taken as an address (privacy first)', () => {
    expect(scrub('version 1.2.3.4')).toBe('version [ip]');
  });

  test('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const once = scrub(s);
        expect(scrub(once)).toBe(once);
      }),
    );
  });

  test('leaves no e-mail behind', () => {
    fc.assert(
      fc.property(
        fc.emailAddress().filter((e) => /^[\w.!$%*+^`{|}~-]+@/.test(e)),
        fc.string({ maxLength: 20 }),
        (email, around) => {
          expect(scrub(`${around} ${email} ${around}`)).not.toContain(email);
        },
      ),
    );
  });

  test('stays fast on long hostile input', () => {
    const hostile = '1.'.repeat(50_000) + ' ' + 'a@'.repeat(50_000) + '4 '.repeat(50_000);
    const t0 = performance.now();
    scrub(hostile);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('luhn', () => {
  test('valid and invalid numbers', () => {
    expect(luhn('4111111111111111')).toBe(true);
    expect(luhn('4111111111111112')).toBe(false);
    expect(luhn('79927398713')).toBe(true);
  });
});

describe('scrubValue', () => {
  test('scrubs nested strings and copies', () => {
    const input = { blockedURL: 'https://x.example/?token=abc', nested: { list: ['a@b.example', 1, null] } };
    expect(scrubValue(input)).toEqual({
      blockedURL: 'https://x.example/?token=[redacted]',
      nested: { list: ['[email]', 1, null] },
    });
    expect(input.nested.list[0]).toBe('a@b.example');
  });
  test('drops __proto__ keys', () => {
    const out = scrubValue(JSON.parse('{"__proto__": {"polluted": 1}, "a": 1}')) as Record<string, unknown>;
    expect(out).toEqual({ a: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
