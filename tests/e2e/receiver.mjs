// receiver.mjs: the partner endpoint of the notification tests (started
// by the helpers of tests/e2e/receiver.sh). It verifies every webhook with
// the npm package standardwebhooks (an
// implementation independent of ours) and records each connection and
// request as one JSON line; it never trusts what it cannot verify.
//
//   node receiver.mjs --log FILE --secrets FILE [--port N] [--port-file F]
//       [--tls-key FILE --tls-cert FILE] [--fail-pct PCT --seed S]
//
// With --tls-key and --tls-cert (PEM) it serves HTTPS instead of HTTP.
// --secrets is a JSON file read on every request: { "/path": ["whsec_..",
// ...] } (the secrets a path's partner may sign with). The path picks the
// behaviour; "per id" counts requests with the same webhook-id:
//   /ok[/...]          200
//   /fail/N[/...]      500 to the first N requests per id, then 200
//   /delay/MS[/...]    wait MS, then 200
//   /delay-once/MS     wait MS on the first request per id, then 200
//   /hang[/...]        never answer
//   /gone[/...]        410
//   /429/S[/...]       429 with Retry-After: S to the first request per id
//   /redirect[/...]    301 to /ok/redirected
//   /flaky[/...]       500 to about PCT % of requests (--fail-pct, 0 if
//                      not given), chosen by a hash of (S, path, id, n) so
//                      a run with the same --seed repeats, else 200
// Records: {"kind":"connection","t":ms} and {"kind":"request","t":ms,
// "path","id","n","timestamp","signature","nsig","verified","status",
// "body"} where verified lists the indexes of the secrets that verify it
// (written when the request has arrived, before any delay), and
// {"kind":"response","t":ms,"path","id","status"} when one is sent.
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { Webhook } from 'standardwebhooks';

const args = {};
for (let i = 2; i < process.argv.length; i += 2)
	args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
if (!args.log || !args.secrets) {
	console.error('usage: node receiver.mjs --log FILE --secrets FILE ' +
	    '[--port N] [--port-file FILE] [--tls-key FILE --tls-cert FILE] ' +
	    '[--fail-pct PCT --seed S]');
	process.exit(2);
}
const failPct = Number(args['fail-pct'] || 0);
const seed = args.seed || '0';

const seen = new Map();		// path + id -> requests so far

function record(o) {
	fs.appendFileSync(args.log, JSON.stringify({ t: Date.now(), ...o }) +
	    '\n');
}

function secretsFor(path) {
	try {
		const all = JSON.parse(fs.readFileSync(args.secrets, 'utf8'));
		return all[path] || [];
	} catch {
		return [];
	}
}

// The indexes of the path's secrets that each verify the request.
function verify(path, body, headers) {
	const ok = [];
	secretsFor(path).forEach((secret, i) => {
		try {
			new Webhook(secret).verify(body, headers);
			ok.push(i);
		} catch {
			// not this one
		}
	});
	return ok;
}

// Whether /flaky's n-th request of id on path fails: repeatable per seed.
function flakyFails(path, id, n) {
	const h = crypto.createHash('sha256').update(`${seed} ${path} ${id} ${n}`)
	    .digest();
	return h.readUInt32BE(0) % 100 < failPct;
}

function behaviour(path, id, n) {
	const [, what, arg] = path.split('/');
	switch (what) {
	case 'ok':
		return { status: 200 };
	case 'fail':
		return { status: n <= Number(arg) ? 500 : 200 };
	case 'delay':
		return { status: 200, delay: Number(arg) };
	case 'delay-once':
		return { status: 200, delay: n === 1 ? Number(arg) : 0 };
	case 'hang':
		return { hang: true };
	case 'gone':
		return { status: 410 };
	case '429':
		return n === 1 ? { status: 429, headers: { 'Retry-After': arg } } :
		    { status: 200 };
	case 'redirect':
		return { status: 301, headers: { Location: '/ok/redirected' } };
	case 'flaky':
		return { status: flakyFails(path, id, n) ? 500 : 200 };
	default:
		return { status: 404 };
	}
}

const tls = args['tls-key'] && args['tls-cert'] ? {
	key: fs.readFileSync(args['tls-key']),
	cert: fs.readFileSync(args['tls-cert']),
} : null;
const handler = (req, res) => {
	const chunks = [];
	req.on('data', (c) => chunks.push(c));
	req.on('end', () => {
		const body = Buffer.concat(chunks).toString('utf8');
		const path = req.url.split('?')[0];
		const id = req.headers['webhook-id'] || '';
		const key = path + ' ' + id;
		const n = (seen.get(key) || 0) + 1;
		seen.set(key, n);
		const b = behaviour(path, id, n);
		const sig = req.headers['webhook-signature'] || '';
		record({
			kind: 'request', path, id, n,
			method: req.method,
			timestamp: req.headers['webhook-timestamp'] || '',
			signature: sig,
			nsig: sig === '' ? 0 : sig.split(' ').length,
			verified: verify(path, body, req.headers),
			status: b.hang ? 0 : b.status,
			body,
		});
		if (b.hang)
			return;
		const answer = () => {
			res.writeHead(b.status, {
				'Content-Type': 'text/plain',
				...(b.headers || {}),
			});
			res.end(b.status === 200 ? 'thanks\n' : 'not now\n');
			record({ kind: 'response', path, id, status: b.status });
		};
		if (b.delay)
			setTimeout(answer, b.delay);
		else
			answer();
	});
};
const server = tls ? https.createServer(tls, handler) :
    http.createServer(handler);
server.on(tls ? 'secureConnection' : 'connection', () => record({ kind: 'connection' }));
server.listen(Number(args.port || 0), '127.0.0.1', () => {
	const port = server.address().port;
	if (args['port-file'])
		fs.writeFileSync(args['port-file'], String(port) + '\n');
	console.log(`receiver listening on 127.0.0.1:${port}`);
});
process.on('SIGTERM', () => process.exit(0));
