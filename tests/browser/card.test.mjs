// tests/browser/card.test.mjs: an expert's path through the SF 41 card in
// headless Chromium against a real keyfield (started by run.sh): open the
// invitation, fill in every field from the seed card, save a draft,
// reload, come back from another browser context, fail a check, submit,
// revise, submit again, and compare every value each time. Every page on
// the way is checked with axe-core (in the page, under the real CSP) and
// its HTML as served with the Nu HTML Checker (one JVM at the end).
//
// Environment: KF_URL, KF_LINK (from tests/e2e/lib.sh), top_srcdir,
// KF_ARTIFACTS (screenshot and the pages' HTML go there), KF_LANG=de for
// an expert whose language is German (run.sh makes her): the same path
// by the German labels and words, screenshots card-de-*.png; KF_JS=off to
// run the same path without keyfield.js (run.sh runs both). It is then
// served empty rather than JavaScript disabled: with JavaScript off,
// page.evaluate (axe, the value readers) hangs; autosave.test.mjs has a
// step with JavaScript really disabled.
// Prints "ok"/"not ok" per step and "browser: N passed, M failed"; exit
// status 0 when all passed, 3 when a step failed.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

import { Run, axe, axeReport, diff, formValues, inLanguage, slots,
    viewValues, vnu }
    from './check.mjs';
import { answers, ratingTotal } from './sf41.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const RUN_LIMIT_MS = 100000;	/* the whole run, browser and vnu */
const STEP_TIMEOUT_MS = 10000;	/* one action or navigation */

const env = (k) => {
	if (!process.env[k]) {
		console.log(`browser: ${k} is not set ` +
		    '(run tests/browser/run.sh)');
		process.exit(2);
	}
	return process.env[k];
};
const URL_BASE = env('KF_URL');
const LINK = env('KF_LINK');
const SRCDIR = env('top_srcdir');
const ARTIFACTS = env('KF_ARTIFACTS');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
/* keyfield.js runs, or the page is used as it is without it. */
const JS = process.env.KF_JS !== 'off';
/* The expert's language: the card's labels and the pages' words in it. */
const LANG = process.env.KF_LANG || 'en';
const LANG_TAG = LANG === 'en' ? '' : `-${LANG}`;
const MODE = LANG_TAG + (JS ? '' : '-nojs');
const WORDS = {
	en: {
		required: ' (required)', open: 'Open my key fields',
		save: 'Save draft', submit: 'Submit', link: 'Invitation link',
		continue: 'Continue', reopen: 'Reopen the card',
		new: 'not started', draft: 'draft',
		submitted2: 'submitted (version 2)',
		total: 'Total', rule: 'Enter a whole number from 0 to 10.',
		problems: 'Please correct 1 problem',
		thanks: 'Thank you: SF41 Cluster Management is submitted',
		stored: (v) => new RegExp(`^Version ${v} was stored`),
		version: (v) => `version ${v}`,
		statusDraft: /status: draft/,
		statusSubmitted: /status: submitted, version 1 submitted/,
		notSaved: /not saved yet/, saved: /draft is saved/,
	},
	de: {
		required: ' (Pflichtfeld)', open: 'Meine Schlüsselfelder öffnen',
		save: 'Entwurf speichern', submit: 'Absenden',
		link: 'Einladungslink', continue: 'Weiter',
		reopen: 'Steckbrief wieder öffnen',
		new: 'nicht begonnen', draft: 'Entwurf',
		submitted2: 'abgegeben (Version 2)',
		total: 'Summe',
		rule: 'Geben Sie eine ganze Zahl von 0 bis 10 ein.',
		problems: 'Bitte beheben Sie 1 Problem',
		thanks: 'Vielen Dank: SF41 Cluster Management ist abgegeben',
		stored: (v) => new RegExp(`^Version ${v} wurde am ` +
		    '[0-9]{1,2}\\. ' +
		    '[A-ZÄ][a-zä]+ 20[0-9]{2}, [0-9]{2}:[0-9]{2} UTC ' +
		    'gespeichert'),
		version: (v) => `Version ${v}`,
		statusDraft: /Status: Entwurf/,
		statusSubmitted: /Status: abgegeben, Version 1 abgegeben/,
		notSaved: /noch nicht gespeichert/,
		saved: /Entwurf ist gespeichert/,
	},
}[LANG];

