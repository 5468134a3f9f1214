#!/usr/bin/python3
"""tests/e2e/smtpd.py: a real SMTP server for the mail tests (Debian's
python3-aiosmtpd) on 127.0.0.1:PORT, with STARTTLS required (CERT, KEY)
and AUTH (user "kf", the password in PASSWORD_FILE), unless --plain: no
STARTTLS, no AUTH offered. Each message accepted is written to
OUTDIR/N.eml, its envelope to OUTDIR/N.env ("MAIL FROM\\nRCPT TO\\n").
What it answers depends on the recipient's local part:
  tempfail*  450 at RCPT the first time, 250 after (per address)
  reject*    550 at RCPT
  drop*      the connection is closed at RCPT
  hang*      no answer at RCPT, ever
  anything else: 250
Every command seen is appended to OUTDIR/commands.log, with "tls" or
"plain" for the state of the connection (never the AUTH data).
--slow: each DATA is answered after 0.2 s.
Usage: smtpd.py PORT OUTDIR CERT KEY PASSWORD_FILE [--plain] [--slow]"""
import asyncio
import os
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, SMTP

port, outdir, cert, key, pwfile = sys.argv[1:6]
plain = '--plain' in sys.argv[6:]
slow = '--slow' in sys.argv[6:]
password = open(pwfile).read().strip()
tempfailed = set()
count = 0


def note(session, line):
    state = 'tls' if session.ssl else 'plain'
    with open(os.path.join(outdir, 'commands.log'), 'a') as f:
        f.write(f'{state} {line}\n')


class Handler:
    async def handle_MAIL(self, server, session, envelope, address, opts):
        note(session, 'MAIL FROM:' + address)
        envelope.mail_from = address
        return '250 OK'

    async def handle_RCPT(self, server, session, envelope, address, opts):
        note(session, 'RCPT TO:' + address)
        local = address.split('@')[0]
        if local.startswith('tempfail') and address not in tempfailed:
            tempfailed.add(address)
            return '450 4.2.0 Mailbox busy, try again later'
        if local.startswith('reject'):
            return '550 5.1.1 No such user here'
        if local.startswith('drop'):
            server.transport.close()
            return None
        if local.startswith('hang'):
            await asyncio.sleep(3600)
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        global count
        if slow:
            await asyncio.sleep(0.2)
        count += 1
        note(session, 'DATA')
        base = os.path.join(outdir, str(count))
        with open(base + '.eml.tmp', 'wb') as f:
            f.write(envelope.original_content)
        with open(base + '.env', 'w') as f:
            f.write(envelope.mail_from + '\n' + envelope.rcpt_tos[0] + '\n')
        os.rename(base + '.eml.tmp', base + '.eml')
        return '250 2.0.0 Queued as ' + str(count)


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (auth_data.login == b'kf' and
          auth_data.password == password.encode())
    note(session, 'AUTH ' + mechanism + (' ok' if ok else ' refused'))
    return AuthResult(success=ok, handled=False)


kwargs = {}
if not plain:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    kwargs = dict(tls_context=ctx, require_starttls=True,
                  authenticator=authenticator, auth_required=True,
                  auth_require_tls=True)
controller = Controller(Handler(), hostname='127.0.0.1', port=int(port),
                        **kwargs)
controller.start()
open(os.path.join(outdir, 'ready'), 'w').close()
try:
    while True:
        time.sleep(3600)
except KeyboardInterrupt:
    pass
finally:
    controller.stop()
