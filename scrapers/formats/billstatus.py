"""GovInfo BILLSTATUS XML (https://www.govinfo.gov/bulkdata/BILLSTATUS) -> `BillIn`.

Three generations of the schema are read by structure, not by the `<version>` element (some
3.0.0 files have none; legacy files never had one):
  - legacy: `billNumber`/`billType`, `committees/billCommittees`, sometimes `otherSubjects`
    and `primarySubject`, summaries as escaped HTML, one `<committee>` per action;
  - 1.0.0: the same layout with `<version>` inside `<bill>`, `<committees>` per action,
    `textVersions`, recorded votes listed at bill level;
  - 3.0.0: `number`/`type`, `committees/item`, `subjects/legislativeSubjects`,
    `summaries/summary` (HTML in CDATA), recorded votes inside each action.
Paths below try each generation's location, so hybrids read as well.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterator

from lxml import etree

from scrapers.formats.base import Item, SimpleFormat
from scrapers.formats.billstatus_actions import (build_actions, link_bill_votes, merge_duplicates,
                                                 read_actions, recorded_vote)
from scrapers.formats.billstatus_extract import BILL, clean, may_hold_separators, records
from scrapers.formats.htmltext import html_to_text
from scrapers.formats.detect import xml_root
from scrapers.xmlsafe import HostileXML, parse_xml
from tracker.jurisdictions.congress import BILL_TYPES, bill_type_code, display_identifier
from tracker.contract import BillIn, RecordError, build
from tracker.bills.keys import bill_key
from tracker.vocab import CHAMBER_WORDS

FORMAT_NAME = "govinfo-billstatus"
_FILE_NAME = re.compile(r"BILLSTATUS-(\d+)([a-z]+)(\d+)\.xml$", re.I)
_RESERVED = re.compile(r"^\s*Reserved\b", re.I)
_LAW_TYPES = {"public law": "public", "private law": "private"}
_MEDIA = {"xml": "application/xml", "pdf": "application/pdf", "htm": "text/html",
          "html": "text/html", "txt": "text/plain"}
_SLUG = {"hr": "house-bill", "s": "senate-bill", "hres": "house-resolution",
         "sres": "senate-resolution", "hjres": "house-joint-resolution",
         "sjres": "senate-joint-resolution", "hconres": "house-concurrent-resolution",
         "sconres": "senate-concurrent-resolution"}


def _date(value: str | None) -> str | None:
    return value[:10] if value else None


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def key_from_name(source: str) -> str | None:
    """`.../BILLSTATUS-117hr1.xml` -> `us-117-hr1` (to name the record when the file is unreadable)."""
    m = _FILE_NAME.search(source or "")
    if not m:
        return None
    return bill_key("us", m.group(1), f"{m.group(2)}{m.group(3)}")


def detect_schema(root) -> str:
    """`legacy`, `1.0.0` or `3.0.0`, from the element layout; raises ValueError when neither."""
    bill = root.find("bill")
    if bill is None:
        raise ValueError("no <bill> element in <billStatus>")
    if bill.find("number") is not None and bill.find("type") is not None:
        return "3.0.0"
    if bill.find("billNumber") is not None and bill.find("billType") is not None:
        has_version = bill.find("version") is not None or root.find("version") is not None
        return "1.0.0" if has_version else "legacy"
    raise ValueError("neither number/type (3.0.0) nor billNumber/billType (legacy, 1.0.0) in <bill>")


def sniff(name: str, head: bytes) -> bool:
    """BILLSTATUS files by name (so an error page saved under that name is reported) or by root."""
    base = name.rsplit("/", 1)[-1]
    if base.lower().endswith(".xml") and "BILLSTATUS-" in base:
        return True
    return xml_root(head) == "billStatus"


def parse(data: bytes, source: str) -> Iterator[Item]:
    """One BILLSTATUS file -> one `BillIn`, or a `RecordError` saying what is wrong with it."""
    yield parse_bill(data, source)


def parse_bill(data: bytes, source: str, fetched_at: dt.datetime | None = None) -> BillIn | RecordError:
    record = key_from_name(source)
    head = data[:1024].lstrip().lower()
    if not head:
        return RecordError(source, record, None, "empty file")
    if head.startswith(b"<!doctype html") or b"<html" in head[:300]:
        return RecordError(source, record, None,
                           "an HTML page, not BILLSTATUS XML (an error page served with status 200?)")
    try:
        # whitespace between elements is never read; dropping it makes the tree smaller to walk
        root = parse_xml(data, remove_blank_text=True)
    except HostileXML as exc:
        return RecordError(source, record, None, f"refused XML: {exc}")
    except etree.XMLSyntaxError as exc:
        return RecordError(source, record, None, f"malformed XML (truncated file?): {exc}")
    if root.tag != "billStatus":
        return RecordError(source, record, None, f"unknown root element <{root.tag}>, expected <billStatus>")
    try:
        schema = detect_schema(root)
    except ValueError as exc:
        return RecordError(source, record, None, str(exc))
    try:
        sanitize = may_hold_separators(data, root.getroottree().docinfo.encoding)
        data_dict = bill_dict(root.find("bill"), schema, source, fetched_at, sanitize=sanitize)
    except RecordError as err:
        return err
    except etree.XSLTApplyError as exc:  # libxslt gave up on the document (resource limits)
        return RecordError(source, record, None, f"could not read the bill's fields: {exc}")
    return _validate(data_dict, source)


def _validate(data: dict[str, Any], source: str) -> BillIn | RecordError:
    try:
        return build("bill", data, source=source)  # type: ignore[return-value]
    except RecordError as err:
        return err


def bill_dict(bill, schema: str, source: str, fetched_at: dt.datetime | None = None, *,
              sanitize: bool = True) -> dict[str, Any]:
    """The contract fields of one `<bill>` element (raises `RecordError` on a bill we must not store).

    `sanitize=False` is faster, for a document known to hold no U+E000/U+E001 (see `billstatus_extract`)."""
    recs = Records(records(bill.getparent(), sanitize=sanitize))
    b = recs.bill
    congress = clean(b[1])
    raw_type = clean(b[2]) or clean(b[3]) or ""
    number = clean(b[4]) or clean(b[5])
    code = bill_type_code(raw_type)
    record = key_from_name(source)
    if not congress or not congress.isdigit():
        raise RecordError(source, record, "congress", f"missing or bad congress {congress!r}")
    if code is None:
        raise RecordError(source, record, "bill_type", f"unknown bill type {raw_type!r}")
    if not number or not number.isdigit():
        raise RecordError(source, record, "identifier", f"missing or bad bill number {number!r}")
    identifier = display_identifier(code, number)
    record = bill_key("us", congress, identifier)
    title = clean(b[6])
    if not title:
        raise RecordError(source, record, "title", "no title")
    if _RESERVED.match(title):
        raise RecordError(source, record, "title", f"a reserved bill number ({title!r}), not a bill")
    sponsors = [p for p in (_person(f, primary=True) for f in recs.sponsors) if p]
    if not sponsors:
        raise RecordError(source, record, "sponsorships", "no sponsor")
    origin = CHAMBER_WORDS.get((clean(b[7]) or "").lower()) or BILL_TYPES[code].chamber

    raw, skipped = read_actions(recs.actions)
    actions = build_actions(merge_duplicates(raw), origin)
    bill_votes = [v for v in (recorded_vote(*f[1:]) for f in recs.votes) if v]
    unlinked = link_bill_votes(actions, bill_votes) if bill_votes else []

    extras: dict[str, Any] = {"billstatus_schema": schema}
    update_date = clean(b[8])
    if update_date:
        extras["update_date"] = update_date
    committee_codes = _values(recs.lists.get("k"))
    if committee_codes:
        extras["committee_codes"] = committee_codes
    if unlinked:
        extras["unlinked_recorded_votes"] = unlinked
    if skipped:
        extras["empty_actions_skipped"] = skipped
    summary, summary_meta = _summary(recs.summaries or recs.bill_summaries)
    if summary_meta:
        extras["summary_version"] = summary_meta

    return {
        "type": "bill", "jurisdiction": "us", "session": congress, "identifier": identifier,
        "bill_type": BILL_TYPES[code].bill_type, "classification": [BILL_TYPES[code].bill_type],
        "origin_chamber": origin, "title": title, "other_titles": _titles(recs.titles, title),
        "summary": summary,
        "subjects": _values(recs.lists.get("j")),
        "policy_area": next((v for v in map(clean, b[10:14]) if v), None),
        "introduced_date": _date(clean(b[9])),
        "actions": actions,
        "sponsorships": sponsors + [p for p in (_person(f, primary=False) for f in recs.cosponsors) if p],
        "versions": _versions(recs.versions),
        "related_bills": _related(recs.related, congress, identifier),
        "laws": _laws(recs.laws),
        "committees": _values(recs.lists.get("n")),
        "sources": [f"https://www.congress.gov/bill/{_ordinal(int(congress))}-congress/{_SLUG[code]}/{int(number)}"],
        "extras": extras,
        "source": {"url": source, "format": FORMAT_NAME,
                   "fetched_at": fetched_at.isoformat() if fetched_at else None},
    }


class Records:
    """The extracted record stream of one bill, sorted by kind (see `billstatus_extract.LAYOUT`)."""

    __slots__ = ("bill", "sponsors", "cosponsors", "actions", "votes", "summaries", "bill_summaries",
                 "titles", "versions", "related", "laws", "lists")

    def __init__(self, stream: list[list[str]]):
        self.bill: list[str] = ["b", *[""] * len(BILL)]
        self.sponsors, self.cosponsors, self.actions, self.votes = [], [], [], []
        self.summaries, self.bill_summaries, self.titles, self.versions = [], [], [], []
        self.related, self.laws = [], []
        self.lists: dict[str, list[str]] = {}
        by_tag = {"s": self.sponsors, "c": self.cosponsors, "w": self.votes, "u": self.summaries,
                  "U": self.bill_summaries, "t": self.titles, "x": self.versions, "r": self.related,
                  "z": self.laws}
        action: list | None = None
        for f in stream:
            tag = f[0]
            if tag == "a":
                action = [f, [], []]  # the action's fields, its committee names, its recorded votes
                self.actions.append(action)
            elif tag == "m":
                action[1].append(f[1])  # type: ignore[index]
            elif tag == "v":
                action[2].append(f)  # type: ignore[index]
            elif tag in by_tag:
                by_tag[tag].append(f)
            elif tag == "b":
                self.bill = f
            else:
                self.lists[tag] = f[1:]


def _values(values: list[str] | None) -> list[str]:
    """Stripped non-empty values, first occurrence order."""
    if not values:
        return []
    return list(dict.fromkeys(v for v in map(clean, values) if v))


def _person(f: list[str], *, primary: bool) -> dict[str, Any] | None:
    # fields: fullName, name, bioguideId, identifiers/bioguideId, isOriginalCosponsor,
    # sponsorshipDate, sponsorshipWithdrawnDate (str.strip inline: a bill can have 400 cosponsors)
    name = f[1].strip() or f[2].strip()
    if not name:
        return None
    # Only bioguide: BILLSTATUS's <lisID> is a Congress.gov number, not the Senate's S### id.
    bioguide = f[3].strip() or f[4].strip()
    person: dict[str, Any] = {"name": name, "ids": {"bioguide": bioguide} if bioguide else {},
                              "primary": primary, "classification": "primary" if primary else "cosponsor"}
    if not primary:
        original = f[5].strip()
        person["original"] = original.lower() == "true" if original else None
        person["date"] = f[6].strip()[:10] or None
        person["withdrawn_date"] = f[7].strip()[:10] or None
    return person


def _titles(items: list[list[str]], title: str) -> list[dict[str, str]]:
    seen, out = {title}, []
    for f in items:
        text, kind = clean(f[1]), clean(f[2])
        if text and (text, kind) not in seen:
            seen.add((text, kind))
            out.append({"title": text, "type": kind})
    return out


def _summary(items: list[list[str]]) -> tuple[str | None, dict[str, str] | None]:
    """The latest CRS summary as plain text, and which version it is."""
    best, best_key = None, None
    for f in items:
        key = (clean(f[1]) or "", clean(f[2]) or "", clean(f[3]) or "")
        if best_key is None or key >= best_key:
            best, best_key = f, key
    if best is None:
        return None, None
    meta = {k: v for k, v in (("version_code", clean(best[3])), ("action_date", clean(best[1])),
                              ("action_desc", clean(best[4]))) if v}
    return html_to_text(best[5]), meta or None


def _versions(items: list[list[str]]) -> list[dict[str, Any]]:
    out = []
    for f in items:
        note = clean(f[1])
        if not note:
            continue  # 3.0.0 files end the list with an empty <item>
        date = _date(clean(f[2]))
        for url in _values(f[3:]):
            ext = url.rsplit(".", 1)[-1].lower()
            out.append({"note": note, "date": date, "url": url, "media_type": _MEDIA.get(ext)})
    return out


def _related(items: list[list[str]], congress: str, identifier: str) -> list[dict[str, str]]:
    out, seen = [], set()
    for f in items:
        code, number = bill_type_code(clean(f[1]) or ""), clean(f[2])
        other_congress = clean(f[3]) or congress
        if code is None or not number or not number.isdigit():
            continue
        other = display_identifier(code, number)
        if (other_congress, other) in seen or (other_congress == congress and other == identifier):
            continue
        seen.add((other_congress, other))
        relation = (clean(f[4]) or "related").lower()
        out.append({"identifier": other, "session": other_congress, "jurisdiction": "us",
                    "relation_type": relation.removesuffix(" bill") or "related"})
    return out


def _laws(items: list[list[str]]) -> list[dict[str, str]]:
    out = []
    for f in items:
        number, kind = clean(f[1]), (clean(f[2]) or "").lower()
        if number:
            out.append({"type": _LAW_TYPES.get(kind, kind or "public"), "number": number})
    return out


FORMAT = SimpleFormat(FORMAT_NAME, sniff, parse, priority=40)
