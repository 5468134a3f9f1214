// tests/browser/autosave.test.mjs: keyfield.js on the SF 41 card in
// headless Chromium under the real CSP (started by autosave.sh): the
// navigator's states, the live total and the character counts; autosave
// seen from a second device without pressing anything; autosave against
// a stale revision (the card saved from another device first) shows the
// conflict page's choice and overwrites nothing; the unsaved-changes
// warning, and the save on leaving; with JavaScript off none of it.
//
// Environment: KF_URL, KF_LINK, KF_DB (tests/e2e/lib.sh), KF_ARTIFACTS.
// Prints "ok"/"not ok" per step and "autosave-browser: N passed, M
// failed"; exit status 0 when all passed, 3 when a step failed.

import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

import { Run, axe, axeReport, formValues } from './check.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const RUN_LIMIT_MS = 90000;	/* the whole run */
const STEP_TIMEOUT_MS = 10000;	/* one action or navigation */
const AUTOSAVE_MS = 1000;	/* the card's delay, shortened for the test */

const URL_BASE = process.env.KF_URL;
const LINK = process.env.KF_LINK;
const DB = process.env.KF_DB;
const ARTIFACTS = process.env.KF_ARTIFACTS;
if (!URL_BASE || !LINK || !DB || !ARTIFACTS) {
	console.log('autosave-browser: run tests/browser/autosave.sh');
	process.exit(2);
}

const run = new Run();
const consoleProblems = [];
const expected = { 409: 0 };	/* Chromium logs each 4xx as an error */

const killer = setTimeout(() => {
	console.log(`not ok - the run took over ${RUN_LIMIT_MS} ms`);
	console.log(`autosave-browser: ${run.passed} passed, ` +
	    `${run.failed + 1} failed`);
	process.exit(3);
}, RUN_LIMIT_MS);

function watch(page, who) {
	page.setDefaultTimeout(STEP_TIMEOUT_MS);
	page.on('console', (m) => {
		const code = /status of (\d+) /.exec(m.text());
		if (m.type() === 'error' && code && expected[code[1]] > 0)
			expected[code[1]]--;
		else if (m.type() === 'error' || m.type() === 'warning')
			consoleProblems.push(`${who} ${page.url()}: console ` +
			    `${m.type()}: ${m.text()}`);
	});
	page.on('pageerror', (e) => consoleProblems.push(`${who} ` +
	    `${page.url()}: ${e.message}`));
	return page;
}

/* One value of the stored working copy of SF41's card. */
function stored(question, row = '') {
	return execFileSync('sqlite3', ['-cmd', '.timeout 5000', DB,
	    'SELECT v.value FROM answers v JOIN responses r ON ' +
	    'r.id = v.response_id WHERE v.version = 0 AND ' +
	    `v.question = '${question}' AND v.row = '${row}'`],
	    { encoding: 'utf8' }).replace(/\n$/, '');
}

function storedRevision() {
	return execFileSync('sqlite3', ['-cmd', '.timeout 5000', DB,
	    'SELECT coalesce(max(revision), 0) FROM responses'],
	    { encoding: 'utf8' }).trim();
}

/* Wait until fn() is true (polled); false after ms. */
async function until(fn, ms = 5000) {
	for (const end = Date.now() + ms; Date.now() < end;) {
		if (await fn())
			return true;
		await new Promise((r) => setTimeout(r, 100));
	}
	return false;
}

/* Sign in through the invitation's page and its button, open SF41. */
async function openCard(page) {
	await page.goto(LINK);
	await Promise.all([page.waitForNavigation(), page.getByRole('button',
	    { name: 'Open my key fields' }).click()]);
	await Promise.all([page.waitForNavigation(), page.getByRole('link',
	    { name: 'SF41 Cluster Management', exact: true }).click()]);
}

const status = (page) => page.locator('#autosave-status').textContent();
const navState = (page, n) => page.locator('nav.sections li').nth(n)
    .locator('.state').textContent();
