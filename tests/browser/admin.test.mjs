// tests/browser/admin.test.mjs: the coordinator console in headless
// Chromium: sign in through the form, the campaign and its dashboard,
// a download, a card and its printed form, a final card (editor, save,
// publish, diff, print), the console switched to German and back (its
// dashboard, campaign page and a card). axe-core on every page, the Nu
// HTML Checker on every page as served; screenshots of the dashboard,
// the printed card, the final card's editor and printable page, and the
// German dashboard, campaign page and card (admin-de-*.png) kept in
// $KF_ARTIFACTS. Prints
// "admin-browser: N passed, M failed"; exit status 3 when a step failed.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

import { Run, axe, axeReport, vnu } from './check.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const URL_ = process.env.KF_URL;
const ART = process.env.KF_ARTIFACTS;
const PASSWORD = process.env.KF_ADMIN_PASSWORD;
const pagesDir = path.join(ART, 'admin-pages');
fs.rmSync(pagesDir, { recursive: true, force: true });
fs.mkdirSync(pagesDir, { recursive: true });

const run = new Run();
let seq = 0;

/* A page as served: status, headers, kept for vnu, axe clean. */
/* The dashboard's section of key field SF41, found by its heading. */
const sf41 = (page) => page.locator('section.field-block', {
	has: page.getByRole('heading', { name: 'SF41 Cluster Management' }) });

