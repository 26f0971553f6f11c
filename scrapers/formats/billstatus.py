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
from scrapers.formats.htmltext import html_to_text
from scrapers.xmlsafe import parse_xml
from tracker.congress import BILL_TYPES, bill_type_code, display_identifier
from tracker.contract import BillIn, RecordError, build
from tracker.keys import bill_key

FORMAT_NAME = "govinfo-billstatus"
_FILE_NAME = re.compile(r"BILLSTATUS-(\d+)([a-z]+)(\d+)\.xml$", re.I)
_RESERVED = re.compile(r"^\s*Reserved\b", re.I)
_CHAMBER = {"house": "lower", "senate": "upper"}
_LAW_TYPES = {"public law": "public", "private law": "private"}
_MEDIA = {"xml": "application/xml", "pdf": "application/pdf", "htm": "text/html",
          "html": "text/html", "txt": "text/plain"}
_SLUG = {"hr": "house-bill", "s": "senate-bill", "hres": "house-resolution",
         "sres": "senate-resolution", "hjres": "house-joint-resolution",
         "sjres": "senate-joint-resolution", "hconres": "house-concurrent-resolution",
         "sconres": "senate-concurrent-resolution"}


def _text(el, path: str) -> str | None:
    value = el.findtext(path)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _texts(el, *paths: str) -> list[str]:
    out: list[str] = []
    for path in paths:
        out.extend(v.strip() for v in (e.text for e in el.iterfind(path)) if v and v.strip())
    return list(dict.fromkeys(out))


def _first(el, *paths: str) -> str | None:
    for path in paths:
        value = _text(el, path)
        if value:
            return value
    return None


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
    return b"<billStatus" in head[:2048]


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
        root = parse_xml(data)
    except etree.XMLSyntaxError as exc:
        return RecordError(source, record, None, f"malformed XML (truncated file?): {exc}")
    if root.tag != "billStatus":
        return RecordError(source, record, None, f"unknown root element <{root.tag}>, expected <billStatus>")
    try:
        schema = detect_schema(root)
    except ValueError as exc:
        return RecordError(source, record, None, str(exc))
    try:
        data_dict = bill_dict(root.find("bill"), schema, source, fetched_at)
    except RecordError as err:
        return err
    return _validate(data_dict, source)


def _validate(data: dict[str, Any], source: str) -> BillIn | RecordError:
    try:
        return build("bill", data, source=source)  # type: ignore[return-value]
    except RecordError as err:
        return err


def bill_dict(bill, schema: str, source: str, fetched_at: dt.datetime | None = None) -> dict[str, Any]:
    """The contract fields of one `<bill>` element (raises `RecordError` on a bill we must not store)."""
    congress = _text(bill, "congress")
    raw_type = _first(bill, "type", "billType") or ""
    number = _first(bill, "number", "billNumber")
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
    title = _text(bill, "title")
    if not title:
        raise RecordError(source, record, "title", "no title")
    if _RESERVED.match(title):
        raise RecordError(source, record, "title", f"a reserved bill number ({title!r}), not a bill")
    sponsors = [_person(item, primary=True) for item in bill.iterfind("sponsors/item")]
    sponsors = [s for s in sponsors if s]
    if not sponsors:
        raise RecordError(source, record, "sponsorships", "no sponsor")
    origin = _CHAMBER.get((_text(bill, "originChamber") or "").lower()) or BILL_TYPES[code].chamber

    raw, skipped = read_actions(bill)
    actions = build_actions(merge_duplicates(raw), origin)
    bill_votes = [v for v in map(recorded_vote, bill.iterfind("recordedVotes/recordedVote")) if v]
    unlinked = link_bill_votes(actions, bill_votes) if bill_votes else []

    extras: dict[str, Any] = {"billstatus_schema": schema}
    update_date = _text(bill, "updateDate")
    if update_date:
        extras["update_date"] = update_date
    committee_codes = _texts(bill, "committees/item/systemCode", "committees/billCommittees/item/systemCode")
    if committee_codes:
        extras["committee_codes"] = committee_codes
    if unlinked:
        extras["unlinked_recorded_votes"] = unlinked
    if skipped:
        extras["empty_actions_skipped"] = skipped
    summary, summary_meta = _summary(bill)
    if summary_meta:
        extras["summary_version"] = summary_meta

    return {
        "type": "bill", "jurisdiction": "us", "session": congress, "identifier": identifier,
        "bill_type": BILL_TYPES[code].bill_type, "classification": [BILL_TYPES[code].bill_type],
        "origin_chamber": origin, "title": title, "other_titles": _titles(bill, title),
        "summary": summary,
        "subjects": _texts(bill, "subjects/legislativeSubjects/item/name",
                           "subjects/billSubjects/legislativeSubjects/item/name",
                           "subjects/billSubjects/otherSubjects/item/name"),
        "policy_area": _first(bill, "policyArea/name", "subjects/policyArea/name",
                              "subjects/billSubjects/policyArea/name", "primarySubject/name"),
        "introduced_date": _date(_text(bill, "introducedDate")),
        "actions": actions,
        "sponsorships": sponsors + [s for s in (_person(i, primary=False) for i in bill.iterfind("cosponsors/item")) if s],
        "versions": _versions(bill),
        "related_bills": _related(bill, congress, identifier),
        "laws": _laws(bill),
        "committees": _texts(bill, "committees/item/name", "committees/billCommittees/item/name"),
        "sources": [f"https://www.congress.gov/bill/{_ordinal(int(congress))}-congress/{_SLUG[code]}/{int(number)}"],
        "extras": extras,
        "source": {"url": source, "format": FORMAT_NAME,
                   "fetched_at": fetched_at.isoformat() if fetched_at else None},
    }


