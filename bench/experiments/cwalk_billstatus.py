"""EXPERIMENT: how much a compiled field reader would gain on the BILLSTATUS benchmark.

    .venv/bin/pip install cython && .venv/bin/python bench/experiments/cwalk_billstatus.py [--rounds 25]

Builds `billstatus_cwalk.pyx` (a C walk of the parsed tree through lxml's public C API, in place
of the XSLT pass and the string split) in a temporary folder, checks that it returns exactly the
record stream of `billstatus_extract.records` for every fixture, then times the full normalization
with each reader in the same run (CPU clock, best of the rounds), cold and warm as in
`bench/billstatus_parse.py`. edtracker does not use this reader: see docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
FIXTURES = Path(os.environ.get("EDTRACKER_FIXTURES", ROOT.parent / "shared" / "fixtures")) / "billstatus"

SETUP = """from setuptools import setup, Extension
from Cython.Build import cythonize
import lxml
setup(ext_modules=cythonize([Extension("billstatus_cwalk", ["billstatus_cwalk.pyx"],
                                       include_dirs=lxml.get_include())], quiet=True))
"""


def build(tmp: Path):
    shutil.copy(HERE / "billstatus_cwalk.pyx", tmp)
    (tmp / "setup.py").write_text(SETUP)
    subprocess.run([sys.executable, "setup.py", "build_ext", "--inplace", "-q"], cwd=tmp, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    so = next(tmp.glob("billstatus_cwalk*.so"))
    spec = importlib.util.spec_from_file_location("billstatus_cwalk", so)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=25)
    args = ap.parse_args()
    from lxml import etree

    import scrapers.formats.billstatus as reader
    import scrapers.formats.billstatus_extract as extract
    from scrapers.xmlsafe import parse_xml
    from tracker.actions.us import clear_cache

    def steps(path: str) -> tuple[bytes, ...]:
        return tuple(s.encode() for s in path.split("/"))

    layout = tuple((tag, steps(sel), tuple(map(steps, paths))) for tag, sel, paths in extract.LAYOUT)
    lists = tuple((tag, tuple(map(steps, paths))) for tag, paths in extract.LISTS)
    children = tuple((c, tuple(map(steps, sels)), tuple(map(steps, paths))) for c, sels, paths in extract._ACTION_CHILDREN)
    urls = steps(extract._URLS)
    corpus = [(str(p), p.read_bytes()) for p in sorted(FIXTURES.glob("*/*.xml"))]
    with tempfile.TemporaryDirectory() as tmp:
        cwalk = build(Path(tmp))

    def fast(root, sanitize: bool = True):
        return cwalk.records(root, layout, lists, children, urls)

    for name, data in corpus:
        root = parse_xml(data, remove_blank_text=True, collect_ids=False)
        assert fast(root) == extract.records(root, sanitize=False), name
    print(f"same record stream as the XSLT reader on all {len(corpus)} files")
    clock, slow = time.process_time, reader.records
    times: dict[str, list[float]] = {k: [] for k in ("bare", "cold xslt", "warm xslt", "cold cwalk", "warm cwalk")}
    for _ in range(args.rounds):
        t0 = clock()
        for _, data in corpus:
            etree.fromstring(data)
        times["bare"].append(clock() - t0)
        for kind, records in (("xslt", slow), ("cwalk", fast)):
            reader.records = records
            clear_cache()
            t1 = clock()
            for name, data in corpus:
                reader.parse_bill(data, name)
            t2 = clock()
            for name, data in corpus:
                reader.parse_bill(data, name)
            times[f"cold {kind}"].append(t2 - t1)
            times[f"warm {kind}"].append(clock() - t2)
    reader.records = slow
    bare = min(times["bare"])
    for k, v in times.items():
        print(f"{k:11s} {min(v) * 1000:6.1f} ms per pass   ratio {bare / min(v):.2f}")


if __name__ == "__main__":
    main()
