#!/usr/bin/env python3
"""inert.py PAGE.html MARKER...: parse a page with html.parser and fail
(exit 1, one line per problem) if it has any <script>, <iframe>, <object>,
<embed>, <svg>, <img>, <base> or <meta http-equiv> element, any on*
attribute, or a javascript: URL -- our pages have none of their own, so
any is injected; the one exception is the card's own empty
<script src="/static/keyfield.js" defer data-texts="..."></script>, exactly
so (data-texts, the script's words in the page's language, is optional). Each MARKER (a substring of a payload) must occur in the
page's text or attribute values: the payload reached the page as data.
INERT_ALLOW_CHART=1 lets the dashboard's own <svg class="chart"> pass."""
import html.parser
import os
import sys

OWN_SCRIPT = [("src", "/static/keyfield.js"), ("defer", None)]


def own_script(attrs):
    """Our script element: src and defer, then at most data-texts."""
    rest = attrs[len(OWN_SCRIPT):]
    return attrs[:len(OWN_SCRIPT)] == OWN_SCRIPT and \
        all(k == "data-texts" for k, _ in rest) and len(rest) <= 1
BAD_TAGS = {"script", "iframe", "object", "embed", "svg", "img", "base",
            "math", "frame", "frameset", "applet"}


class Checker(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.data = []
        self.own_script = False

    def handle_starttag(self, tag, attrs):
        # The console's dashboard draws its charts as inline SVG:
        # INERT_ALLOW_CHART=1 allows <svg class="chart"> (on* attributes
        # and every other bad element are still flagged inside it).
        if tag == "svg" and os.environ.get("INERT_ALLOW_CHART") and \
                dict(attrs).get("class") == "chart":
            pass
        elif tag == "script" and own_script(attrs):
            self.own_script = True
        elif tag in BAD_TAGS:
            self.problems.append(f"<{tag}> element at {self.getpos()}")
        if tag == "meta" and any(k == "http-equiv" for k, _ in attrs):
            self.problems.append(f"<meta http-equiv> at {self.getpos()}")
        for k, v in attrs:
            if k.startswith("on"):
                self.problems.append(f"{k}= attribute on <{tag}> at {self.getpos()}")
            if v is not None:
                self.data.append(v)
                if k in ("href", "src", "action", "formaction") and \
                        v.strip().lower().startswith("javascript:"):
                    self.problems.append(f"javascript: URL in {k} at {self.getpos()}")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self.own_script = False

    def handle_data(self, data):
        if self.own_script:
            self.problems.append(f"text in our <script> at {self.getpos()}")
        self.data.append(data)


def main():
    page, markers = sys.argv[1], sys.argv[2:]
    with open(page, encoding="utf-8") as f:
        text = f.read()
    c = Checker()
    c.feed(text)
    c.close()
    alldata = "\n".join(c.data)
    for m in markers:
        if m not in alldata:
            c.problems.append(f"payload {m!r} is not in the page as text")
    for p in c.problems:
        print(f"{page}: {p}")
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main())
