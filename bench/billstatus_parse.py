"""BILLSTATUS normalization throughput vs lxml's bare parse of the same bytes, in the same run.

    .venv/bin/python bench/billstatus_parse.py [--rounds 20] [--profile] [--cpu] [--stylesheet]

Reads every XML file of ../shared/fixtures/billstatus (or EDTRACKER_FIXTURES/billstatus) into
memory, then times, alternately, `lxml.etree.fromstring` on each file and the full normalization
(`scrapers.formats.billstatus.parse_bill`: hardened parse, de-duplication, classification,
contract validation). Reports MB/s of each and the ratio bare-parse time / normalization time
(1.0 would mean normalization is free; the target is >= 0.4). Best of the rounds, to damp noise.
Fields are read by the compiled reader when it is built (`billstatus_cwalk`), else by the XSLT
stylesheet; `--stylesheet` forces the stylesheet, to compare the two.
`--cpu` times with the process's CPU clock instead of the wall clock: on a machine shared with
other jobs the wall-clock ratio swings by half from one run to the next, the CPU-time one much less.

Instructions instead of time (the same count however busy the machine is): `--only KIND --passes N`
runs N untimed passes of one kind; under callgrind, per pass = (count with N - count with 0) / N:

    valgrind --tool=callgrind --callgrind-out-file=/dev/null .venv/bin/python bench/billstatus_parse.py --only cold --passes 3
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from scrapers.formats import billstatus_extract as extract  # noqa: E402
from scrapers.formats.billstatus import parse_bill  # noqa: E402
from tracker.actions.us import clear_cache  # noqa: E402
from tracker.contract import BillIn  # noqa: E402

FIXTURES = Path(os.environ.get("EDTRACKER_FIXTURES", ROOT.parent / "shared" / "fixtures")) / "billstatus"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--profile", action="store_true", help="print a cProfile of one normalization pass")
    ap.add_argument("--cpu", action="store_true", help="time with the process CPU clock (shared machines)")
    ap.add_argument("--only", choices=("bare", "cold", "warm"), help="run untimed passes of one kind")
    ap.add_argument("--passes", type=int, default=3, help="with --only: how many passes")
    ap.add_argument("--stylesheet", action="store_true",
                    help="read fields with the XSLT stylesheet even when the compiled reader is built")
    args = ap.parse_args()
    if args.stylesheet:
        extract._cwalk = None
    corpus = [(str(p), p.read_bytes()) for p in sorted(FIXTURES.glob("*/*.xml"))]
    if not corpus:
        sys.exit(f"no BILLSTATUS files under {FIXTURES}")
    if args.only:
        untimed(corpus, args.only, args.passes)
        return
    size = sum(len(d) for _, d in corpus)
    ok = sum(isinstance(parse_bill(d, n), BillIn) for n, d in corpus)
    if args.profile:
        import cProfile
        import pstats
        prof = cProfile.Profile()
        prof.enable()
        for n, d in corpus:
            parse_bill(d, n)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    clock = time.process_time if args.cpu else time.perf_counter
    bare, cold, warm = [], [], []
    for _ in range(args.rounds):
        t0 = clock()
        for _, d in corpus:
            etree.fromstring(d)
        t1 = clock()
        clear_cache()  # cold: only repeats within one pass of the corpus are memoized
        for n, d in corpus:
            parse_bill(d, n)
        t2 = clock()
        for n, d in corpus:  # warm: every action text seen before, as deep into a congress crawl
            parse_bill(d, n)
        t3 = clock()
        bare.append(t1 - t0)
        cold.append(t2 - t1)
        warm.append(t3 - t2)
    mb = size / 1e6
    b, c, w = min(bare), min(cold), min(warm)
    reader = "compiled reader" if extract.compiled() else "XSLT stylesheet"
    print(f"corpus: {len(corpus)} files, {mb:.2f} MB, {ok} parsed to bills ({'CPU' if args.cpu else 'wall'} clock, {reader})")
    print(f"lxml bare parse:        {mb / b:8.1f} MB/s  ({b * 1000:.1f} ms per pass)")
    print(f"normalization, cold:    {mb / c:8.1f} MB/s  ({c * 1000:.1f} ms per pass)  ratio {b / c:.2f}")
    print(f"normalization, warm:    {mb / w:8.1f} MB/s  ({w * 1000:.1f} ms per pass)  ratio {b / w:.2f}")
    print("ratio = bare parse time / normalization time (target >= 0.4)")

def untimed(corpus: list[tuple[str, bytes]], kind: str, passes: int) -> None:
    """`passes` passes of one kind, after an unmeasured warm-up (stylesheets, imports; for "warm",
    every action text)."""
    for n, d in corpus if kind == "warm" else corpus[:1]:
        parse_bill(d, n)
    for _ in range(passes):
        if kind == "bare":
            for _, d in corpus:
                etree.fromstring(d)
            continue
        if kind == "cold":
            clear_cache()
        for n, d in corpus:
            parse_bill(d, n)


if __name__ == "__main__":
    main()
