"""unitedstates/congress vote output -> `VoteEventIn`: `data/{congress}/votes/{year}/{h|s}{roll}/data.json`
and the GovTrack-style `data.xml` beside it (read only when no `data.json` is there).

Quirks (../shared/docs/sources.md): House voters are keyed by bioguide id, Senate voters by LIS id;
`session` in the JSON is the YEAR while the XML's `session` attribute is the congress; House
recorded votes say Aye/No, yea-and-nay votes Yea/Nay; the vote keys match the official sources'
(`us-house-{year}-{roll}`, `us-senate-{congress}-{session}-{roll}`) so both stores meet.
"""
from __future__ import annotations

import datetime as dt
import json
import posixpath
from typing import Iterator


from scrapers.formats.base import Item, Tree, read_or_error
from scrapers.formats.detect import json_shape, xml_root
from scrapers.formats.guard import convert_all, record_name
from scrapers.formats.us_vote_rules import (classify_motion, classify_result, federal_bill_key,
                                             normalize_option)
from scrapers.xmlsafe import record_root
from tracker.contract import RecordError, SourceRef, build

FORMAT_NAME = "uscongress-vote"
# Keys every vote `data.json` has (its `bill` key alone would not tell it from a LegiScan bill).
_JSON_KEYS = frozenset({"vote_id", "chamber", "congress", "number", "date", "votes"})
_BILL_TYPES = {"hr": "HR", "h": "HR", "hres": "HRES", "hjres": "HJRES", "hconres": "HCONRES",
               "s": "S", "sres": "SRES", "sjres": "SJRES", "sconres": "SCONRES"}


def _session_number(congress: int, year: int) -> int:
    """The JSON gives the year; the Congress's first session is its odd year (2015 -> 114th, 1)."""
    return year - (1789 + 2 * (congress - 1)) + 1


def _keys(chamber: str, congress: int, year: int, roll: int) -> tuple[str, str]:
    if chamber == "h":
        return f"us-house-{year}-{roll}", "lower"
    return f"us-senate-{congress}-{_session_number(congress, year)}-{roll}", "upper"


def _bill(congress, btype, number) -> str | None:
    prefix = _BILL_TYPES.get((btype or "").lower())
    return federal_bill_key(congress, f"{prefix}{number}") if prefix and number else None


def _record(source: str, *, chamber: str, congress: int, when: dt.datetime, roll: int,
            question: str, vtype: str | None, category: str | None, result_text: str | None,
            bill_key: str | None, votes: list[dict], extras: dict) -> Item:
    key, chamber_name = _keys(chamber, congress, when.year, roll)
    counts: dict[str, int] = {}
    for v in votes:
        # Totals from the member rows themselves: this format's totals are computed the same way.
        bucket = v["option"] if v["option"] != "other" else v["raw_option"]
        counts[bucket] = counts.get(bucket, 0) + 1
    motion = classify_motion(question, vtype)
    if category == "cloture":
        motion = ["cloture"]
    try:
        return build("vote_event", {
            "key": key, "jurisdiction": "us", "session": str(congress), "chamber": chamber_name,
            "organization": "House of Representatives" if chamber == "h" else "Senate",
            "bill_key": bill_key, "date": when.date(), "start_time": when.astimezone(dt.timezone.utc) if when.tzinfo else when, "roll_number": str(roll),
            "motion_text": question or vtype or "Roll call", "motion_classification": motion,
            "vote_type": vtype, "result": classify_result(result_text), "counts": counts,
            "votes": votes, "extras": {k: v for k, v in extras.items() if v},
            "source": SourceRef(url=source, format=FORMAT_NAME).model_dump()}, source=source)
    except RecordError as err:
        return err


def parse_json(data: bytes, source: str) -> Iterator[Item]:
    """One `data.json` vote (a wrong-typed field is an error naming it)."""
    try:
        d = json.loads(data)
    except ValueError as exc:
        yield RecordError(source, None, None, f"not JSON: {exc}")
        return
    yield from convert_all(_json_vote, d, source, source=source, record=record_name(d, "vote_id"))


