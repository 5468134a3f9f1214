/*
 * keyfield.js: the card's helper while an expert writes. Saves a changed
 * card as a draft (data-autosave ms after the last change, and when the
 * page is left) through the card's own POST with its CSRF token and
 * revision; warns before leaving unsaved changes; shows a navigator of
 * the sections with their state, the live total of the ratings and a
 * character count under each long text; in a later Delphi round, shows
 * a rating's reason field while the rating is outside Q1 to Q3.
 * Everything works without it: it never replaces the form's own Save
 * draft and Submit. Its words come from the page, in the page's
 * language: its script element's data-texts, a JSON object of texts
 * whose {name}s it fills in (page-card.c's script_texts).
 */
'use strict';

(function () {
	/* Read now: document.currentScript is null once the script ran. */
	const script = document.currentScript || { dataset: {} };
	const form = document.querySelector('form.card');
	if (form === null)
		return;
	/* The buttons named "action" hide form.action: the attribute. */
	const target = form.getAttribute('action');
	const autosave = form.dataset.autosave !== undefined;
	const KEEPALIVE_MAX = 60000;	/* bytes a keepalive fetch may send */
	let texts = {};
	try {
		texts = JSON.parse(script.dataset.texts || '{}');
	} catch (e) {
		texts = {};
	}
	/* The page's text called key, its {name}s filled in from v. */
	function word(key, v) {
		const s = typeof texts[key] === 'string' ? texts[key] : key;
		return s.replace(/\{(\w+)\}/g, (m, k) =>
		    v && k in v ? String(v[k]) : m);
	}
	let dirty = false;	/* changed since the last save */
	let changes = 0;	/* changes so far: which ones a save holds */
	let timer = null;
	let inflight = false;
	let again = false;	/* changed while a save was on its way */
	let leaving = false;	/* the form itself is being sent */
	let stale = false;	/* saved elsewhere: autosave stops */

	/* ---- the status line, beside the buttons ---- */
	const line = document.createElement('p');
	line.className = 'autosave';
	line.id = 'autosave-status';
	line.setAttribute('role', 'status');
	line.setAttribute('aria-live', 'polite');
	const actions = form.querySelector('.actions');
	if (actions !== null)
		actions.append(line);

	function say(text, bad) {
		line.textContent = text;
		line.classList.toggle('bad', !!bad);
	}

	function hhmm(iso) {
		const d = new Date(iso);
		const two = (n) => String(n).padStart(2, '0');
		return isNaN(d) ? '' :
		    `${two(d.getHours())}:${two(d.getMinutes())}`;
	}

	/* Stale: the server's conflict page, through the form's own POST. */
	function conflict(message) {
		stale = true;
		say(message || word('changed'), true);
		const b = document.createElement('button');
		b.type = 'submit';
		b.name = 'action';
		b.value = 'save';
		b.textContent = word('compare');
		line.append(' ', b);
	}

	function failed(answer) {
		const why = answer && answer.message ?
		    ` ${answer.message}` : '';
		say(word('failed') + why, true);
	}

	/* Save the form as a draft; with keepalive, while the page goes. */
	async function save(keepalive) {
		clearTimeout(timer);
		if (!dirty || stale || leaving)
			return;
		if (inflight) {
			again = true;
			return;
		}
		const body = new URLSearchParams(new FormData(form));
		body.set('action', 'save');
		if (keepalive && body.toString().length > KEEPALIVE_MAX)
			return;	/* too large to send while leaving: warned */
		const sent = changes;
		inflight = true;
		try {
			const r = await fetch(target, {
				method: 'POST', body, keepalive,
				credentials: 'same-origin',
				headers: { Accept: 'application/json' },
			});
			const json = /^application\/json/.test(
			    r.headers.get('Content-Type') || '');
			const answer = json ? await r.json() : null;
			if (r.ok && answer && answer.revision) {
				form.elements.revision.value = answer.revision;
				dirty = changes !== sent;
				say(dirty ? word('unsaved') : word('saved',
				    { time: hhmm(answer.saved_at) }));
			} else if (r.status === 409 && answer &&
			    answer.error === 'conflict')
				conflict(answer.message);
			else if (r.status === 403)
				failed({ message: word('session') });
			else
				failed(answer);
		} catch (e) {
			failed(null);
		} finally {
			inflight = false;
		}
		if (again) {
			again = false;
			schedule();
		}
	}

	function schedule() {
		clearTimeout(timer);
		if (autosave && !stale) {
			const ms = Number(form.dataset.autosave);
			timer = setTimeout(save, ms > 0 ? ms : 30000, false);
		}
	}

	/* ---- the navigator, the total and the counts ---- */
	const sections = [...form.querySelectorAll('fieldset.section')];
	const nav = document.createElement('nav');
	nav.className = 'sections';
	nav.setAttribute('aria-label', word('sections'));
	const list = document.createElement('ol');
	const states = new Map();
	for (const s of sections) {
		const li = document.createElement('li');
		const a = document.createElement('a');
		a.href = `#${s.id}`;
		a.textContent = s.querySelector('legend h2').textContent;
		const state = document.createElement('span');
		state.className = 'state';
		li.append(a, ' ', state);
		list.append(li);
		states.set(s, state);
	}
	nav.append(list);
	form.before(nav);

	/* The value of a control: a radio group's checked value. */
	function filled(el) {
		if (el.type === 'radio')
			return el.checked && el.value !== '';
		return el.value.trim() !== '';
	}

	function characters(text) {
		return [...text].length;
	}

	/* A check the browser can make: a rating's range, a text's length. */
	function wrong(el) {
		if (el.dataset.min !== undefined && el.value.trim() !== '') {
			const v = el.value.trim();
			return !/^-?[0-9]+$/.test(v) ||
			    Number(v) < Number(el.dataset.min) ||
			    Number(v) > Number(el.dataset.max);
		}
		if (el.dataset.maxlength !== undefined)
			return characters(el.value) >
			    Number(el.dataset.maxlength);
		return false;
	}

	/* The server's mark stays until the field changes. */
	const initial = new Map();
	for (const el of form.elements)
		initial.set(el, el.type === 'radio' ? el.checked : el.value);
	function marked(el) {
		return el.getAttribute('aria-invalid') === 'true' &&
		    initial.get(el) === (el.type === 'radio' ? el.checked :
		    el.value);
	}

	function sectionState(s) {
		const els = [...s.querySelectorAll('input, textarea')]
		    .filter((el) => el.name && el.type !== 'hidden');
		if (els.some((el) => wrong(el) || marked(el)))
			return 'problem';
		return els.some(filled) ? 'started' : 'empty';
	}

	/* Each grid's total, as the server writes it, for its ratings. */
	function totals() {
		for (const p of form.querySelectorAll('p.total')) {
			const cells = [...p.closest('fieldset.grid')
			    .querySelectorAll('input[data-min]')];
			let sum = 0, counted = 0;
			for (const el of cells)
				if (el.value.trim() !== '' && !wrong(el)) {
					sum += Number(el.value.trim());
					counted++;
				}
			const strong = document.createElement('strong');
			strong.textContent = sum;
			p.replaceChildren(`${word('total')} `, strong,
			    counted > 0 ? word('rated',
			    { counted, rows: cells.length }) : '');
			const state = states.get(p.closest('fieldset.section'));
			if (state !== undefined)
				state.dataset.total = word('sum', { sum });
		}
	}

	const counts = new Map();
	for (const t of form.querySelectorAll('textarea[data-maxlength]')) {
		const c = document.createElement('p');
		c.className = 'count';
		c.id = `${t.id}-count`;
		t.after(c);
		counts.set(t, c);
	}

	function count(t) {
		const c = counts.get(t);
		const n = characters(t.value);
		const max = Number(t.dataset.maxlength);
		c.textContent = word('chars', { n, max }) +
		    (n > max ? word('toomany', { n: n - max }) : '');
		c.classList.toggle('bad', n > max);
	}

	/*
	 * A later round: a rating's reason field (data-q1x4, data-q3x4 of
	 * the round before) shows, marked, while the rating is outside
	 * [Q1, Q3]; inside, it hides unless it holds a reason.
	 */
	function reasons() {
		for (const d of form.querySelectorAll('.delphi[data-q1x4]')) {
			const el = form.elements.namedItem(d.dataset.for);
			const p = d.querySelector('p.reason');
			if (el === null || p === null)
				continue;
			const v = el.value.trim();
			const out = v !== '' && !wrong(el) &&
			    (Number(v) * 4 < Number(d.dataset.q1x4) ||
			    Number(v) * 4 > Number(d.dataset.q3x4));
			const why = p.querySelector('.why');
			p.classList.toggle('needed', out);
			p.hidden = !out && p.querySelector('input').value
			    .trim() === '';
			if (out && why === null) {
				const w = document.createElement('span');
				w.className = 'why';
				w.textContent = word('needed');
				p.append(w);
			} else if (!out && why !== null)
				why.remove();
		}
	}

	function refresh() {
		totals();
		reasons();
		for (const [s, state] of states) {
			const key = sectionState(s);
			state.textContent = word(key) + (state.dataset.total ?
			    `, ${state.dataset.total}` : '');
			state.dataset.state = key === 'problem' ?
			    'has-a-problem' : key;
		}
	}

	/* ---- events ---- */
	form.addEventListener('input', (e) => {
		dirty = true;
		changes++;
		if (counts.has(e.target))
			count(e.target);
		refresh();
		if (!stale)
			say(word('unsaved'));
		schedule();
	});
	form.addEventListener('submit', () => {
		leaving = true;
		clearTimeout(timer);
	});
	window.addEventListener('beforeunload', (e) => {
		if (dirty && !leaving) {
			e.preventDefault();
			e.returnValue = '';
		}
	});
	window.addEventListener('pagehide', () => {
		if (autosave)
			save(true);
	});
	document.addEventListener('visibilitychange', () => {
		if (autosave && document.visibilityState === 'hidden')
			save(true);
	});
	window.addEventListener('pageshow', (e) => {
		if (e.persisted)
			leaving = false;	/* back from the cache */
	});

	for (const t of counts.keys())
		count(t);
	refresh();
}());
