#!/usr/bin/python3
"""tests/e2e/mail_read.py: parse each message file named on the command
line with Python's email package (the strict default policy) and print
one line per header or fact the test checks, tab-separated:
FILE  to-address  to-name  subject  body-decoded-link-line  facts...
Exits 1 when a message is not 7-bit, lacks a header, or has a defect."""
import email
import email.policy
import re
import sys

status = 0
for path in sys.argv[1:]:
    raw = open(path, 'rb').read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    facts = []
    if any(b > 127 for b in raw):
        facts.append('not-7bit')
        status = 1
    for h in ('From', 'To', 'Subject', 'Date', 'Message-ID',
              'Content-Transfer-Encoding'):
        if msg[h] is None:
            facts.append('no-' + h)
            status = 1
    if msg.defects or any(v.defects for v in msg.values()
                          if hasattr(v, 'defects')):
        facts.append('defects')
        status = 1
    if not re.fullmatch(r'<[^<>@\s]+@[^<>@\s]+>', str(msg['Message-ID'])):
        facts.append('bad-message-id')
        status = 1
    to = msg['To'].addresses[0]
    body = msg.get_content()
    links = [l for l in body.splitlines() if '/i/' in l]
    headers = ''.join(f'{k}: {v}\n' for k, v in msg.items())
    if '/i/' in headers:
        facts.append('token-in-header')
        status = 1
    facts.append('ctype=' + msg.get_content_type())
    facts.append('charset=' + str(msg.get_content_charset()))
    if msg['List-Unsubscribe']:
        facts.append('unsubscribe=' + str(msg['List-Unsubscribe']))
    print('\t'.join([path, to.addr_spec, to.display_name,
                     str(msg['Subject']),
                     links[0].strip() if links else '-'] + facts))
sys.exit(status)
