// flaky-receiver.mjs: a partner endpoint for the notifier crash test
// (notify-crash.sh) that answers 500 to about PCT % of requests, chosen
// by a hash of (seed, path, webhook-id, n-th request of that id) so a run
// can be repeated. Like tests/e2e/receiver.mjs it verifies every request
// with the npm package standardwebhooks (not our code) and records each
// as one JSON line, written before it answers:
//   {"t":ms,"path","id","n","verified":[i...],"status","body_id","type"}
// where body_id is the "id" member of the JSON body (what the event says
// it is) and verified lists the indexes of the path's secrets that verify.
//
//   node flaky-receiver.mjs --log FILE --secrets FILE --fail-pct PCT
//       [--seed S] [--port-file F]
//
// --secrets is a JSON file { "/path": ["whsec_..", ...] }, read once at
// start and again when a path is not in it.
import http from 'node:http';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { Webhook } from 'standardwebhooks';

const args = {};
for (let i = 2; i < process.argv.length; i += 2)
	args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
if (!args.log || !args.secrets || args['fail-pct'] === undefined) {
	console.error('usage: node flaky-receiver.mjs --log FILE --secrets ' +
	    'FILE --fail-pct PCT [--seed S] [--port-file FILE]');
	process.exit(2);
}
const pct = Number(args['fail-pct']);
const seed = args.seed || '0';
const seen = new Map();		// path + id -> requests so far
const out = fs.openSync(args.log, 'a');
let secrets = {};

function load() {
	try {
		secrets = JSON.parse(fs.readFileSync(args.secrets, 'utf8'));
	} catch {
		secrets = {};
	}
}

function verify(path, body, headers) {
	if (!(path in secrets))
		load();
	const ok = [];
	(secrets[path] || []).forEach((secret, i) => {
		try {
			new Webhook(secret).verify(body, headers);
			ok.push(i);
		} catch {
			// not this one
		}
	});
	return ok;
}

function fails(path, id, n) {
	const h = crypto.createHash('sha256').update(`${seed} ${path} ${id} ${n}`)
	    .digest();
	return h.readUInt32BE(0) % 100 < pct;
}

const server = http.createServer((req, res) => {
	const chunks = [];
	req.on('data', (c) => chunks.push(c));
	req.on('end', () => {
		const body = Buffer.concat(chunks).toString('utf8');
		const path = req.url.split('?')[0];
		const id = req.headers['webhook-id'] || '';
		const key = path + ' ' + id;
		const n = (seen.get(key) || 0) + 1;
		seen.set(key, n);
		const status = fails(path, id, n) ? 500 : 200;
		let bodyId = null, type = null;
		try {
			const j = JSON.parse(body);
			bodyId = j.id ?? null;
			type = j.type ?? null;
		} catch {
			// recorded as null
		}
		fs.writeSync(out, JSON.stringify({
			t: Date.now(), path, id, n, status,
			verified: verify(path, body, req.headers),
			body_id: bodyId, type,
		}) + '\n');
		res.writeHead(status, { 'Content-Type': 'text/plain' });
		res.end(status === 200 ? 'thanks\n' : 'not now\n');
	});
});
server.listen(0, '127.0.0.1', () => {
	const port = server.address().port;
	if (args['port-file'])
		fs.writeFileSync(args['port-file'], String(port) + '\n');
});
process.on('SIGTERM', () => process.exit(0));
