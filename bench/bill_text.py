"""Redline and money line items of real bill versions, compared in the same run with a bare
`difflib` word diff of the two whole texts (what a naive diff costs).

    .venv/bin/python bench/bill_text.py [--repeat 5] [--sections 2000]

`--sections N` also times a synthetic omnibus of N appropriation paragraphs (H.R. 2157's own,
repeated under numbered titles) against itself with every tenth amount changed: the path that
pairs labels first and aligns only the gaps.
"""
from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scrapers.formats.uslm import parse_uslm  # noqa: E402
from tracker.bills import money, redline as rl  # noqa: E402

FIX = Path(os.environ.get("EDTRACKER_FIXTURES", Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures"))


def _doc(name: str):
    return parse_uslm((FIX / "bill-text" / "uslm" / name).read_bytes(), name)


def _time(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def _ours(a, b):
    old, new = rl.sections_of(a.text, a.sections), rl.sections_of(b.text, b.sections)
    rl.redline(old, new)
    money.compare(money.line_items(a.text, a.sections), money.line_items(b.text, b.sections), rl.align(old, new))


def _bare(a, b):
    # a line diff of the two renderings, then a word diff of each changed block (as diff -u, then
    # a word-level pass): no sections, no headings, no money
    lines = difflib.SequenceMatcher(None, a.text.splitlines(), b.text.splitlines())
    al, bl = a.text.splitlines(), b.text.splitlines()
    for op, i1, i2, j1, j2 in lines.get_opcodes():
        if op == "replace":
            difflib.SequenceMatcher(None, " ".join(al[i1:i2]).split(), " ".join(bl[j1:j2]).split()).get_opcodes()


def _omnibus(doc, n: int, bump: bool):
    items = [s for s in doc.sections if s["heading"] and s["num"] is None]
    secs, parts, size = [], [], 0
    for k in range(n):
        s = items[k % len(items)]
        body = doc.text[s["start"]:s["end"]]
        if bump and k % 10 == 0:
            body = re.sub(r"\$[\d,]+", "$1,234,000", body, count=1)
        start = size + (2 if parts else 0)
        parts.append(body)
        size = start + len(body)
        secs.append({"num": None, "heading": s["heading"], "path": [f"TITLE {k // len(items) + 1}", *s["path"][1:]],
                     "start": start, "end": size})
    return type("Doc", (), {"text": "\n\n".join(parts), "sections": secs})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--sections", type=int, default=1000)
    args = ap.parse_args()
    pairs = [("H.R. 2157 ih -> enr", "H2157_IH.XML", "h2157_enr.XML"),
             ("H.R. 264 eh -> pcs", "h264_eh.XML", "H264_PCS.XML")]
    print(flush=True, *[f"{'pair':<28}{'sections':>10}{'redline+money s':>18}{'line+word diff s':>16}{'ratio':>8}"])
    for label, x, y in pairs:
        a, b = _doc(x), _doc(y)
        ours, bare = _time(lambda: _ours(a, b), args.repeat), _time(lambda: _bare(a, b), args.repeat)
        print(flush=True, *[f"{label:<28}{len(a.sections):>5}/{len(b.sections):<4}{ours:>18.3f}{bare:>16.3f}{ours / bare:>8.1f}"])
    base = _doc("h2157_enr.XML")
    a, b = _omnibus(base, args.sections, False), _omnibus(base, args.sections, True)
    ours, bare = _time(lambda: _ours(a, b), 1), _time(lambda: _bare(a, b), 1)
    print(flush=True, *[f"{'omnibus ' + str(args.sections) + ' sections':<28}{args.sections:>10}{ours:>18.3f}{bare:>16.3f}{ours / bare:>8.1f}"])


if __name__ == "__main__":
    main()
