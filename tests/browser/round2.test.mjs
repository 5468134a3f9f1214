// tests/browser/round2.test.mjs: the round-2 (Delphi) card in headless
// Chromium against a real keyfield (started by round2.sh after five
// experts submitted round 1 and round 2 started): the test expert's card
// shows her round-1 rating and the panel's median, Q1 to Q3 and n beside
// each rating (computed here independently, Hyndman and Fan type 7);
// with keyfield.js a reason field shows, marked, while a rating is
// outside Q1 to Q3, without it every reason field is there; a submit
// without the reasons answers 422 with the message beside each rating
// and every value kept; with them the card is submitted and the reasons
// are on the confirmation. Every page: axe-core and the Nu checker.
//
// Environment: KF_URL, KF_LINK, KF_CARD (the test expert's SF41 card),
// KF_ARTIFACTS, KF_JS=off to serve keyfield.js empty (round2.sh runs
// both). Prints "ok"/"not ok" per step and "browser-round2: N passed,
// M failed"; exit status 0 when all passed, 3 when a step failed.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

import { Run, axe, formValues, served, vnu } from './check.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const RUN_LIMIT_MS = 90000;
const STEP_TIMEOUT_MS = 10000;
const env = (k) => {
	if (!process.env[k]) {
		console.log(`browser-round2: ${k} is not set ` +
		    '(run tests/browser/round2.sh)');
		process.exit(2);
	}
	return process.env[k];
};
const URL_BASE = env('KF_URL');
const LINK = env('KF_LINK');
const CARD = `/card/${env('KF_CARD')}`;
const ARTIFACTS = env('KF_ARTIFACTS');
const JS = process.env.KF_JS !== 'off';
const MODE = JS ? '' : '-nojs';

/* Round 1 as tests/e2e/rounds.sh submits it; the test expert is first. */
const CITIES = { Fr: 'Freiburg', B: 'Berlin', C: 'Copenhagen',
	NY: 'New York City', S: 'Singapore', T: 'Tokyo' };
const RATINGS = [[2, 7, 5, 6, 1, 8], [2, 8, 5, 6, 2, 8], [3, 8, 5, 6, 3, 8],
	[8, 9, 5, 7, 4, 9], [9, 10, 6, 7, 5, 9]];

/* Quantile p of v by linear interpolation (type 7), as plain text. */
function quantile(v, p) {
	const s = [...v].sort((a, b) => a - b);
	const h = (s.length - 1) * p;
	const lo = Math.floor(h);
	const x = s[lo] + (h - lo) * ((s[lo + 1] ?? s[lo]) - s[lo]);
	return String(x);
}

/* What the card must show beside city i: own, median, "Q1 to Q3", n. */
function expected(i) {
	const v = RATINGS.map((r) => r[i]);
	return [String(v[0]), quantile(v, 0.5),
	    `${quantile(v, 0.25)} to ${quantile(v, 0.75)}`, String(v.length)];
}

/* The cities whose round-1 rating of the test expert lies outside. */
const outside = (ratings) => Object.keys(CITIES).filter((c, i) => {
	const v = RATINGS.map((r) => r[i]);
	const r = Number(ratings[c]);
	return r < Number(quantile(v, 0.25)) || r > Number(quantile(v, 0.75));
});

const pagesDir = path.join(ARTIFACTS, `pages-round2${MODE}`);
fs.rmSync(pagesDir, { recursive: true, force: true });
fs.mkdirSync(pagesDir, { recursive: true });
let seq = 0;
const keep = (t, page, resp, name, status = 200) => served(t, page, resp,
    name, status, pagesDir, `${String(++seq).padStart(2, '0')}-${name}.html`);

const run = new Run();
const problems = [];
let expected4xx = 0;	/* Chromium logs each 4xx page as a console error */
const killer = setTimeout(() => {
	console.log(`not ok - the run took over ${RUN_LIMIT_MS} ms`);
	console.log(`browser-round2: ${run.passed} passed, ` +
	    `${run.failed + 1} failed`);
	process.exit(3);
}, RUN_LIMIT_MS);

async function navigate(page, action) {
	const [resp] = await Promise.all([
		page.waitForNavigation({ waitUntil: 'load' }), action(),
	]);
	return resp;
}

/* The reason fields' paragraphs: {city: "hidden" | "shown" | "needed"}. */
function reasonStates(page) {
	return page.evaluate(() => Object.fromEntries([...document
	    .querySelectorAll('.delphi p.reason')].map((p) => [
	    p.querySelector('input').name.replace('rating_reason.', ''),
	    p.hidden ? 'hidden' : p.classList.contains('needed') ?
	    'needed' : 'shown'])));
}

