// tests/browser/check.mjs: the small harness behind card.test.mjs: named
// steps with soft assertions, reading the card's form and its read-only
// view out of a page, comparing them with what was typed, axe-core, and
// one batched run of the Nu HTML Checker.

import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'),
    'utf8');
export const vnuJar = path.join(path.dirname(
    require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');

/* Steps: each is one test; a failed assertion fails it, the run goes on. */
export class Run {
	constructor() {
		this.passed = 0;
		this.failed = 0;
	}

	async step(name, fn) {
		const t = new Step(name);
		const t0 = Date.now();
		try {
			await fn(t);
		} catch (e) {
			t.problems.push(`threw: ${e && e.stack ? e.stack : e}`);
		}
		const ms = Date.now() - t0;
		if (t.problems.length === 0) {
			this.passed++;
			console.log(`ok - ${name} (${ms} ms)`);
		} else {
			this.failed++;
			console.log(`not ok - ${name} (${ms} ms)`);
			for (const p of t.problems)
				console.log('    ' +
				    p.replace(/\n/g, '\n    '));
		}
		return t.problems.length === 0;
	}
}

class Step {
	constructor(name) {
		this.name = name;
		this.problems = [];
	}

	ok(cond, what) {
		if (!cond)
			this.problems.push(what);
		return !!cond;
	}

	eq(actual, expected, what) {
		if (actual === expected)
			return true;
		this.problems.push(`${what}: got ${JSON.stringify(actual)}, ` +
		    `expected ${JSON.stringify(expected)}`);
		return false;
	}

	/* Exact comparison of two {name: value} maps, every key of both. */
	same(actual, expected, where) {
		const bad = diff(actual, expected);
		for (const d of bad)
			this.problems.push(`${where}: ${d}`);
		return bad.length === 0;
	}
}

/* The differences between two {name: value} maps, as sentences. */
export function diff(actual, expected) {
	const out = [];
	const keys = new Set([...Object.keys(expected),
	    ...Object.keys(actual)]);
	for (const k of [...keys].sort()) {
		if (!(k in actual))
			out.push(`${k}: missing from the page`);
		else if (!(k in expected))
			out.push(`${k}: on the page but not expected ` +
			    `(${JSON.stringify(actual[k])})`);
		else if (actual[k] !== expected[k])
			out.push(`${k}: got ${JSON.stringify(actual[k])}, ` +
			    `expected ${JSON.stringify(expected[k])}`);
	}
	return out;
}

/*
 * A form definition with each text (title, label, help: a string, or an
 * object of one per language) in language lang, else in the form's
 * default language, as the server shows it.
 */
export function inLanguage(form, lang) {
	const dflt = form.default_language || 'en';
	const pick = (v) => v === null || typeof v !== 'object' ||
	    Array.isArray(v) ? v : (v[lang] ?? v[dflt]);
	const walk = (o) => {
		if (Array.isArray(o))
			return o.map(walk);
		if (o === null || typeof o !== 'object')
			return o;
		const out = {};
		for (const [k, v] of Object.entries(o))
			out[k] = ['title', 'label', 'help'].includes(k) ?
			    pick(v) : walk(v);
		return out;
	};
	return walk(form);
}

/*
 * The slots of a form definition for the campaign's cities, in page
 * order: { name, label, type, required } with the input names and labels
 * the server derives (grid cells are grid.column.row, "{row}" filled).
 */
export function slots(form, cities) {
	const out = [];
	for (const sec of form.sections)
		for (const q of sec.questions) {
			if (q.type !== 'grid') {
				out.push({ name: q.key, label: q.label,
				    type: q.type, required: !!q.required,
				    options: q.options });
				continue;
			}
			const rows = q.rows === 'cities' ? cities : q.rows;
			for (const r of rows)
				for (const c of q.columns)
					out.push({
						name: [q.key, c.key, r.key]
						    .join('.'),
						label: c.label.replace('{row}',
						    r.label),
						type: c.type,
						required: !!c.required,
						options: c.options,
					});
		}
	return out;
}

/*
 * Every answer control of the card form as {name: value}: text inputs
 * and textareas by value, a radio group by its checked value ("" for
 * "not answered", null when none is checked). Hidden fields are left out.
 */
export function formValues(page) {
	return page.evaluate(() => {
		const out = {};
		const f = document.querySelector('form.card');
		if (f === null)
			return null;
		for (const el of f.elements) {
			if (!el.name || el.type === 'hidden' ||
			    el.tagName === 'BUTTON')
				continue;
			if (el.type === 'radio') {
				if (!(el.name in out))
					out[el.name] = null;
				if (el.checked)
					out[el.name] = el.value;
			} else
				out[el.name] = el.value;
		}
		return out;
	});
}

/*
 * The read-only card (confirmation and version pages) as {name: value},
 * by label: each question's heading and the answer after it (paragraph
 * text, list items one per line, "" for the empty dash); the ratings
 * table gives rating.rating.CODE and "rating.total" (its column headed
 * totalWord, the page's word for it); a choice shows its option's
 * label, given back as its value.
 */
export async function viewValues(page, slotList, totalWord = 'Total') {
	const raw = await page.evaluate((totalWord) => {
		const out = { labels: {}, ratings: {}, total: null };
		const t = document.querySelector('table.ratings');
		if (t !== null) {
			const keys = [...t.querySelectorAll('thead th')]
			    .map((th) => th.textContent.trim());
			const vals = [...t.querySelectorAll('tbody td')]
			    .map((td) => td.textContent);
			keys.forEach((k, i) => {
				if (k === totalWord)
					out.total = vals[i];
				else
					out.ratings[k] = vals[i];
			});
		}
		for (const h of document.querySelectorAll(
		    'main section h3, main section h4')) {
			const n = h.nextElementSibling;
			let v;
			if (n !== null && /^H[1-6]$/.test(n.tagName))
				continue;	/* a grid's heading */
			if (n === null)
				v = null;
			else if (n.matches('p.empty'))
				v = '';
			else if (n.matches('p.answer'))
				v = n.textContent;
			else if (n.matches('ul'))
				v = [...n.children].map((li) => li.textContent)
				    .join('\n');
			else
				v = `(unexpected ${n.outerHTML.slice(0, 80)})`;
			if (h.textContent in out.labels)
				v = '(label shown twice)';
			out.labels[h.textContent] = v;
		}
		return out;
	}, totalWord);
	const byLabel = new Map(slotList.map((s) => [s.label, s]));
	const values = {};
	for (const [label, v] of Object.entries(raw.labels)) {
		const s = byLabel.get(label);
		/* A choice shows its option's label: its value back. */
		const o = s?.options?.find((x) => x.label === v);
		values[s?.name ?? `(unknown label) ${label}`] = o ? o.value : v;
	}
	for (const [code, v] of Object.entries(raw.ratings))
		values[`rating.rating.${code}`] = v === '—' ? '' : v;
	if (raw.total !== null)
		values['rating.total'] = raw.total;
	return values;
}

/* Run axe-core on the page as it is; the list of violations. */
export async function axe(page) {
	if (!await page.evaluate(() => typeof window.axe === 'object'))
		await page.evaluate(axeSource);
	const r = await page.evaluate(() => window.axe.run(document,
	    { resultTypes: ['violations'] }));
	return r.violations;
}

export function axeReport(violations) {
	return violations.map((v) => `axe ${v.id} (${v.impact}): ${v.help}\n` +
	    v.nodes.map((n) => `  ${n.target.join(' ')}: ${n.html}\n` +
	    `    ${(n.failureSummary || '').replace(/\n/g, ' ')}`).join('\n'))
	    .join('\n');
}

/*
 * The Nu HTML Checker over every file in dir in one JVM; resolves to
 * { file: [error messages] } with an entry for every file, or rejects
 * when the checker could not run.
 */
export function vnu(dir) {
	const files = fs.readdirSync(dir).filter((f) => f.endsWith('.html'))
	    .sort().map((f) => path.join(dir, f));
	return new Promise((resolve, reject) => {
		execFile('java', ['-jar', vnuJar, '--format', 'json',
		    '--stdout', ...files],
		    { maxBuffer: 64 << 20, timeout: 60000 },
		    (err, stdout, stderr) => {
			let report;
			try {
				report = JSON.parse(stdout);
			} catch (e) {
				reject(new Error(`vnu gave no JSON (${err}): ` +
				    `${stderr}${stdout}`.slice(0, 2000)));
				return;
			}
			const out = {};
			for (const f of files)
				out[path.basename(f)] = [];
			for (const m of report.messages) {
				const f = m.url ? path.basename(
				    decodeURIComponent(m.url)) : '(none)';
				if (m.type !== 'error' &&
				    m.type !== 'non-document-error')
					continue;
				(out[f] ??= []).push(`line ${m.lastLine}: ` +
				    `${m.message} [${(m.extract || '')
				    .replace(/\n/g, '\\n')}]`);
			}
			resolve(out);
		});
	});
}

/*
 * A page as served, for the tests written since (card.test.mjs and
 * admin.test.mjs keep their own): its status, Content-Type, a CSP
 * without inline scripts, nosniff, no-store; keyfield.css applied under
 * that CSP; its HTML as served kept as dir/file for the Nu checker; axe
 * with no violations.
 */
export async function served(t, page, resp, name, status, dir, file) {
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
	fs.writeFileSync(path.join(dir, file), await resp.body());
	t.eq(await page.evaluate(() => getComputedStyle(
	    document.querySelector('main')).maxWidth), '960px',
	    `${name}: keyfield.css applied`);
	const v = await axe(page);
	t.ok(v.length === 0, `${name} (${page.url()}): ${v.length} axe ` +
	    `violation(s)\n${axeReport(v)}`);
}
