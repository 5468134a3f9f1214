#!/usr/bin/env python3
"""Test data and independent readers for tests/e2e/export.sh.

  export_read.py args CARD        the card's answers as curl arguments
                                  (NUL-separated --data-urlencode pairs)
  export_read.py check DIR FORM DB
                                  read every export in DIR with Python's
                                  csv and json modules (and the CSV files
                                  LibreOffice made of the workbook) and
                                  compare each value with what was
                                  submitted; prints "ok   ..." or
                                  "FAIL ..." per check

The cards below are what the experts submit through nginx; the exports
must give every value back exactly (CSV: with a leading ' before a
formula character).
"""
import csv
import io
import json
import os
import sqlite3
import sys

CITIES = [("Fr", "Freiburg"), ("B", "Berlin"), ("C", "Copenhagen"),
          ("NY", "New York City"), ("S", "Singapore"), ("T", "Tokyo")]
E1 = "Test Expert"
E2 = '-Zoë "Z" Ñandú, 𝔘'
E1_EMAIL = "test.expert@example.org"
E2_EMAIL = "zoe@example.org"
DRAFT = "DRAFT-ONLY never exported"


def ratings(*values):
    return {"rating.rating." + c: str(v) for (c, _), v in zip(CITIES, values)}


HOSTILE = {
    "description": '=1+1 "quoted", comma\nsecond line '
                   '<script>alert(1)</script>',
    "economic": "+SUM(A1:A2) non-BMP 𝄞 😀",
    "social": "-2+3 bidi \u202eRTL override\u202c and \u2066isolate\u2069",
    "ecological": "@cmd | pipe | table",
    "resilience": "\tstarts with a tab",
    "positive_impact": "\r\nstarts with CR LF",
    "negative_impact": "# not a heading\n- not a list\n1. not ordered\n"
                       "**bold?** _x_ [link](javascript:alert(1)) `code`",
    "measures": "line one\r\nline two\r\n\r\nparagraph two",
    "actors": "Zürich, Ταυτότητα, 東京, עברית",
    "remarks": '""double quotes"" and a \\ backslash, _x0041_ literal',
    "indicators": '=HYPERLINK("http://evil.example","x")\n'
                  "item, with comma\n+plus\n-minus\n@at\n"
                  "emoji 😀 𝄞\n<b>bold</b>",
    "examples.example.Fr": "Freiburg Green City Cluster",
    "examples.example.T": "=T example\nwith a newline",
    "sectors.relevance.mobility": "high",
    "sectors.importance.mobility": "Mobility | pipe\nnewline",
    "sectors.relevance.ict": "medium",
}

CARDS = {
    # SF41 by the test expert, version 1 and the revised version 2.
    "e1v1": dict(ratings(7, 8, 6, 6, 1, 8), **HOSTILE),
    "e1v2": dict(ratings(7, 8, 5, 6, 1, 8), **HOSTILE),
    # SF41 by the second expert.
    "e2v1": dict(ratings(5, 6, 7, 8, 2, 9),
                 description="Second expert's description",
                 indicators="one indicator"),
    # SF12 by the test expert.
    "e1sf12": dict(ratings(1, 2, 3, 4, 5, 6),
                   description="Open data", indicators="datasets"),
    # Drafts that must never be exported.
    "draft": {"description": DRAFT, "indicators": DRAFT},
}


def curl_args(card):
    out = []
    for k, v in CARDS[card].items():
        out += ["--data-urlencode", "%s=%s" % (k, v)]
    sys.stdout.write("\0".join(out) + "\0")


# ---- the expected values, as the form collects them ----

def in_language(o, lang):
    """o with each title, label and help (a string, or an object of one
    per language) in lang."""
    if isinstance(o, list):
        return [in_language(v, lang) for v in o]
    if not isinstance(o, dict):
        return o
    return {k: (v.get(lang) if isinstance(v, dict) and
                k in ("title", "label", "help") else in_language(v, lang))
            for k, v in o.items()}


def load_form(path):
    """The form definition in its default language (as exports label)."""
    with open(path, encoding="utf-8") as f:
        form = json.load(f)
    return in_language(form, form.get("default_language", "en"))


def slots(form):
    """(section, question key, row key, label, type) in form order."""
    for sec in form["sections"]:
        for q in sec["questions"]:
            if q["type"] != "grid":
                yield sec["key"], q["key"], "", q["label"], q["type"]
                continue
            rows = CITIES if q["rows"] == "cities" else \
                [(r["key"], r["label"]) for r in q["rows"]]
            for rkey, rlabel in rows:
                for col in q["columns"]:
                    yield (sec["key"], q["key"] + "." + col["key"], rkey,
                           col["label"].replace("{row}", rlabel),
                           col["type"])