/* The campaign tests/e2e/lib.sh creates. */
const CITIES = [
	{ key: 'Fr', label: 'Freiburg' },
	{ key: 'B', label: 'Berlin' },
	{ key: 'C', label: 'Copenhagen' },
	{ key: 'NY', label: 'New York City' },
	{ key: 'S', label: 'Singapore' },
	{ key: 'T', label: 'Tokyo' },
];
const form = inLanguage(JSON.parse(fs.readFileSync(path.join(SRCDIR,
    'forms', 'keyfield.json'), 'utf8')), LANG);
const SLOTS = slots(form, CITIES);

const pagesDir = path.join(ARTIFACTS, `pages${MODE}`);
fs.rmSync(pagesDir, { recursive: true, force: true });
fs.mkdirSync(pagesDir, { recursive: true });

const run = new Run();
const consoleProblems = [];
let expected4xx = 0;	/* Chromium logs each 4xx page as a console error */
let pageSeq = 0;

const killer = setTimeout(() => {
	console.log(`not ok - the run took over ${RUN_LIMIT_MS} ms`);
	console.log(`browser: ${run.passed} passed, ${run.failed + 1} failed`);
	process.exit(3);
}, RUN_LIMIT_MS);

function watch(page, who) {
	page.setDefaultTimeout(STEP_TIMEOUT_MS);
	page.on('console', (m) => {
		if (m.type() === 'error' && expected4xx > 0 &&
		    /status of 4[0-9][0-9] /.test(m.text()))
			expected4xx--;
		else if (m.type() === 'error' || m.type() === 'warning')
			consoleProblems.push(`${who} ${page.url()}: console ` +
			    `${m.type()}: ${m.text()}`);
	});
	page.on('pageerror', (e) => consoleProblems.push(`${who} ` +
	    `${page.url()}: ${e.message}`));
	return page;
}

/* Click and wait for the navigation it starts; the final response. */
async function navigate(page, action) {
	const [resp] = await Promise.all([
		page.waitForNavigation({ waitUntil: 'load' }), action(),
	]);
	return resp;
}

/*
 * The checks every visited page gets: status, security headers, the
 * stylesheet applied under the CSP, axe-core with no violations; its
 * HTML as served is kept for the Nu HTML Checker.
 */
async function visited(t, page, resp, name, status = 200) {
	t.ok(resp !== null, `${name}: no response`);
	if (resp === null)
		return;
	t.eq(resp.status(), status, `${name}: HTTP status`);
	const h = resp.headers();
	t.eq(h['content-type'], 'text/html; charset=utf-8',
	    `${name}: Content-Type`);
	t.ok(/default-src 'none'/.test(h['content-security-policy'] || '') &&
	    !/unsafe-inline|unsafe-eval/.test(h['content-security-policy']),
	    `${name}: CSP is ${h['content-security-policy']}`);
	t.eq(h['x-content-type-options'], 'nosniff', `${name}: nosniff`);
	t.eq(h['cache-control'], 'no-store', `${name}: Cache-Control`);
	const file = `${String(++pageSeq).padStart(2, '0')}-${name}.html`;
	fs.writeFileSync(path.join(pagesDir, file), await resp.body());
	t.eq(await page.evaluate(() => getComputedStyle(
	    document.querySelector('main')).maxWidth), '960px',
	    `${name}: keyfield.css applied`);
	const v = await axe(page);
	t.ok(v.length === 0, `${name} (${page.url()}): ${v.length} axe ` +
	    `violation(s)\n${axeReport(v)}`);
}

/* Type values into the card by label, as a person would find them. */
async function fill(page, values, typed = new Set()) {
	for (const s of SLOTS) {
		if (!(s.name in values))
			continue;
		const v = values[s.name];
		if (s.type === 'choice') {
			const opt = s.options.find((o) => o.value === v);
			await page.getByRole('group', { name: s.label +
			    (s.required ? WORDS.required : ''), exact: true })
			    .getByRole('radio', { name: opt.label,
			    exact: true }).check();
			continue;
		}
		const box = page.getByLabel(s.label + (s.required ?
		    WORDS.required : ''), { exact: true });
		if (typed.has(s.name)) {
			await box.fill('');
			await box.pressSequentially(v);
		} else
			await box.fill(v);
	}
}

