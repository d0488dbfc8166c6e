// Proof that the end-to-end harness delivers real reports: Chromium with the built extension, the demo site with a
// trusted certificate, and the collector receiving what Chromium uploads.

import { collectedCrashes, collectedUploads, expect, test, waitForReport } from './fixtures';

test.describe('demo site and collector', () => {
  test.beforeEach(({ demo }) => {
    demo.clear();
  });

  test('/good serves its headers over a certificate Chromium trusts', async ({ page, demo }) => {
    const response = await page.goto(`${demo.origin}/good`);
    expect(response?.status()).toBe(200);
    const headers = await response!.allHeaders();
    expect(headers['reporting-endpoints']).toBe(
      `default="${demo.origin}/reports/default", csp="${demo.origin}/reports/csp"`,
    );
    expect(JSON.parse(headers['report-to'] ?? '')).toMatchObject({ group: 'default', max_age: 1800 });
    expect((await response!.securityDetails())?.issuer).toContain('Report Inspector demo CA');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('A working setup');
    await expect(page.locator('#served-headers')).toContainText(
      `Reporting-Endpoints: default="${demo.origin}/reports/default"`,
    );
  });

  test('a CSP violation on /good is delivered to the csp endpoint', async ({ page, demo }) => {
    await page.goto(`${demo.origin}/good`);
    await page.getByRole('button', { name: 'Trigger a CSP violation' }).click();
    await expect(page.locator('#observed')).toContainText('csp-violation');

    const { report, upload } = await waitForReport(
      demo,
      (r) => r.type === 'csp-violation' && r.url === `${demo.origin}/good`,
    );
    expect(upload.endpoint).toBe('csp');
    expect(upload.path).toBe('/reports/csp');
    expect(upload.contentType).toBe('application/reports+json');
    expect(report.url).toBe(`${demo.origin}/good`);
    expect(report.body).toMatchObject({ effectiveDirective: 'img-src', disposition: 'enforce' });
    expect(String(report.body?.blockedURL)).toMatch(/^https:\/\/127\.0\.0\.1:1\/x\.png/);
  });

  test('a crash on /good is delivered to the default endpoint', async ({ page, demo }) => {
    const url = `${demo.origin}/good`;
    await page.goto(url);
    // Navigating to chrome://crash kills the renderer, so the navigation itself fails.
    await page.goto('chrome://crash').catch(() => {});

    const { report, upload } = await waitForReport(demo, (r) => r.type === 'crash' && r.url === url);
    expect(upload.endpoint).toBe('default');
    expect(report.body).toMatchObject({ is_top_level: true });
  });

  test('a Report-To group set by an earlier response receives crash reports', async ({ page, demo }) => {
    // Only a trusted certificate makes Chromium keep Report-To: this group's endpoint is unique to this test.
    const group = { group: 'default', max_age: 120, endpoints: [{ url: `${demo.origin}/reports/from-report-to` }] };
    const url = `${demo.origin}/custom?h=${encodeURIComponent(JSON.stringify({ 'Report-To': JSON.stringify(group) }))}`;
    await page.goto(url);
    await expect(page.locator('#served-headers')).toContainText('Report-To:');
    await page.goto('chrome://crash').catch(() => {});

    const { upload } = await waitForReport(demo, (r) => r.type === 'crash' && r.url === url);
    expect(upload.endpoint).toBe('from-report-to');
  });

  test('/csp-violation sends a CSP violation and a deprecation report on load', async ({ page, demo }) => {
    const url = `${demo.origin}/csp-violation`;
    await page.goto(url);
    await expect(page.locator('#observed')).toContainText('deprecation');

    const csp = await waitForReport(demo, (r) => r.type === 'csp-violation' && r.url === url);
    expect(csp.upload.endpoint).toBe('csp');
    const deprecation = await waitForReport(demo, (r) => r.type === 'deprecation' && r.url === url);
    expect(deprecation.upload.endpoint).toBe('default');
    expect(deprecation.report.body).toMatchObject({ id: 'UnloadHandler' });
  });

  test('the collector refuses oversized bodies and can be cleared', async ({ demo, request }) => {
    // Playwright's request context does not know the throw-away CA; the plain-HTTP twin serves the same routes.
    const tooBig = await request.post(`${demo.httpOrigin}/reports/default`, {
      headers: { 'content-type': 'application/reports+json' },
      data: `[${'"x",'.repeat(300_000)}"x"]`,
    });
    expect(tooBig.status()).toBe(413);
    const ok = await request.post(`${demo.httpOrigin}/reports/default`, {
      headers: { 'content-type': 'application/reports+json' },
      data: JSON.stringify([{ type: 'test', url: `${demo.origin}/`, body: {} }]),
    });
    expect(ok.status()).toBe(204);
    expect(ok.headers()['access-control-allow-origin']).toBe('*');
    expect(await collectedUploads(demo)).toHaveLength(1);
    expect((await request.delete(`${demo.httpOrigin}/reports`)).status()).toBe(204);
    expect(await collectedUploads(demo)).toHaveLength(0);
  });

  test('/crashsense posts a classified CrashSense report', async ({ page, demo }) => {
    await page.goto(`${demo.origin}/crashsense`);
    await page.getByRole('button', { name: 'Add tea to cart' }).click();
    await expect(page.locator('#cart')).toHaveText('Cart: tea');
    await page.getByRole('button', { name: 'Throw an error' }).click();
    await expect.poll(async () => (await collectedCrashes(demo)).length).toBe(1);
    const [first] = await collectedCrashes(demo);
    const body: unknown = first?.body;
    expect(body).toMatchObject({
      analysis: null,
      event: {
        category: 'runtime_error',
        subcategory: 'typeerror',
        meta: { appId: 'demo-shop' },
        error: { type: 'TypeError' },
      },
    });
    const checkpoint = JSON.parse(
      (await page.evaluate(() => sessionStorage.getItem('__crashsense_checkpoint'))) ?? 'null',
    ) as { breadcrumbs: { type: string }[] };
    expect(checkpoint).toMatchObject({ version: 1, appId: 'demo-shop' });
    expect(checkpoint.breadcrumbs.map((b) => b.type)).toContain('click');
  });
});