def values(form, card):
    """[(section, question, row, item, value)] in form order."""
    posted = CARDS[card]
    out = []
    for sec, q, row, _, typ in slots(form):
        name = q + "." + row if row else q
        v = posted.get(name)
        if v is None or v.strip() == "":
            continue
        if typ == "list":
            items = [i.strip() for i in v.splitlines() if i.strip()]
            out += [(sec, q, row, n, i) for n, i in enumerate(items)]
        else:
            out.append((sec, q, row, 0, v))
    return out


# (key field, title, expert, e-mail, version, card), in export order:
# key fields as added, then expert name.
LATEST = [("SF41", "Cluster Management", E2, E2_EMAIL, 1, "e2v1"),
          ("SF41", "Cluster Management", E1, E1_EMAIL, 2, "e1v2"),
          ("SF12", "Open Data Platforms", E1, E1_EMAIL, 1, "e1sf12")]
ALL = [LATEST[0], ("SF41", "Cluster Management", E1, E1_EMAIL, 1, "e1v1"),
       LATEST[1], LATEST[2]]


def neutral(v):
    return "'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v


# The fixed columns' headings: keys in CSV, labels in XLSX (English).
WIDE_KEYS = ["campaign", "key_field", "key_field_title", "expert",
             "expert_email", "version", "submitted_at"]
WIDE_LABELS = ["Campaign", "Key field", "Key field title", "Expert",
               "E-mail address", "Version", "Submitted at"]
LONG_KEYS = ["campaign", "key_field", "expert", "round", "version", "lang",
             "section", "question", "row", "item", "value"]
LONG_LABELS = ["Campaign", "Key field", "Expert", "Round", "Version",
               "Language", "Section", "Question", "Row", "Item", "Value"]


def wide_expected(form, rows, times, cell=neutral, fixed=WIDE_KEYS):
    head = fixed + [s[3] for s in slots(form)]
    out = [[cell(h) for h in head]]
    for code, title, name, email, ver, card in rows:
        vals = values(form, card)
        row = ["demo", code, title, name, email, str(ver),
               times[(code, name, ver)]]
        for _, q, r, _, _ in slots(form):
            row.append("\n".join(v[4] for v in vals
                                 if v[1] == q and v[2] == r))
        out.append([cell(c) for c in row])
    return out


def long_expected(form, rows, cell=neutral, head=LONG_KEYS):
    out = [list(head)]
    for code, _, name, _, ver, card in rows:
        for sec, q, r, item, v in values(form, card):
            out.append([cell(c) for c in
                        ["demo", code, name, "1", str(ver), "en", sec, q,
                         r, str(item), v]])
    return out


def answers_expected(form, card):
    types = {s[1]: s[4] for s in slots(form)}
    a = {}
    for _, q, r, item, v in values(form, card):
        if r:
            a.setdefault(q, {})[r] = v
        elif types[q] == "list":
            a.setdefault(q, []).append(v)
        else:
            a[q] = v
    return a


# ---- checks ----

passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok   " + name)
    else:
        failed += 1
        print("FAIL " + name + (": " + detail if detail else ""))


def same(name, expected, got):
    if expected == got:
        check(name, True)
        return
    detail = "lengths %d vs %d" % (len(expected), len(got)) \
        if isinstance(expected, list) and len(expected) != len(got) else ""
    if isinstance(expected, list):
        for i, (e, g) in enumerate(zip(expected, got)):
            if e != g:
                detail = "first difference at %d: %r != %r" % (i, e, g)
                break
    else:
        detail = "%r != %r" % (expected, got)
    check(name, False, detail[:600])


def read_csv(path, bom=False):
    with open(path, "rb") as f:
        data = f.read()
    if bom:
        check(path + " starts with the UTF-8 BOM",
              data.startswith(b"\xef\xbb\xbf"))
        data = data[3:]
    else:
        check(path + " has no BOM", not data.startswith(b"\xef\xbb\xbf"))
    text = data.decode("utf-8")
    # RFC 4180: records end in CRLF (CR LF inside quoted values stay).
    check(path + " ends its records with CRLF", text.endswith("\r\n"))
    return list(csv.reader(io.StringIO(text, newline=""), strict=True))


def submission_times(db):
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT f.code, e.name, v.version, v.submitted_at FROM "
        "response_versions v JOIN responses r ON r.id = v.response_id "
        "JOIN assignments a ON a.id = r.assignment_id "
        "JOIN fields f ON f.id = a.field_id "
        "JOIN experts e ON e.id = a.expert_id").fetchall()
    con.close()
    return {(c, n, v): t for c, n, v, t in rows}