const rating = (page, c) => page.getByLabel(`Rating for ${CITIES[c]}`,
    { exact: true });

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu',
	    '--disable-background-networking', '--disable-component-update',
	    '--disable-sync', '--no-first-run'],
});
try {
	const ctx = await browser.newContext({ viewport: { width: 1280,
	    height: 900 } });
	if (!JS)
		await ctx.route('**/static/keyfield.js', (r) => r.fulfill({
		    status: 200, contentType: 'application/javascript',
		    body: '' }));
	const page = await ctx.newPage();
	page.setDefaultTimeout(STEP_TIMEOUT_MS);
	page.on('console', (m) => {
		if (m.type() === 'error' && expected4xx > 0 &&
		    /status of 4[0-9][0-9] /.test(m.text()))
			expected4xx--;
		else if (m.type() === 'error' || m.type() === 'warning')
			problems.push(`${page.url()}: ${m.text()}`);
	});
	page.on('pageerror', (e) => problems.push(`${page.url()}: ` +
	    `${e.message}`));
	let round1 = null;

	await run.step('the round-2 card shows her rating and the panel\'s ' +
	    'figures beside each city', async (t) => {
		await page.goto(LINK);
		await navigate(page, () => page.getByRole('button',
		    { name: 'Open my key fields' }).click());
		const resp = await page.goto(`${URL_BASE}${CARD}`);
		await keep(t, page, resp, 'round2-card');
		t.ok(await page.getByRole('heading', { name: 'Round 2' })
		    .isVisible(), 'the heading "Round 2"');
		for (const [i, c] of Object.keys(CITIES).entries()) {
			const dd = await page.locator('.delphi[data-for=' +
			    `"rating.rating.${c}"] dd`).allTextContents();
			t.same(Object.assign({}, dd), Object.assign({},
			    expected(i)), `${c}: own, median, Q1 to Q3, n`);
		}
		t.ok(await page.getByText('The panel in round 1 (n = 5): ' +
		    'none 0, low 1, medium 1, high 3; median level: high.')
		    .isVisible(), 'the sector\'s levels');
		round1 = await formValues(page);
	});

	await run.step(JS ? 'keyfield.js shows a reason field, marked, ' +
	    'while the rating is outside Q1 to Q3' : 'without JavaScript ' +
	    'every city has its reason field', async (t) => {
		const out = outside(Object.fromEntries(Object.keys(CITIES)
		    .map((c) => [c, round1[`rating.rating.${c}`]])));
		t.eq(out.join(' '), 'B S', 'her round-1 ratings outside');
		const want = (o) => Object.fromEntries(Object.keys(CITIES)
		    .map((c) => [c, !JS ? 'shown' : o.includes(c) ?
		    'needed' : 'hidden']));
		t.same(await reasonStates(page), want(out), 'as opened');
		await rating(page, 'Fr').fill('10');
		t.same(await reasonStates(page), want([...out, 'Fr']),
		    'Freiburg 10 (above Q3)');
		if (JS)
			t.ok(/Needed now/.test(await page.locator('.delphi' +
			    '[data-for="rating.rating.Fr"] .why')
			    .textContent()), 'it says it is needed now');
		await rating(page, 'Fr').fill('5');
		t.same(await reasonStates(page), want(out), 'Freiburg 5');
		await rating(page, 'Fr').fill('10');
		const v = await axe(page);
		t.eq(v.length, 0, 'axe with the fields marked');
		const height = await page.evaluate(() =>
		    document.documentElement.scrollHeight);
		await page.setViewportSize({ width: 1280, height });
		await page.screenshot({ path: path.join(ARTIFACTS,
		    `card-round2${MODE}.png`), fullPage: true });
		await page.setViewportSize({ width: 1280, height: 900 });
	});

	await run.step('submit without the reasons: 422, the message beside ' +
	    'each rating, every value kept', async (t) => {
		expected4xx++;
		const resp = await navigate(page, () => page.getByRole(
		    'button', { name: 'Submit' }).click());
		await keep(t, page, resp, 'round2-422', 422);
		t.same(await formValues(page), { ...round1,
		    'rating.rating.Fr': '10' }, 'every value kept');
		for (const c of ['Fr', 'B', 'S']) {
			const issue = page.locator(
			    `[id="rating.rating.${c}-issue"]`);
			t.ok(/outside the panel's Q1 to Q3/.test(
			    await issue.textContent()), `${c}: the message`);
			t.ok(await rating(page, c).evaluate((el, id) =>
			    el.closest('.q').contains(
			    document.getElementById(id)),
			    `rating.rating.${c}-issue`), `${c}: beside it`);
		}
		t.eq(await page.locator('#problems li').count(), 3,
		    'three problems');
	});

	await run.step('with the reasons: submitted, the reasons on the ' +
	    'confirmation', async (t) => {
		await page.getByLabel('Reason for Freiburg, needed if your ' +
		    'rating is outside 2 to 8', { exact: true })
		    .fill('A new cluster agency');
		await page.getByLabel('Reason for Berlin, needed if your ' +
		    'rating is outside 8 to 9', { exact: true })
		    .fill('The office closed');
		await page.getByLabel('Reason for Singapore, needed if your ' +
		    'rating is outside 2 to 4', { exact: true })
		    .fill('Nothing there yet');
		const resp = await navigate(page, () => page.getByRole(
		    'button', { name: 'Submit' }).click());
		t.eq(new URL(page.url()).pathname, `${CARD}/submitted`,
		    'the confirmation');
		await keep(t, page, resp, 'round2-submitted');
		const dl = await page.locator('dl.reasons').textContent();
		t.ok(/Reason for the rating of Freiburg\s*A new cluster agency/
		    .test(dl), `the reasons: ${dl}`);
	});

	await run.step('no console errors or CSP violations', async (t) => {
		for (const p of problems)
			t.ok(false, p);
	});
	await ctx.close();
} finally {
	await browser.close();
}

await run.step('Nu HTML Checker: no errors in the round-2 pages',
    async (t) => {
	const report = await vnu(pagesDir);
	t.eq(Object.keys(report).length, 3, 'pages checked');
	for (const [f, ms] of Object.entries(report))
		for (const m of ms)
			t.ok(false, `${f}: ${m}`);
});

clearTimeout(killer);
console.log(`browser-round2: ${run.passed} passed, ${run.failed} failed`);
process.exit(run.failed === 0 && run.passed > 0 ? 0 : 3);