def _json_vote(d: dict, source: str) -> Iterator[Item]:
    try:
        chamber, congress, roll = d["chamber"], int(d["congress"]), int(d["number"])
        when = dt.datetime.fromisoformat(d["date"])
    except (ValueError, KeyError, TypeError) as exc:
        yield RecordError(source, None, None, f"not a unitedstates/congress vote: {exc!r}")
        return
    ids_scheme = "bioguide" if chamber == "h" else "lis"
    votes = []
    for raw, people in (d.get("votes") or {}).items():
        for p in people:
            if not isinstance(p, dict):  # the VP's tie-breaker is the string "VP"
                votes.append({"voter_name": str(p), "option": normalize_option(raw), "raw_option": raw})
                continue
            votes.append({"voter_name": p.get("display_name") or p.get("id") or "?",
                          "ids": {ids_scheme: p["id"]} if p.get("id") else {},
                          "option": normalize_option(raw), "raw_option": raw})
    bill = d.get("bill") or {}
    amendment = d.get("amendment") or {}
    yield _record(source, chamber=chamber, congress=congress, when=when, roll=roll,
                  question=d.get("question") or "", vtype=d.get("type"), category=d.get("category"),
                  result_text=d.get("result"), votes=votes,
                  bill_key=_bill(bill.get("congress"), bill.get("type"), bill.get("number")),
                  extras={"category": d.get("category"), "vote_result_text": d.get("result_text"),
                          "requires": d.get("requires"), "subject": d.get("subject"),
                          "amendment": amendment, "vote_id": d.get("vote_id"),
                          "official_url": d.get("source_url")})


def parse_xml_vote(data: bytes, source: str) -> Iterator[Item]:
    """One GovTrack-style `data.xml` vote (`<roll where= session= year= roll=>`)."""
    root = record_root(data, source)
    if isinstance(root, RecordError):
        yield root
        return
    try:
        chamber = {"house": "h", "senate": "s"}[root.get("where", "")]
        congress, roll = int(root.get("session")), int(root.get("roll"))
        when = dt.datetime.fromisoformat(root.get("datetime"))
    except (KeyError, TypeError, ValueError) as exc:
        yield RecordError(source, None, None, f"not a GovTrack <roll> vote: {exc!r}")
        return
    ids_scheme = "bioguide" if chamber == "h" else "lis"
    votes = [{"voter_name": v.get("id") or "?", "ids": {ids_scheme: v.get("id")} if v.get("id") else {},
              "option": normalize_option(v.get("value") or ""), "raw_option": v.get("value") or ""}
             for v in root.iterfind("voter")]
    bill = root.find("bill")
    bill_key = _bill(bill.get("session"), bill.get("type"), bill.get("number")) if bill is not None else None
    text = lambda tag: (root.findtext(tag) or "").strip() or None  # noqa: E731
    yield _record(source, chamber=chamber, congress=congress, when=when, roll=roll,
                  question=text("question") or "", vtype=text("type"), category=text("category"),
                  result_text=text("result"), bill_key=bill_key, votes=votes,
                  extras={"category": text("category"), "requires": text("required")})


class USCongressVotes:
    """Bundle format: every `data.json` vote folder, or its `data.xml` when the JSON is absent."""

    name = FORMAT_NAME
    priority = 60

    def claim(self, tree: Tree) -> list[str]:
        names = tree.names()
        by_dir: dict[str, list[str]] = {}
        for n in names:
            base = posixpath.basename(n)
            if base == "data.json" and _JSON_KEYS <= set(json_shape(tree, n) or ()):
                by_dir.setdefault(posixpath.dirname(n), []).insert(0, n)
            elif base == "data.xml" and xml_root(tree.head(n, 1024)) == "roll":
                by_dir.setdefault(posixpath.dirname(n), []).append(n)
        return [n for files in by_dir.values() for n in files]

    def parse_tree(self, tree: Tree, names: list[str]) -> Iterator[Item]:
        chosen: dict[str, str] = {}
        for n in names:  # prefer data.json: it carries names and the official source URL
            d = posixpath.dirname(n)
            if d not in chosen or n.endswith(".json"):
                chosen[d] = n
        for d in sorted(chosen):
            n = chosen[d]
            parse = parse_json if n.endswith(".json") else parse_xml_vote
            data = read_or_error(tree, n)
            if isinstance(data, RecordError):
                yield data
                continue
            yield from parse(data, tree.source(n))


FORMAT = USCongressVotes()