function total(values) {
	return CITIES.reduce((n, c) =>
	    n + Number(values[`rating.rating.${c.key}`]), 0);
}

async function totalShown(page) {
	return (await page.locator('p.total').textContent()).trim();
}

async function statusOnHome(page) {
	const link = page.getByRole('link', { name: 'SF41 Cluster Management',
	    exact: true });
	return (await page.locator('tr', { has: link }).locator('td').nth(1)
	    .textContent()).trim();
}

/*
 * Open the invitation link: its page (checked when name is given), then
 * its one button, which signs in and lands on the home page.
 */
async function signIn(t, page, name) {
	const resp = await page.goto(LINK);
	if (name !== undefined)
		await visited(t, page, resp, name);
	t.eq(new URL(page.url()).pathname, new URL(LINK).pathname,
	    'the invitation page: no redirect, nothing set');
	await navigate(page, () => page.getByRole('button',
	    { name: WORDS.open }).click());
	t.eq(new URL(page.url()).pathname, '/', 'signed in: the home page');
}

/*
 * visited() where scripts run; without them (axe-core needs its timers)
 * the status only.
 */
async function seen(t, page, resp, name, status, js) {
	if (js)
		await visited(t, page, resp, name, status);
	else
		t.eq(resp.status(), status, `${name}: HTTP status`);
}

/* Every field of the card changed from values, marked with tag. */
function changed(values, tag, shift) {
	const out = {};
	for (const s of SLOTS) {
		const v = values[s.name];
		if (s.type === 'choice')
			out[s.name] = s.options[(s.options.findIndex((o) =>
			    o.value === v) + shift) % s.options.length].value;
		else if (/^[0-9]+$/.test(v))
			out[s.name] = String((Number(v) + shift) % 11);
		else
			out[s.name] = `${v} (${tag})`;
	}
	return out;
}

/*
 * An expert types into every section, her session cookie is deleted,
 * she presses Save draft: the 403 page holds every value; she pastes her
 * link: the card holds every value, unsaved; she saves; another device
 * (check, signed in) sees them.
 */
async function keepTyped(t, js, cardPath, check) {
	const tag = js ? 'kept, JavaScript on' : 'kept, JavaScript off';
	const name = js ? 'js' : 'nojs';
	const c = await browser.newContext({ javaScriptEnabled: js });
	const page = watch(await c.newPage(), `keep-${name}`);
	try {
		await signIn(t, page);
		await page.goto(`${URL_BASE}${cardPath}`);
		const stored = await formValues(page);
		const mine = changed(stored, tag, js ? 1 : 2);
		await fill(page, mine);
		await c.clearCookies();
		expected4xx++;
		let resp = await navigate(page, () => page.getByRole('button',
		    { name: WORDS.save }).click());
		await seen(t, page, resp, `keep-${name}`, 403, js);
		t.same(await formValues(page), { link: '', ...mine },
		    'every value on the 403 page');
		await check.reload();
		t.same(await formValues(check), stored, 'nothing saved yet');
		await page.getByLabel(WORDS.link, { exact: true })
		    .fill(LINK);
		resp = await navigate(page, () => page.getByRole('button',
		    { name: WORDS.continue }).first().click());
		t.eq(new URL(page.url()).pathname, `${cardPath}/resume`,
		    'the resumed card');
		await seen(t, page, resp, `resumed-${name}`, 200, js);
		t.ok(WORDS.notSaved.test(await page.locator('p.notice')
		    .first().textContent()), 'the "not saved yet" notice');
		t.same(await formValues(page), mine, 'every value, unsaved');
		await check.reload();
		t.same(await formValues(check), stored, 'still nothing saved');
		await navigate(page, () => page.getByRole('button',
		    { name: WORDS.save }).click());
		t.ok(WORDS.saved.test(await page.locator('p.notice')
		    .first().textContent()), 'the "saved" notice');
		t.same(await formValues(page), mine, 'after saving');
		await check.reload();
		t.same(await formValues(check), mine, 'on another device');
	} finally {
		await c.close();
	}
}