def _val(fields: dict, tag: str) -> str | None:
    el = fields.get(tag)
    if el is None or el.text is None:
        return None
    return el.text.strip() or None


_RAW_TEXT = object()  # key of a summary's unstripped <text> in `_leaf_texts`


def _leaf_texts(item) -> dict:
    """Stripped text (or None) of each child of `item` by tag, the first child of a tag winning
    (as `findtext`); the summary's `<text>` also unstripped under `_RAW_TEXT`. One pass."""
    out: dict = {}
    for child in item:
        tag = child.tag
        if tag not in out:
            value = child.text
            if tag == "text":
                out[_RAW_TEXT] = value or ""
            out[tag] = (value.strip() or None) if value else None
    return out


def _person(item, *, primary: bool) -> dict[str, Any] | None:
    f: dict[str, Any] = {}
    identifiers = None
    for child in item:  # one pass, reading only the text we use; the last child of a tag wins
        tag = child.tag
        if tag in _PERSON_FIELDS:
            f[tag] = child.text
        elif tag == "identifiers":
            identifiers = child
    name = _clean(f.get("fullName")) or _clean(f.get("name"))
    if not name:
        return None
    # Only bioguide: BILLSTATUS's <lisID> is a Congress.gov number, not the Senate's S### id.
    bioguide = _clean(f.get("bioguideId"))
    if not bioguide and identifiers is not None:
        bioguide = _text(identifiers, "bioguideId")
    person: dict[str, Any] = {"name": name, "ids": {"bioguide": bioguide} if bioguide else {},
                              "primary": primary, "classification": "primary" if primary else "cosponsor"}
    if not primary:
        original = _clean(f.get("isOriginalCosponsor"))
        person["original"] = None if original is None else original.lower() == "true"
        person["date"] = _date(_clean(f.get("sponsorshipDate")))
        person["withdrawn_date"] = _date(_clean(f.get("sponsorshipWithdrawnDate")))
    return person


_PERSON_FIELDS = frozenset({"fullName", "name", "bioguideId", "isOriginalCosponsor", "sponsorshipDate",
                            "sponsorshipWithdrawnDate"})


def _clean(value: str | None) -> str | None:
    """An element's text stripped, None when empty."""
    return (value.strip() or None) if value else None


def _titles(bill, title: str) -> list[dict[str, str]]:
    seen, out = {title}, []
    for item in bill.iterfind("titles/item"):
        f = {child.tag: child for child in item}
        text, kind = _val(f, "title"), _val(f, "titleType")
        if text and (text, kind) not in seen:
            seen.add((text, kind))
            out.append({"title": text, "type": kind})
    return out


def _summary(bill) -> tuple[str | None, dict[str, str] | None]:
    """The latest CRS summary as plain text, and which version it is."""
    items = list(bill.iterfind("summaries/summary")) or list(bill.iterfind("summaries/billSummaries/item"))
    best, best_key = None, None
    for item in items:
        f = _leaf_texts(item)
        key = (f.get("actionDate") or "", f.get("updateDate") or "", f.get("versionCode") or "")
        if best_key is None or key >= best_key:
            best, best_key = f, key
    if best is None:
        return None, None
    meta = {k: v for k, v in (("version_code", best.get("versionCode")),
                              ("action_date", best.get("actionDate")),
                              ("action_desc", best.get("actionDesc"))) if v}
    return html_to_text(best.get(_RAW_TEXT)), meta or None


def _versions(bill) -> list[dict[str, Any]]:
    out = []
    for item in bill.iterfind("textVersions/item"):
        note = _text(item, "type")
        if not note:
            continue  # 3.0.0 files end the list with an empty <item>
        date = _date(_text(item, "date"))
        for url in _texts(item, "formats/item/url"):
            ext = url.rsplit(".", 1)[-1].lower()
            out.append({"note": note, "date": date, "url": url, "media_type": _MEDIA.get(ext)})
    return out


def _related(bill, congress: str, identifier: str) -> list[dict[str, str]]:
    out, seen = [], set()
    for item in bill.iterfind("relatedBills/item"):
        f = _leaf_texts(item)
        code, number = bill_type_code(f.get("type") or ""), f.get("number")
        other_congress = f.get("congress") or congress
        if code is None or not number or not number.isdigit():
            continue
        other = display_identifier(code, number)
        if (other_congress, other) in seen or (other_congress == congress and other == identifier):
            continue
        seen.add((other_congress, other))
        relation = (_text(item, "relationshipDetails/item/type") or "related").lower()
        out.append({"identifier": other, "session": other_congress, "jurisdiction": "us",
                    "relation_type": relation.removesuffix(" bill") or "related"})
    return out


def _laws(bill) -> list[dict[str, str]]:
    out = []
    for item in bill.iterfind("laws/item"):
        number, kind = _text(item, "number"), (_text(item, "type") or "").lower()
        if number:
            out.append({"type": _LAW_TYPES.get(kind, kind or "public"), "number": number})
    return out


FORMAT = SimpleFormat(FORMAT_NAME, sniff, parse, priority=40)
