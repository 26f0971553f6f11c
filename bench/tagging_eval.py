"""Tagging recall and precision on the evaluation set of `bench/tagging_evalset.py` (real bills
labelled by committee referral or official subject; title and description only): recall on
education bills, tags on non-education bills, precision, per source and for the higher-education
area, the misses and false tags with the rule that fired, and tagging speed.

    .venv/bin/python bench/tagging_eval.py [--part dev|heldout|all] [--misses] [--false-tags]
        [--timing] [--taxonomy TAXONOMY_OR_COALITION_FILE] [--baseline-taxonomy PATH]
"""
from __future__ import annotations

import argparse
import collections
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bench.tagging_evalset import (EDUCATION, EXCLUDED, FIXTURES, NOT_EDUCATION, SHARED, Case,  # noqa: E402,F401
                                   all_cases, part_of)
from tracker.tagging.engine import tag_bill  # noqa: E402
from tracker.tagging.rules import CompiledRules, compile_taxonomy, default_taxonomy  # noqa: E402


@dataclass
class Result:
    case: Case
    tags: list


@dataclass
class Report:
    results: list[Result]
    excluded: list[Result]

    def labelled(self, label: str) -> list[Result]:
        return [r for r in self.results if r.case.label == label]

    def positives(self) -> list[Result]:
        return self.labelled(EDUCATION)

    def negatives(self) -> list[Result]:
        return self.labelled(NOT_EDUCATION)

    def misses(self, label: str = EDUCATION) -> list[Result]:
        return [r for r in self.labelled(label) if not r.tags]

    def false_tags(self) -> list[Result]:
        return [r for r in self.negatives() if r.tags]

    def recall(self, label: str = EDUCATION) -> float:
        pos = self.labelled(label)
        return sum(1 for r in pos if r.tags) / len(pos) if pos else float("nan")

    def precision(self) -> float:
        """Of the tagged bills, the share labelled education (either kind)."""
        tagged = [r for r in self.results if r.tags]
        return sum(1 for r in tagged if r.case.label != NOT_EDUCATION) / len(tagged) if tagged else float("nan")


def evaluate(rules: CompiledRules, cases: list[Case], *, part: str = "all", excluded: dict | None = None) -> Report:
    """Tag every case of `part` (dev, heldout or all); cases in `excluded` are reported apart."""
    excluded = EXCLUDED if excluded is None else excluded
    kept, out = [], []
    for c in cases:
        if part != "all" and c.part != part:
            continue
        (out if c.key in excluded else kept).append(Result(c, tag_bill(rules, c.text)))
    return Report(kept, out)


def _fmt(x: float) -> str:
    return f"{x:.1%}"


def summary(report: Report, title: str) -> list[str]:
    pos, neg = report.positives(), report.negatives()
    shared = report.labelled(SHARED)
    lines = [f"## {title}",
             f"education bills: {len(pos)}, tagged {len(pos) - len(report.misses())} (recall {_fmt(report.recall())})",
             f"bills also heard by other policy committees: {len(shared)}, tagged "
             f"{len(shared) - len(report.misses(SHARED))} (recall {_fmt(report.recall(SHARED))})",
             f"non-education bills: {len(neg)}, tagged {len(report.false_tags())}",
             f"precision (tagged bills that are education bills): {_fmt(report.precision())}"]
    by_source: dict = collections.defaultdict(collections.Counter)
    for r in report.results:
        by_source[r.case.source][r.case.label] += 1
        by_source[r.case.source][r.case.label + " tagged"] += bool(r.tags)
    for src, n in sorted(by_source.items()):
        lines.append(f"  {src}: " + ", ".join(f"{label} tagged {n[label + ' tagged']}/{n[label]}"
                                              for label in (EDUCATION, SHARED, NOT_EDUCATION) if n[label]))
    # Higher education: Assembly Higher Education (college bills) against Assembly Education (K-12).
    ca = [r for r in pos + shared if r.case.source == "ca-rollcall-lewis" and "Assembly" in r.case.signal]
    higher = [r for r in ca if r.case.area == "higher-education"]
    k12 = [r for r in ca if r.case.area is None and r.case.signal.startswith("Assembly Education")]
    he = lambda rs: sum(1 for r in rs if any(t.slug == "higher-education" for t in r.tags))  # noqa: E731
    if higher and k12:
        tagged_he = he(higher) + he(k12)
        lines.append(f"higher-education area: {he(higher)}/{len(higher)} Assembly Higher Education bills "
                     f"(recall {_fmt(he(higher) / len(higher))}); {he(k12)}/{len(k12)} Assembly Education (K-12) bills; "
                     f"precision {_fmt(he(higher) / tagged_he) if tagged_he else 'n/a'}")
    areas = collections.Counter(t.slug for r in pos + shared for t in r.tags)
    lines.append("areas on education bills: " + ", ".join(f"{a} {n}" for a, n in areas.most_common()))
    false_areas = collections.Counter(t.slug for r in neg for t in r.tags)
    if false_areas:
        lines.append("areas on non-education bills: " + ", ".join(f"{a} {n}" for a, n in false_areas.most_common()))
    if report.excluded:
        lines.append(f"excluded as mislabelled: {len(report.excluded)}")
    return lines