/* A browser context; without JS, keyfield.js is served empty to it. */
async function context(options = {}) {
	const c = await browser.newContext(options);
	if (!JS)
		await c.route('**/static/keyfield.js', (r) => r.fulfill({
		    status: 200, contentType: 'application/javascript',
		    body: '' }));
	return c;
}

const browser = await chromium.launch({
	executablePath: CHROMIUM,
	args: ['--no-sandbox', '--disable-gpu',
	    '--disable-background-networking', '--disable-component-update',
	    '--disable-sync', '--no-first-run'],
});
const t0 = Date.now();
try {
	const ctx = await context({ viewport: { width: 1280, height: 900 } });
	const page = watch(await ctx.newPage(), 'main');
	let cardPath = null;
	const v2 = { ...answers, 'rating.rating.S': '2' };

	await run.step('the invitation opens the home page listing SF41',
	    async (t) => {
		await signIn(t, page, 'invitation');
		const resp = await page.reload();
		t.eq(new URL(page.url()).pathname, '/',
		    'after the invitation (token gone from the URL)');
		await visited(t, page, resp, 'home');
		t.eq(await statusOnHome(page), WORDS.new, 'SF41 status');
	});

	await run.step('the empty card has exactly the form\'s fields',
	    async (t) => {
		const resp = await navigate(page, () => page.getByRole('link',
		    { name: 'SF41 Cluster Management', exact: true }).click());
		cardPath = new URL(page.url()).pathname;
		t.ok(/^\/card\/[1-9][0-9]*$/.test(cardPath),
		    `card URL ${cardPath}`);
		await visited(t, page, resp, 'card-empty');
		const empty = Object.fromEntries(SLOTS.map((s) =>
		    [s.name, '']));
		t.same(await formValues(page), empty, 'empty card');
		t.same(Object.fromEntries(SLOTS.map((s) => [s.name, 'x'])),
		    Object.fromEntries(Object.keys(answers).map((k) =>
		    [k, 'x'])), 'sf41.mjs answers every field');
		t.eq(await page.locator('nav.sections').count(), JS ? 1 : 0,
		    'keyfield.js\'s navigator only with JavaScript');
	});

	await run.step('fill in every field and save a draft', async (t) => {
		await fill(page, answers, new Set(['examples.example.S']));
		t.same(await formValues(page), answers,
		    'as typed, before saving');
		const resp = await navigate(page, () => page.getByRole('button',
		    { name: WORDS.save }).click());
		t.eq(new URL(page.url()).pathname, cardPath, 'after saving');
		await visited(t, page, resp, 'card-saved');
		t.ok(WORDS.saved.test(await page.locator('p.notice')
		    .first().textContent()), 'the "saved" notice');
		t.ok(WORDS.statusDraft.test(await page.locator('p.meta')
		    .textContent()), 'status draft on the card');
		t.same(await formValues(page), answers, 'after saving');
		t.eq(total(answers), ratingTotal, 'the seed\'s total');
		t.ok((await totalShown(page)).startsWith(
		    `${WORDS.total}: ${ratingTotal}`),
		    `total shown: ${await totalShown(page)}`);
	});

	await run.step('a reload shows every saved value', async (t) => {
		const resp = await page.reload();
		t.eq(resp.status(), 200, 'reload status');
		t.same(await formValues(page), answers, 'after reload');
		t.ok((await totalShown(page)).startsWith(
		    `${WORDS.total}: ${ratingTotal}`),
		    `total shown: ${await totalShown(page)}`);
		// The whole card in one tall viewport, so that the sticky
		// buttons sit at its end rather than across the examples.
		const height = await page.evaluate(() =>
		    document.documentElement.scrollHeight);
		await page.setViewportSize({ width: 1280, height });
		await page.screenshot({ path: path.join(ARTIFACTS,
		    `card${LANG_TAG}-filled${JS ? '' : '-nojs'}.png`),
		    fullPage: true });
		await page.setViewportSize({ width: 1280, height: 900 });
	});

	const other = await context();
	const page2 = watch(await other.newPage(), 'device2');
	await run.step('another device: the invitation link shows the draft',
	    async (t) => {
		t.eq((await other.cookies()).length, 0, 'a fresh context');
		await signIn(t, page2);
		t.eq(await statusOnHome(page2), WORDS.draft, 'SF41 status');
		await navigate(page2, () => page2.getByRole('link',
		    { name: 'SF41 Cluster Management', exact: true }).click());
		t.eq(new URL(page2.url()).pathname, cardPath, 'card URL');
		t.same(await formValues(page2), answers, 'on the other device');
	});

	await run.step('submitting a rating of 11 shows the error and keeps ' +
	    'every value', async (t) => {
		const name = 'rating.rating.Fr';
		const bad = { ...answers, [name]: '11' };
		await fill(page, { [name]: '11' });
		expected4xx++;
		const resp = await navigate(page, () => page.getByRole('button',
		    { name: WORDS.submit }).click());
		await visited(t, page, resp, 'card-errors', 422);
		t.same(await formValues(page), bad, 'after the failed submit');
		const msg = WORDS.rule;
		const box = page.locator(`[name="${name}"]`);
		const issue = page.locator(`[id="${name}-issue"]`);
		t.eq((await issue.textContent()).trim(), msg,
		    'message at the field');
		t.ok(await issue.isVisible(), 'the message is visible');
		t.ok(await box.evaluate((el, id) => el.closest('.q')
		    .contains(document.getElementById(id)), `${name}-issue`),
		    'the message is next to the field (same .q)');
		t.eq(await box.getAttribute('aria-invalid'), 'true',
		    'aria-invalid');
		t.ok((await box.getAttribute('aria-describedby') || '')
		    .split(' ').includes(`${name}-issue`),
		    'aria-describedby names the message');
		const sum = page.locator('#problems');
		t.eq(await sum.getAttribute('role'), 'alert', 'summary role');
		t.eq((await sum.locator('h2').textContent()).trim(),
		    WORDS.problems, 'summary heading');
		const items = sum.locator('li a');
		t.eq(await items.count(), 1, 'summary items');
		t.eq((await items.first().textContent()).trim(),
		    `${SLOTS.find((s) => s.name === name).label}: ${msg}`,
		    'summary item');
		t.eq(await items.first().getAttribute('href'), `#${name}`,
		    'summary link target');
		t.ok(await sum.evaluate((s) => s.compareDocumentPosition(
		    document.querySelector('form.card')) &
		    Node.DOCUMENT_POSITION_FOLLOWING),
		    'summary above the form');
		// Nothing of the failed submit is stored.
		await page2.reload();
		t.same(await formValues(page2), answers,
		    'stored card after the failed submit');
	});

	await run.step('submit lands on the confirmation with every value',
	    async (t) => {
		await fill(page, { 'rating.rating.Fr':
		    answers['rating.rating.Fr'] });
		const resp = await navigate(page, () => page.getByRole('button',
		    { name: WORDS.submit }).click());
		t.eq(new URL(page.url()).pathname, `${cardPath}/submitted`,
		    'confirmation URL');
		await visited(t, page, resp, 'submitted-v1');
		t.eq((await page.locator('h1').textContent()).trim(),
		    WORDS.thanks,
		    'heading');
		t.ok(WORDS.stored(1).test(await page.locator(
		    'p[role=status]').textContent()), 'version 1');
		t.same(await viewValues(page, SLOTS, WORDS.total), { ...answers,
		    'rating.total': String(ratingTotal) }, 'confirmation');
	});

	await run.step('reopen, revise and submit again: version 2',
	    async (t) => {
		let resp = await navigate(page, () => page.getByRole('link',
		    { name: WORDS.reopen }).click());
		t.eq(new URL(page.url()).pathname, cardPath, 'reopened card');
		await visited(t, page, resp, 'card-submitted');
		t.ok(WORDS.statusSubmitted.test(await page
		    .locator('p.meta').textContent()), 'status line');
		t.same(await formValues(page), answers, 'reopened card');
		await fill(page, { 'rating.rating.S': v2['rating.rating.S'] });
		resp = await navigate(page, () => page.getByRole('button',
		    { name: WORDS.submit }).click());
		t.eq(new URL(page.url()).pathname, `${cardPath}/submitted`,
		    'confirmation URL');
		await visited(t, page, resp, 'submitted-v2');
		t.ok(WORDS.stored(2).test(await page.locator(
		    'p[role=status]').textContent()), 'version 2');
		t.same(await viewValues(page, SLOTS, WORDS.total), { ...v2,
		    'rating.total': String(total(v2)) }, 'confirmation v2');
		await page.screenshot({ path: path.join(ARTIFACTS,
		    `card${LANG_TAG}-submitted${JS ? '' : '-nojs'}.png`),
		    fullPage: true });
	});

	await run.step('both versions are kept and the card shows version 2',
	    async (t) => {
		let resp = await page.goto(`${URL_BASE}${cardPath}/v/1`);
		await visited(t, page, resp, 'version-1');
		t.eq((await page.locator('h1').textContent()).trim(),
		    `SF41 Cluster Management, ${WORDS.version(1)}`, 'heading');
		t.same(await viewValues(page, SLOTS, WORDS.total), { ...answers,
		    'rating.total': String(ratingTotal) }, 'version 1');
		resp = await page.goto(`${URL_BASE}${cardPath}/v/2`);
		t.eq(resp.status(), 200, 'version 2 status');
		t.same(await viewValues(page, SLOTS, WORDS.total), { ...v2,
		    'rating.total': String(total(v2)) }, 'version 2');
		await page.goto(`${URL_BASE}${cardPath}`);
		t.same(await formValues(page), v2, 'card after version 2');
		t.ok((await totalShown(page)).startsWith(
		    `${WORDS.total}: ${total(v2)}`),
		    `total shown: ${await totalShown(page)}`);
		const links = await page.locator('p.versions a').evaluateAll(
		    (as) => as.map((a) => `${a.textContent} ${a.getAttribute(
		    'href')}`));
		t.eq(links.join(', '), `${WORDS.version(2)} ${cardPath}/v/2, ` +
		    `${WORDS.version(1)} ${cardPath}/v/1`, 'version links');
		resp = await page.goto(`${URL_BASE}/`);
		await visited(t, page, resp, 'home-submitted');
		t.eq(await statusOnHome(page), WORDS.submitted2,
		    'SF41 status');
	});

	for (const js of [true, false])
		await run.step('session lost while typing (JavaScript ' +
		    `${js ? 'on' : 'off'}): nothing typed is lost`,
		    (t) => keepTyped(t, js, cardPath, page2));

	await run.step('no console errors or CSP violations', async (t) => {
		for (const p of consoleProblems)
			t.ok(false, p);
	});

	// The checks above must be able to fail: each checker meets a
	// page or value that is wrong on purpose.
	await run.step('the checkers catch planted faults', async (t) => {
		const c = await ctx.newPage();
		await c.setContent('<!DOCTYPE html><html lang="en"><head>' +
		    '<title>canary</title></head><body><main>' +
		    '<img src="data:,"><input type="text" name="x"></main>' +
		    '</body></html>');
		const ids = (await axe(c)).map((v) => v.id).sort();
		t.ok(ids.includes('image-alt') && ids.includes('label'),
		    `axe on a broken page found only [${ids}]`);
		await c.close();
		const wrong = { ...answers, remarks: `${answers.remarks} ` };
		t.eq(diff(answers, wrong).length, 1,
		    'a changed value is found');
		const { remarks, ...less } = answers;
		t.eq(diff(less, answers).length, 1, 'a missing value is found');
		fs.writeFileSync(path.join(pagesDir, '00-canary-invalid.html'),
		    '<!DOCTYPE html><html lang="en"><head></head><body><p>x' +
		    '</body></html>');
	});

	await other.close();
	await ctx.close();
} finally {
	await browser.close();
}
const tBrowser = Date.now() - t0;

await run.step('Nu HTML Checker: no errors in any page as served',
    async (t) => {
	const report = await vnu(pagesDir);
	const files = Object.keys(report).sort();
	t.ok(files.length >= 9, `pages checked: ${files.join(' ')}`);
	for (const f of files) {
		if (f.startsWith('00-canary')) {
			t.ok(report[f].length > 0,
			    `vnu found nothing wrong in ${f}`);
			continue;
		}
		for (const m of report[f])
			t.ok(false, `${f}: ${m}`);
	}
});

clearTimeout(killer);
console.log(`# browser ${tBrowser} ms, total ${Date.now() - t0} ms; ` +
    `screenshot and pages in ${ARTIFACTS}`);
console.log(`browser: ${run.passed} passed, ${run.failed} failed`);
process.exit(run.failed === 0 && run.passed > 0 ? 0 : 3);