const setDelay = (page, ms) => page.evaluate((v) => {
	document.querySelector('form.card').dataset.autosave = v;
}, String(ms));

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu',
	    '--disable-background-networking', '--disable-component-update',
	    '--disable-sync', '--no-first-run'],
});
try {
	const ctx = await browser.newContext({
	    viewport: { width: 1280, height: 900 } });
	const page = watch(await ctx.newPage(), 'main');
	const other = await browser.newContext();
	const page2 = watch(await other.newPage(), 'device2');

	await run.step('the card gets a navigator, counts and a status line',
	    async (t) => {
		await openCard(page);
		const items = page.locator('nav.sections li');
		t.eq(await items.count(), 11, 'sections in the navigator');
		t.eq((await items.nth(1).locator('a').textContent()),
		    '1. Differentiated description of the key field',
		    'section 1 link');
		t.eq(await items.nth(1).locator('a').getAttribute('href'),
		    '#s-description', 'section 1 target');
		for (let i = 0; i < 11; i++)
			t.ok(/^empty/.test(await navState(page, i)),
			    `section ${i} empty: ${await navState(page, i)}`);
		const line = page.locator('#autosave-status');
		t.eq(await line.getAttribute('aria-live'), 'polite',
		    'status line is polite');
		t.eq(await page.locator('[id="description-count"]')
		    .textContent(), '0 of 20000 characters', 'count');
		const v = await axe(page);
		t.ok(v.length === 0, `${v.length} axe violation(s)\n` +
		    axeReport(v));
	});

	await run.step('navigator states, the live total and the count',
	    async (t) => {
		await setDelay(page, 600000);	/* nothing saved here */
		await page.getByLabel('Rating for Freiburg').fill('7');
		await page.getByLabel('Rating for Berlin').fill('8');
		t.eq((await page.locator('p.total').textContent()).trim(),
		    'Total: 15 (2 of 6 rated)', 'live total');
		t.eq(await navState(page, 0), 'started, total 15',
		    'header section');
		await page.getByLabel('Rating for Copenhagen').fill('11');
		t.eq(await navState(page, 0), 'has a problem, total 15',
		    'a rating of 11 is a problem, not counted');
		await page.getByLabel('Rating for Copenhagen').fill('6');
		t.eq(await navState(page, 0), 'started, total 21', 'fixed');
		const box = page.getByLabel(
		    'Differentiated description (required)');
		await box.pressSequentially('Zürich 🌍');
		t.eq(await page.locator('[id="description-count"]')
		    .textContent(), '8 of 20000 characters',
		    'characters, not bytes or UTF-16 units');
		t.eq(await navState(page, 1), 'started', 'section 1');
		t.eq(await navState(page, 2), 'empty', 'section 2');
		t.eq(await status(page), 'Not saved yet', 'status line');
		await page.getByRole('radio', { name: /^high$/i }).first()
		    .check();
		t.eq(await navState(page, 3), 'started', 'a choice starts 3');
		await page.evaluate(() => window.scrollTo(0, 0));
		await page.screenshot({ path: path.join(ARTIFACTS,
		    'card-navigator.png') });
	});

	await run.step('autosave: a second device sees the text without ' +
	    'pressing anything', async (t) => {
		await setDelay(page, AUTOSAVE_MS);
		await page.getByLabel('Special features and remarks',
		    { exact: true }).pressSequentially(
		    'Typed, never saved by hand.');
		t.ok(await until(async () => /^Saved [0-2][0-9]:[0-5][0-9]$/
		    .test(await status(page))),
		    `status: ${await status(page)}`);
		t.eq(stored('remarks'), 'Typed, never saved by hand.',
		    'stored');
		t.eq(await page.locator('input[name=revision]').inputValue(),
		    storedRevision(), 'the next save sends the new revision');
		await openCard(page2);
		const v = await formValues(page2);
		t.eq(v.remarks, 'Typed, never saved by hand.', 'device 2');
		t.eq(v.description, 'Zürich 🌍', 'device 2 description');
		t.eq(v['rating.rating.C'], '6', 'device 2 rating');
		t.ok(/status: draft/.test(await page2.locator('p.meta')
		    .textContent()), 'a draft');
	});

	await run.step('after an autosave, Save draft saves (no conflict)',
	    async (t) => {
		await setDelay(page, 600000);
		await page.getByLabel('Rating for Tokyo').fill('8');
		const [resp] = await Promise.all([page.waitForNavigation(),
		    page.getByRole('button', { name: 'Save draft' }).click()]);
		t.eq(resp.status(), 200, 'card after the save');
		t.ok(/saved=1$/.test(page.url()), `saved: ${page.url()}`);
		t.eq(stored('rating.rating', 'T'), '8', 'stored');
	});

	await run.step('autosave against a stale revision: the conflict ' +
	    'choice, nothing overwritten', async (t) => {
		await page2.reload();
		await page2.getByLabel('Differentiated description ' +
		    '(required)').fill('Saved on device 2.');
		await Promise.all([page2.waitForNavigation(), page2.getByRole(
		    'button', { name: 'Save draft' }).click()]);
		t.eq(stored('description'), 'Saved on device 2.', 'device 2');
		await setDelay(page, AUTOSAVE_MS);
		expected[409]++;
		await page.getByLabel('Special features and remarks',
		    { exact: true }).focus();
		await page.keyboard.press('Control+End');	/* type after */
		await page.keyboard.type(' Later.');
		const choice = page.getByRole('button',
		    { name: 'Compare both versions' });
		t.ok(await until(() => choice.isVisible()),
		    `status: ${await status(page)}`);
		t.ok(/changed .*elsewhere|another tab or device/.test(
		    await status(page)), `status: ${await status(page)}`);
		await new Promise((r) => setTimeout(r, 2 * AUTOSAVE_MS));
		t.eq(stored('description'), 'Saved on device 2.',
		    'device 2\'s text is kept');
		t.eq(stored('remarks'), 'Typed, never saved by hand.',
		    'the stale text is not stored');
		expected[409]++;
		const [resp] = await Promise.all([page.waitForNavigation(),
		    choice.click()]);
		t.eq(resp.status(), 409, 'the conflict page');
		t.eq((await page.locator('h1').textContent()).trim(),
		    'This card was changed elsewhere', 'its heading');
		const v = await formValues(page);
		t.eq(v.remarks, 'Typed, never saved by hand. Later.',
		    'my version in the form');
		t.eq(stored('description'), 'Saved on device 2.',
		    'still nothing overwritten');
		t.eq(await page.locator('form.card[data-autosave]').count(), 0,
		    'the conflict page does not save by itself');
		const a = await axe(page);
		t.ok(a.length === 0, `${a.length} axe violation(s)\n` +
		    axeReport(a));
	});

	await run.step('leaving with unsaved changes warns, and saves',
	    async (t) => {
		await page.goto(`${URL_BASE}/`);
		await Promise.all([page.waitForNavigation(), page.getByRole(
		    'link', { name: 'SF41 Cluster Management', exact: true })
		    .click()]);
		await setDelay(page, 600000);
		await page.getByLabel('Actors', { exact: true })
		    .pressSequentially('Typed just before leaving.');
		let warned = null;
		page.once('dialog', (d) => {
			warned = d.type();
			d.accept();
		});
		await Promise.all([page.waitForNavigation(), page.getByRole(
		    'link', { name: 'keyfield', exact: true }).click()]);
		t.eq(warned, 'beforeunload', 'the warning');
		t.eq(new URL(page.url()).pathname, '/', 'left after accepting');
		t.ok(await until(() => stored('actors') ===
		    'Typed just before leaving.'), 'saved on leaving: ' +
		    `${JSON.stringify(stored('actors'))}`);
	});

	await run.step('no warning when nothing changed, or after saving',
	    async (t) => {
		let warned = null;
		const h = (d) => {
			warned = d.type();
			d.dismiss();
		};
		page.on('dialog', h);
		await Promise.all([page.waitForNavigation(), page.getByRole(
		    'link', { name: 'SF41 Cluster Management', exact: true })
		    .click()]);
		await page.getByLabel('Rating for Tokyo').click();
		await Promise.all([page.waitForNavigation(), page.getByRole(
		    'link', { name: 'keyfield', exact: true }).click()]);
		t.eq(warned, null, 'unchanged card');
		page.off('dialog', h);
	});

	await run.step('with JavaScript off: none of it', async (t) => {
		const off = await browser.newContext({ javaScriptEnabled:
		    false });
		const p = watch(await off.newPage(), 'nojs');
		await openCard(p);
		t.eq(await p.locator('nav.sections').count(), 0, 'navigator');
		t.eq(await p.locator('#autosave-status, p.count').count(), 0,
		    'status line and counts');
		t.eq(await p.locator('script[src="/static/keyfield.js"]')
		    .count(), 1, 'the script is on the page, not run');
		await off.close();
	});

	await run.step('no console errors or CSP violations', async (t) => {
		for (const p of consoleProblems)
			t.ok(false, p);
	});

	await other.close();
	await ctx.close();
} finally {
	await browser.close();
}

clearTimeout(killer);
console.log(`autosave-browser: ${run.passed} passed, ${run.failed} failed`);
process.exit(run.failed === 0 && run.passed > 0 ? 0 : 3);