def check_all(d, form_path, db):
    form = load_form(form_path)
    times = submission_times(db)

    same("csv: every cell of the wide table",
         wide_expected(form, LATEST, times), read_csv(d + "/demo.csv"))
    same("csv --bom: the same table after the BOM",
         wide_expected(form, LATEST, times),
         read_csv(d + "/demo-bom.csv", bom=True))
    same("csv --all-versions: one row per version",
         wide_expected(form, ALL, times), read_csv(d + "/demo-all.csv"))
    same("csv --field SF12: that key field only",
         wide_expected(form, LATEST[2:], times),
         read_csv(d + "/demo-sf12.csv"))
    same("csv-long: one row per value", long_expected(form, LATEST),
         read_csv(d + "/demo-long.csv"))
    same("csv-long --all-versions", long_expected(form, ALL),
         read_csv(d + "/demo-long-all.csv"))

    for name, rows in (("demo.json", LATEST), ("demo-all.json", ALL)):
        with open(d + "/" + name, encoding="utf-8") as f:
            j = json.load(f)
        same(name + ": campaign", {"slug": "demo", "title": "Test campaign",
                                   "status": "open"},
             {k: j["campaign"][k] for k in ("slug", "title", "status")})
        same(name + ": cities", [{"code": c, "name": n} for c, n in CITIES],
             j["cities"])
        same(name + ": key fields",
             [{"code": "SF41", "title": "Cluster Management"},
              {"code": "SF12", "title": "Open Data Platforms"}],
             j["key_fields"])
        same(name + ": form", (form["name"], form["version"]),
             (j["form"]["name"], j["form"]["version"]))
        same(name + ": one round, round 1", [1],
             [x["round"] for x in j["rounds"]])
        got = []
        for r in j["rounds"][0]["cards"]:
            for v in r["versions"]:
                got.append((r["key_field"], r["expert"]["name"],
                            r["expert"]["email"], v["version"],
                            v["submitted_at"], v["answers"]))
        exp = [(code, name, email, ver, times[(code, name, ver)],
                answers_expected(form, card))
               for code, _, name, email, ver, card in rows]
        same(name + ": every answer exactly, nested by question", exp, got)
    with open(d + "/demo-all.json", encoding="utf-8") as f:
        j = json.load(f)
    same("json --all-versions: one response, its two versions",
         [[1], [1, 2], [1]],
         [[v["version"] for v in r["versions"]]
          for r in j["rounds"][0]["cards"]])

    # The workbook as LibreOffice read it: exact values with line breaks
    # as LF (a spreadsheet cell's line break), no quote added (text cells
    # are never formulas), numbers for ratings and versions.
    def lf(v):
        return v.replace("\r\n", "\n").replace("\r", "\n")
    same("xlsx Responses sheet (LibreOffice)",
         wide_expected(form, LATEST, times, lf, WIDE_LABELS),
         read_lo(d + "/lo/demo-Responses.csv"))
    same("xlsx Values sheet (LibreOffice)",
         long_expected(form, LATEST, lf, LONG_LABELS),
         read_lo(d + "/lo/demo-Values.csv"))

    check_md(d + "/demo.md", form)

    for top, _, names in sorted(os.walk(d)):
        for name in sorted(names):
            p = os.path.join(top, name)
            with open(p, "rb") as f:
                data = f.read()
            check(os.path.relpath(p, d) + ": no draft value",
                  DRAFT.encode() not in data)


def read_lo(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f, strict=True))


def check_md(path, form):
    with open(path, encoding="utf-8") as f:
        md = f.read()
    lines = md.split("\n")
    check("md: one document per key field",
          lines[0] == "# SF41: Cluster Management" and
          "# SF12: Open Data Platforms" in lines, lines[0])
    i = lines.index("| Expert | Fr | B | C | NY | S | T | Total |")
    same("md: the rating table, a row per expert, then the medians", [
        "| Expert | Fr | B | C | NY | S | T | Total |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        "| -Zoë \"Z\" Ñandú, 𝔘 | 5 | 6 | 7 | 8 | 2 | 9 | 37 |",
        "| Test Expert | 7 | 8 | 5 | 6 | 1 | 8 | 35 |",
        "| Median | 6 | 7 | 6 | 7 | 1.5 | 8.5 | 36 |"], lines[i:i + 5])
    sf41 = md.split("# SF12:")[0]
    titles = [s["title"] for s in form["sections"]]
    heads = [l[3:] for l in sf41.split("\n") if l.startswith("## ")]
    same("md: the sections in order", titles, heads)
    check("md: each expert under each section",
          sf41.count("### Test Expert") == len(titles) and
          sf41.count("### -Zoë") == len(titles))
    check("md: no raw HTML from answers", "<script>" not in md and
          "<b>" not in md and "\\<script\\>" in md)
    check("md: line starts that would be Markdown are escaped",
          "# not a heading\n\\- not a list\n1\\. not ordered\n" in md)
    check("md: lists as '- item', a marker-like start escaped",
          "\n- item, with comma\n" in md and "\n- \\+plus\n" in md)
    check("md: the sector grid as a table, | and newlines escaped",
          "| Mobility | high | Mobility \\| pipe<br>newline |" in md)
    check("md: the examples as **City:** text",
          "**Freiburg:** Freiburg Green City Cluster" in md)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "args":
        curl_args(sys.argv[2])
        return 0
    if len(sys.argv) == 5 and sys.argv[1] == "check":
        check_all(sys.argv[2], sys.argv[3], sys.argv[4])
        print("read back: %d passed, %d failed" % (passed, failed))
        return 1 if failed else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