def _why(result: Result) -> str:
    return "; ".join(f"{t.slug} <- " + ", ".join(f"{e['rule']} {e['value']!r} in {e['field']}" for e in t.explanation[:2])
                     for t in result.tags)


def timing(rules: CompiledRules, cases: list[Case], repeat: int = 5) -> float:
    """Best of `repeat` passes over all cases: tagged bills per CPU second (the machine is shared)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        for c in cases:
            tag_bill(rules, c.text)
        best = min(best, time.process_time() - t0)
    return len(cases) / best


def load_rules(path: str | None) -> CompiledRules:
    """The packaged default, a taxonomy file, or a coalition file (its areas over the defaults)."""
    if not path:
        return compile_taxonomy(default_taxonomy())
    text = Path(path).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if isinstance(data, dict) and "coalition" in data:
        from tracker.coalitions.loader import taxonomy_of
        from tracker.coalitions.schema import parse_coalition_file
        return compile_taxonomy(taxonomy_of(parse_coalition_file(text, path)))
    return compile_taxonomy(data)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part", choices=("dev", "heldout", "all"), default="dev")
    ap.add_argument("--misses", action="store_true", help="list education bills left untagged")
    ap.add_argument("--false-tags", action="store_true", help="list non-education bills that got tags")
    ap.add_argument("--taxonomy", help="a taxonomy or coalition YAML file instead of the packaged default")
    ap.add_argument("--baseline-taxonomy", help="time this taxonomy too, in the same run")
    ap.add_argument("--timing", action="store_true")
    args = ap.parse_args()
    cases = all_cases()
    if not cases:
        sys.exit(f"no fixtures found under {FIXTURES} (set EDTRACKER_FIXTURES)")
    rules = load_rules(args.taxonomy)
    report = evaluate(rules, cases, part=args.part)
    print("\n".join(summary(report, f"part: {args.part} ({args.taxonomy or 'default taxonomy'})")))
    if report.excluded:
        raw = Report(report.results + report.excluded, [])
        print(f"without exclusions: recall {_fmt(raw.recall())} (also heard elsewhere: {_fmt(raw.recall(SHARED))}), "
              f"non-education tagged {len(raw.false_tags())}"
              f"/{len(raw.negatives())}, precision {_fmt(raw.precision())}")
    if args.misses:
        print("\n# missed education bills")
        for r in sorted(report.misses() + report.misses(SHARED), key=lambda r: (r.case.label, r.case.key)):
            print(f"{r.case.label}\t{r.case.key}\t{r.case.text.title[:120]}\t[{r.case.signal}]")
    if args.false_tags:
        print("\n# tagged non-education bills")
        for r in sorted(report.false_tags(), key=lambda r: r.case.key):
            print(f"{r.case.key}\t{r.case.text.title[:120]}\t{_why(r)}")
    if args.timing:
        print(f"\ntagging speed over {len(cases)} bills (best of 5):")
        print(f"  current: {timing(rules, cases):,.0f} bills/s")
        if args.baseline_taxonomy:
            base = load_rules(args.baseline_taxonomy)
            print(f"  baseline {args.baseline_taxonomy}: {timing(base, cases):,.0f} bills/s")
            print(f"  current again: {timing(rules, cases):,.0f} bills/s")


if __name__ == "__main__":
    main()