async function visited(t, page, resp, name, status = 200) {
	t.ok(resp !== null, `${name}: no response`);
	if (resp === null)
		return;
	t.eq(resp.status(), status, `${name}: HTTP status`);
	const h = resp.headers();
	t.eq(h['content-type'], 'text/html; charset=utf-8',
	    `${name}: Content-Type`);
	t.eq(h['cache-control'], 'no-store', `${name}: Cache-Control`);
	t.ok(/default-src 'none'/.test(h['content-security-policy'] || ''),
	    `${name}: CSP`);
	fs.writeFileSync(path.join(pagesDir,
	    `${String(++seq).padStart(2, '0')}-${name}.html`),
	    await resp.body());
	const v = await axe(page);
	t.ok(v.length === 0, `${name} (${page.url()}): ${v.length} axe ` +
	    `violation(s)\n${axeReport(v)}`);
}

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu',
	    '--disable-background-networking', '--disable-component-update',
	    '--disable-sync', '--no-first-run'],
});
try {
	const ctx = await browser.newContext({ bypassCSP: true,
	    acceptDownloads: true, viewport: { width: 1280, height: 900 } });
	const page = await ctx.newPage();

	await run.step('the console asks to sign in', async (t) => {
		const resp = await page.goto(`${URL_}/admin/`);
		t.eq(new URL(page.url()).pathname, '/admin/login',
		    'redirected to');
		await visited(t, page, resp, 'login');
	});

	await run.step('a wrong password shows the form again', async (t) => {
		await page.getByLabel('Username').fill('ana');
		await page.getByLabel('Password').fill('not the password');
		const [resp] = await Promise.all([
		    page.waitForNavigation(),
		    page.getByRole('button', { name: 'Sign in' }).click()]);
		await visited(t, page, resp, 'login-refused', 403);
		t.ok(await page.getByText('The username or password is not ' +
		    'right.').isVisible(), 'the message');
	});

	await run.step('signing in opens the campaign list', async (t) => {
		await page.getByLabel('Username').fill('ana');
		await page.getByLabel('Password').fill(PASSWORD);
		const [resp] = await Promise.all([
		    page.waitForNavigation(),
		    page.getByRole('button', { name: 'Sign in' }).click()]);
		t.eq(new URL(page.url()).pathname, '/admin/', 'after sign-in');
		t.ok(resp !== null && resp.status() === 200, 'status');
		const r = await page.goto(`${URL_}/admin/`);
		await visited(t, page, r, 'campaigns');
		t.ok(await page.getByRole('link', { name: 'demo' })
		    .isVisible(), 'the demo campaign is listed');
	});

	await run.step('the campaign page and a CSV download', async (t) => {
		const resp = await page.goto(`${URL_}/admin/c/demo`);
		await visited(t, page, resp, 'campaign');
		const [dl] = await Promise.all([page.waitForEvent('download'),
		    page.getByRole('link', { name: 'csv', exact: true })
		    .click()]);
		t.eq(dl.suggestedFilename(), 'demo.csv', 'file name');
		const file = path.join(ART, 'admin-demo.csv');
		await dl.saveAs(file);
		const text = fs.readFileSync(file, 'utf8');
		t.ok(/\nSF41,|,SF41,/.test(text), 'the CSV has the SF41 card');
	});

	await run.step('an expert\'s page: her key fields', async (t) => {
		await page.goto(`${URL_}/admin/c/demo`);
		const [resp] = await Promise.all([page.waitForNavigation(),
		    page.getByRole('link', { name: 'Change' }).first()
		    .click()]);
		await visited(t, page, resp, 'expert');
		t.ok(await page.getByLabel('SF41').isChecked(),
		    'her key field is ticked');
		const [saved] = await Promise.all([page.waitForNavigation(),
		    page.getByRole('button', { name: 'Save assignments' })
		    .click()]);
		t.eq(new URL(page.url()).pathname, '/admin/c/demo',
		    'saved, back to the campaign');
		t.ok(saved !== null && saved.status() === 200, 'status');
	});

	await run.step('the dashboard shows the medians', async (t) => {
		const resp = await page.goto(`${URL_}/admin/c/demo/dashboard`);
		await visited(t, page, resp, 'dashboard');
		const cells = await sf41(page).locator('tr.median td')
		    .allTextContents();
		t.eq(cells.join(' '), '7 8 6 6 1 8 36', 'median row');
		t.ok(await sf41(page).locator('svg.chart rect').count() === 6,
		    'a bar per city');
		await page.screenshot({ path: path.join(ART,
		    'admin-dashboard.png'), fullPage: true });
	});

	await run.step('a card, its versions and its printed form',
	    async (t) => {
		const resp = await page.goto(`${URL_}/admin/c/demo/dashboard`);
		t.ok(resp !== null, 'dashboard');
		await Promise.all([page.waitForNavigation(),
		    sf41(page).locator('tbody th a').first().click()]);
		const r = await page.goto(page.url());
		await visited(t, page, r, 'card');
		t.ok(await page.getByRole('heading', { name: 'Audit log' })
		    .isVisible(), 'audit log');
		const pr = await page.goto(page.url().replace(/\?.*$/, '') +
		    '/print');
		await visited(t, page, pr, 'card-print');
		await page.emulateMedia({ media: 'print' });
		t.ok(!await page.locator('nav.console').isVisible(),
		    'no navigation in print');
		await page.screenshot({ path: path.join(ART,
		    'admin-card-print.png'), fullPage: true });
		await page.emulateMedia({ media: 'screen' });
	});

	await run.step('the console in German: switch, pages, back',
	    async (t) => {
		await page.goto(`${URL_}/admin/c/demo/dashboard`);
		const [sw] = await Promise.all([page.waitForNavigation(),
		    page.getByRole('button', { name: 'Deutsch' }).click()]);
		t.ok(sw !== null && sw.status() === 200, 'switched');
		t.eq(new URL(page.url()).pathname, '/admin/c/demo/dashboard',
		    'back on the page it was pressed on');
		let resp = await page.goto(page.url());
		await visited(t, page, resp, 'de-dashboard');
		t.eq(await page.locator('html').getAttribute('lang'), 'de',
		    '<html lang>');
		t.ok(await page.getByRole('heading', { name: 'Überblick' })
		    .isVisible(), 'the overview in German');
		t.eq((await sf41(page).locator('tr.median th').textContent()),
		    'Median', 'the median row');
		await page.screenshot({ path: path.join(ART,
		    'admin-de-dashboard.png'), fullPage: true });
		resp = await page.goto(`${URL_}/admin/c/demo`);
		await visited(t, page, resp, 'de-campaign');
		t.ok(await page.getByRole('heading', { name: 'Städte' })
		    .isVisible(), 'the campaign page in German');
		await page.screenshot({ path: path.join(ART,
		    'admin-de-campaign.png'), fullPage: true });
		await page.goto(`${URL_}/admin/c/demo/dashboard`);
		await Promise.all([page.waitForNavigation(),
		    sf41(page).locator('tbody th a').first().click()]);
		resp = await page.goto(page.url());
		await visited(t, page, resp, 'de-card');
		t.ok(await page.getByRole('heading', { name: '2. Bezug zur ' +
		    'Nachhaltigkeit' }).isVisible(), 'the form\'s German labels');
		t.ok(await page.getByText('Support of specialized and small ' +
		    'businesses through networking.').isVisible(),
		    'the answer as written');
		await page.screenshot({ path: path.join(ART,
		    'admin-de-card.png'), fullPage: true });
		await Promise.all([page.waitForNavigation(),
		    page.getByRole('button', { name: 'English' }).click()]);
		t.eq(await page.locator('html').getAttribute('lang'), 'en',
		    'back to English');
	});

	await run.step('the final card: editor, save, publish, print',
	    async (t) => {
		await page.goto(`${URL_}/admin/c/demo/dashboard`);
		await Promise.all([page.waitForNavigation(),
		    sf41(page).getByRole('link', { name: 'Final card of SF41' })
		    .click()]);
		const final = page.url();
		await visited(t, page, await page.goto(final), 'final');
		t.eq(await page.getByLabel('Freiburg', { exact: true })
		    .inputValue(), '7',
		    'prefilled with the median');
		await page.getByLabel('Text of section 1', { exact: true }).fill(
		    'Support of specialized and small businesses.');
		await Promise.all([page.waitForNavigation(), page.getByRole(
		    'button', { name: 'Save as version 1' }).click()]);
		await page.getByLabel('Text of section 1', { exact: true }).fill(
		    'Support of small businesses <through> networking.');
		await Promise.all([page.waitForNavigation(), page.getByRole(
		    'button', { name: 'Save as version 2' }).click()]);
		await page.getByLabel('send version 2 to the partners').check();
		await Promise.all([page.waitForNavigation(), page.getByRole(
		    'button', { name: 'Publish' }).first().click()]);
		await visited(t, page, await page.goto(final), 'final-saved');
		t.ok(await page.getByRole('row', { name: /^2 .* Actions?|^2 / })
		    .count() >= 1, 'version 2 listed');
		await page.screenshot({ path: path.join(ART, 'admin-final.png'),
		    fullPage: true });
		await visited(t, page, await page.goto(`${final}?a=1&b=2`),
		    'final-diff');
		t.ok(await page.locator('table.diff ins').first().isVisible(),
		    'the changes');
		await visited(t, page, await page.goto(`${final}/print`),
		    'final-print');
		t.ok(await page.getByText('Version 2, published.').isVisible(),
		    'the published version');
		await page.emulateMedia({ media: 'print' });
		t.ok(!await page.locator('nav.console').isVisible(),
		    'no navigation in print');
		t.eq(await page.locator('p.notice').count(), 1,
		    'the sign-in notice (a failed sign-in above) on screen');
		t.ok(!await page.locator('p.notice').isVisible(),
		    'no sign-in notice in print');
		const look = await page.evaluate(() => {
			const s = (q) => getComputedStyle(
			    document.querySelector(q));
			return [s('.final-print abbr').textDecorationLine,
			    s('.final-print h2').breakAfter];
		});
		t.eq(look.join(' '), 'none avoid', 'in print: city codes '
		    + 'not underlined, no heading alone at a page end');
		await page.screenshot({ path: path.join(ART,
		    'admin-final-print.png'), fullPage: true });
		await page.emulateMedia({ media: 'screen' });
	});

	await run.step('the mail page: states and the send log', async (t) => {
		const resp = await page.goto(`${URL_}/admin/c/demo/mail`);
		await visited(t, page, resp, 'mail');
		t.ok(await page.getByRole('table', { name: 'Send log, newest ' +
		    'first' }).isVisible(), 'send log table');
	});

	await run.step('round 2: the round selector and the stability table',
	    async (t) => {
		let resp = await page.goto(`${URL_}/admin/c/demo/dashboard`);
		t.ok(resp !== null, 'dashboard');
		await page.locator('#round-sure').check();
		await Promise.all([page.waitForNavigation(),
		    page.getByRole('button', { name: 'Start round 2' })
		    .click()]);
		resp = await page.goto(`${URL_}/admin/c/demo/dashboard`);
		await visited(t, page, resp, 'dashboard-round2');
		const table = page.getByRole('table', { name: 'Median (IQR) ' +
		    'per round and changes between rounds' });
		t.ok(await table.isVisible(), 'the stability table');
		t.eq(await table.locator('tbody tr').first().locator('th')
		    .textContent(), 'SF41 Fr', 'its first row');
		t.eq((await table.locator('tbody tr').first().locator('td')
		    .allTextContents()).slice(1).join(' | '),
		    '0 of 0 | — · too few answers', 'round 2: nothing yet');
		const nav = page.getByRole('navigation', { name: 'Round of ' +
		    'the statistics' });
		t.eq(await nav.getByRole('link').count(), 2, 'a link a round');
		await page.emulateMedia({ media: 'print' });
		await page.screenshot({ path: path.join(ART,
		    'admin-dashboard-stability-print.png'), fullPage: true });
		await page.emulateMedia({ media: 'screen' });
		await Promise.all([page.waitForNavigation(),
		    nav.getByRole('link', { name: '1', exact: true }).click()]);
		resp = await page.goto(page.url());
		await visited(t, page, resp, 'dashboard-round1');
		t.eq((await sf41(page).locator('tr.median td')
		    .allTextContents()).join(' '), '7 8 6 6 1 8 36',
		    'round 1: its medians');
	});

	await run.step('error pages', async (t) => {
		const resp = await page.goto(`${URL_}/admin/c/nope`);
		await visited(t, page, resp, 'not-found', 404);
	});

	await run.step('every console page is valid HTML (vnu)', async (t) => {
		const report = await vnu(pagesDir);
		for (const [f, errs] of Object.entries(report))
			t.ok(errs.length === 0, `${f}:\n${errs.join('\n')}`);
		t.ok(Object.keys(report).length >= 7, 'pages checked');
	});
} finally {
	await browser.close();
}
console.log(`admin-browser: ${run.passed} passed, ${run.failed} failed`);
process.exit(run.failed === 0 ? 0 : 3);
