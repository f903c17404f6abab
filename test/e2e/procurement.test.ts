import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import { repoRoot } from '../../src/paths.ts';
import { t13MigrationsDir } from '../procurement/support.ts';
import { useFreshDatabase } from '../support/database.ts';
import { buildNetwork, client, type Network, PASSWORD } from '../support/network.ts';

/**
 * End to end, T1.3 console: the hospital opens its RFQ and sees its lines with the two suppliers'
 * quotes side by side (price per line, totals, the weighted score), then awards one. Chromium from
 * Debian, as in console.test.ts; skipped without it unless CI=true.
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true' || process.env.CI === '1';
const shots = resolve(repoRoot, 'test-output/screenshots');

function ensureConsoleBuilt(): void {
  const dist = resolve(repoRoot, 'web/dist/index.html');
  const page = resolve(repoRoot, 'web/src/pages/RfqDetail.tsx');
  if (existsSync(dist) && statSync(dist).mtimeMs >= statSync(page).mtimeMs) return;
  execFileSync(process.execPath, [resolve(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', 'web', '--logLevel', 'warn'], {
    cwd: repoRoot,
  });
}

describe.skipIf(!hasChromium && !inCi)('RFQ page end to end (Chromium)', () => {
  const fresh = useFreshDatabase('none');
  let app: FastifyInstance;
  let net: Network;
  let base: string;
  let context: BrowserContext;
  let profile: string;
  let rfqId: string;
  let rfqNumber: string;

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`CI=true but ${CHROMIUM} is missing: install it with apt-get install -y chromium`);
    ensureConsoleBuilt();
    await fresh.db.runner({ dir: await t13MigrationsDir() }).up({ beforeContract: true });
    net = await buildNetwork(fresh.db);
    app = await buildApp({ database: fresh.db, logRequests: false });
    const as = (key: keyof Network['user']) => client(app, net.user[key].token);
    const rfq = (
      await as('hosp').post('/api/v1/rfq', {
        title: 'Cardiology ward equipment',
        items: [
          { name: 'ECG machine', quantity: 2, unit: 'piece', required_by_date: '2026-07-01' },
          { name: 'Patient monitor', quantity: 4, unit: 'piece' },
        ],
      })
    ).json();
    rfqId = rfq.id;
    rfqNumber = rfq.rfq_number;
    await as('hosp').post(`/api/v1/rfq/${rfqId}/publish`);
    for (const [who, ecg, monitor, lead] of [
      ['dist', '125000', '85000', 14],
      ['dealer', '118000', '92000', 30],
    ] as const) {
      const q = await as(who).post('/api/v1/quotes', {
        rfq_id: rfqId,
        items: [
          { rfq_line: 1, name: 'ECG machine', quantity: 2, unit_price: ecg, tax_amount: '0', lead_time_days: lead },
          { rfq_line: 2, name: 'Patient monitor', quantity: 4, unit_price: monitor, lead_time_days: lead },
        ],
      });
      await as(who).post(`/api/v1/quotes/${q.json().id}/submit`);
    }
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    mkdirSync(shots, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'abymed-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
      viewport: { width: 1280, height: 800 },
    });
  });

  afterAll(async () => {
    await context?.close();
    await app?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('RFQ list → RFQ page with lines and quotes side by side → award', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/rfq`);
    await page.getByLabel('Email').fill(net.user.hosp.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('who').waitFor();
    await page.getByRole('link', { name: 'RFQs', exact: true }).click();
    await page.getByTestId('rfqs').waitFor();
    await page.screenshot({ path: join(shots, 't1.3-rfq-list.png'), fullPage: true });
    await page.getByRole('link', { name: rfqNumber }).click();
    const matrix = page.getByTestId('rfq-matrix');
    await matrix.waitFor();
    await expect.poll(() => page.getByTestId('quote-column').count()).toBe(2);
    const text = (await matrix.textContent()) ?? '';
    expect(text).toContain('ECG machine');
    expect(text).toContain('Patient monitor');
    expect(text).toContain('₹1,25,000.00');
    expect(text).toContain('₹2,50,000.00'); // 2 × 1,25,000
    expect(text).toContain('₹3,68,000.00'); // 4 × 92,000
    await expect.poll(() => page.getByTestId('quote-score').first().textContent()).toContain('#');
    await page.screenshot({ path: join(shots, 't1.3-rfq-side-by-side.png'), fullPage: true });
    await page.getByRole('button', { name: 'Award' }).first().click();
    await expect.poll(() => page.getByTestId('rfq-detail').locator('h2').textContent()).toContain('awarded');
    await expect.poll(() => matrix.textContent()).toContain('accepted');
    expect(await matrix.textContent()).toContain('rejected');
    expect(errors).toEqual([]);
  });
});
