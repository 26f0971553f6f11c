"""New York Senate OpenLegislation: API v3 bill JSON, member tables and the raw LBDC XML feed.

Read as one bundle so names resolve: member tables first (legislators with `ny-member` ids),
then API bills (amendments are versions of one bill: `S609A` is bill S609, version A), then the
feed's floor votes (SENFLVOT), committee votes (SENAGENV) and committee agendas (SENAGEN ->
hearings). Feed files print bill numbers zero-padded (`S00300` = S300) and only short names for
voters; names resolve through the member tables of the same session year when they are unique.
Session = the odd start year of the two-year session ("2017"); bill key `ny-2017-s609`.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
from pathlib import PurePosixPath
from typing import Iterator
from zoneinfo import ZoneInfo

from lxml import etree

from scrapers.formats import plainsections
from scrapers.formats.base import Item, Tree, per_file
from scrapers.formats.detect import json_shape, shape_of
from scrapers.formats.guard import convert
from scrapers.formats.ny_openleg_members import MemberTables, legislator_dicts, parse_member_sql
from scrapers.xmlsafe import HostileXML, parse_xml
from tracker.actions import ny as rules
from tracker.contract import RecordError, build
from tracker.bills.keys import bill_key, normalize_identifier, split_amendment

log = logging.getLogger(__name__)
NY_TZ = ZoneInfo("America/New_York")
FMT = "ny-openleg"
_CHAMBERS = {"SENATE": "upper", "ASSEMBLY": "lower"}
_FEED = re.compile(r"_(SENFLVOT|SENAGENV|SENAGEN)_", re.I)


def session_of(year: int | str) -> str:
    """OpenLegislation sessions start in odd years: 2018 -> "2017"."""
    y = int(year)
    return str(y - 1 if y % 2 == 0 else y)


def bill_ref(print_no: str, year: int | str) -> tuple[str, str]:
    """(bill key, amendment letter) for a feed or API print number (`S00609A` -> ny-2017-s609, A)."""
    base, version = split_amendment(normalize_identifier(print_no))
    return bill_key("ny", session_of(year), base), version


def decode_feed(data: bytes, source: str) -> tuple[bytes, list[str]]:
    """Feed bytes ready for lxml: NUL bytes dropped and invalid UTF-8 read as Latin-1.

    LBDC files declare UTF-8 but legacy ones hold NULs and single legacy bytes (0xF5 is the
    section sign in SOBI files); what was changed is returned so callers can report it.
    """
    notes = []
    nuls = data.count(b"\x00")
    if nuls:
        notes.append(f"{nuls} NUL byte(s) dropped")
        data = data.replace(b"\x00", b"")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        notes.append("not valid UTF-8: read as Latin-1")
        text = data.decode("latin-1")
        data = re.sub(r'encoding="[^"]*"', 'encoding="UTF-8"', text, count=1).encode("utf-8")
    for note in notes:
        log.warning("%s: %s", source, note)
    return data, notes


def _text(el, path: str) -> str:
    return (el.findtext(path) or "").strip()


def _bare_json_shape(tree: Tree, name: str) -> dict:
    """The shape of a JSON file named without `.json` (OpenLegislation's own test files)."""
    if not tree.head(name, 64).lstrip().startswith(b"{"):
        return {}
    try:
        return shape_of(json.loads(tree.read(name).decode("utf-8-sig"))) or {}
    except (OSError, ValueError, RecursionError):
        return {}


class NYOpenLeg:
    """Bundle format for a folder of OpenLegislation files."""

    name = FMT
    priority = 25

    def claim(self, tree: Tree) -> list[str]:
        out = []
        for n in tree.names():
            low = n.lower()
            if low.endswith(".sql"):
                if b"session_member" in tree.head(n, 2048):
                    out.append(n)
            elif low.endswith(".json") or "." not in PurePosixPath(n).name.replace("-", ""):
                shape = json_shape(tree, n) or _bare_json_shape(tree, n)
                if shape.get("responseType") == "bill" and shape.get("result") is dict:
                    out.append(n)
            elif low.endswith(".xml") and _FEED.search(PurePosixPath(n).name):
                out.append(n)
        return out

    def parse_tree(self, tree: Tree, names: list[str]) -> Iterator[Item]:
        tables = MemberTables()

        def read_members(data: bytes, _source: str) -> list:
            parse_member_sql(data.decode("utf-8", errors="replace"), tables)
            return []  # the tables are read whole, below
        for n in sorted(x for x in names if x.lower().endswith(".sql")):
            yield from per_file(tree, n, read_members)
        if tables.members:
            src = tree.source(next(x for x in sorted(names) if x.lower().endswith(".sql")))
            for d in legislator_dicts(tables, src, FMT):
                yield _build("legislator", d, src)
        lookup = tables.short_names()
        seen: set[str] = set()  # the same bill saved twice in one tree: the first file (by name) is read
        for n in sorted(x for x in names if not x.lower().endswith((".sql", ".xml"))):
            items = per_file(tree, n, parse_api_bill)
            key = next((i.key for i in items if getattr(i, "kind", None) == "bill"), None)
            if key in seen:
                log.info("%s: bill %s already read from another file of this import", tree.source(n), key)
                continue
            seen.add(key) if key else None
            yield from items
        # Feed files are named by timestamp: later files replace earlier ones for the same key.
        latest: dict[str, object] = {}
        feed = sorted((x for x in names if x.lower().endswith(".xml")), key=lambda x: PurePosixPath(x).name)
        for n in feed:
            for item in per_file(tree, n, lambda data, src: parse_feed(data, src, lookup)):
                if isinstance(item, RecordError):
                    yield item
                else:
                    latest[item.natural_key()] = item
        yield from latest.values()


def _build(kind: str, data: dict, source: str):
    try:
        return build(kind, data, source=source)
    except RecordError as err:
        return err


def _member_ids(m: dict) -> dict[str, str]:
    ids = {"ny-member": str(m["memberId"])} if m.get("memberId") else {}
    if m.get("sessionMemberId"):
        ids["ny-session-member"] = str(m["sessionMemberId"])
    return ids


def parse_api_bill(data: bytes, source: str) -> Iterator[Item]:
    """An API v3 bill response -> one BillIn (amendments as versions) and its VoteEventIns."""
    try:
        doc = json.loads(data.decode("utf-8"))
        bill = doc["result"]
        base, session = str(bill["basePrintNo"]), session_of(bill["session"])
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        yield RecordError(source, None, None, f"not an OpenLegislation bill response: {exc}")
        return
    if not doc.get("success", True):
        yield RecordError(source, base, None, f"API says: {doc.get('message')}")
        return
    rec = convert(_api_bill, bill, base, session, source, source=source, prefix="result",
                  record=f"ny-{session}-{base}".lower())
    yield rec
    if isinstance(rec, RecordError):
        return
    yield from _api_texts(bill, rec.key, base, session, source)
    votes = bill.get("votes") or {}
    items = votes.get("items") if isinstance(votes, dict) else votes
    if not isinstance(items, list):
        yield RecordError(source, rec.key, "result.votes", f"expected a list of votes, got {type(items).__name__}")
        return
    for i, v in enumerate(items):
        yield convert(_api_vote, v, rec.key, session, base, source, source=source,
                      prefix=f"result.votes.items.{i}", record=f"{rec.key} vote {i + 1}")


# Lines of the printed bill that are not its text: the page header ("S. 609    2"), the
# explanation of the marks at each page foot, the drafting office's job number.
_FURNITURE = re.compile(r"^(?:[SA]\. \d+(?:--[A-Z])?\s+\d+|\s*EXPLANATION--.*|\s*\[ \] is old law to be omitted\.|"
                        r"\s*LBD\d+-\d+-\d+)\s*$")


def plain_text(full: str) -> str:
    """OpenLegislation's printed full text without page furniture, trailing spaces or blank runs."""
    lines = [ln.rstrip() for ln in full.splitlines() if not _FURNITURE.match(ln)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _api_texts(bill: dict, key: str, base: str, session: str, source: str) -> Iterator[Item]:
    """One BillTextIn per amendment carrying its full text (code: the letter, or `original`)."""
    amendments = (bill.get("amendments") or {}).get("items") or {}
    for letter, a in sorted(amendments.items()):
        if isinstance(a, dict) and isinstance(a.get("fullText"), str) and a["fullText"].strip():
            yield convert(_api_text, a, letter, key, base, session, source, source=source,
                          record=f"{key}@{letter or 'original'}", prefix=f"result.amendments.items.{letter}")


def _api_text(a: dict, letter: str, key: str, base: str, session: str, source: str) -> Item:
    text = plain_text(a["fullText"])
    return build("bill_text", {
        "bill_key": key, "code": letter or "original", "name": a.get("printNo") or f"{base}{letter}",
        "date": a.get("publishDate") or None, "format": "text", "content": a["fullText"], "text": text,
        "sections": plainsections.sections(text),
        "url": f"https://www.nysenate.gov/legislation/bills/{session}/{base}/amendment/{letter or 'original'}",
        "source": {"url": source, "format": FMT}}, source=source)


def _api_bill(bill: dict, base: str, session: str, source: str) -> Item:
    origin = _CHAMBERS.get((bill.get("billType") or {}).get("chamber") or "")
    amendments = (bill.get("amendments") or {}).get("items") or {}
    active = amendments.get(bill.get("activeVersion") or "") or {}
    sponsorships = []
    member = (bill.get("sponsor") or {}).get("member")
    if member:
        sponsorships.append({"name": member.get("fullName") or member.get("shortName"),
                             "ids": _member_ids(member), "primary": True, "classification": "primary"})
    elif (bill.get("sponsor") or {}).get("rules"):
        sponsorships.append({"name": "Rules Committee", "entity_type": "organization",
                             "primary": True, "classification": "primary"})
    for group, cls in (("coSponsors", "cosponsor"), ("multiSponsors", "multisponsor")):
        for m in (active.get(group) or {}).get("items") or []:
            sponsorships.append({"name": m.get("fullName") or m.get("shortName"),
                                 "ids": _member_ids(m), "classification": cls})
    actions = []
    for a in sorted((bill.get("actions") or {}).get("items") or [], key=lambda a: a.get("sequenceNo", 0)):
        actions.append({"date": a["date"], "description": a["text"].strip(),
                        "actor": _CHAMBERS.get(a.get("chamber"), "legislature"),
                        "classification": rules.classify_action(a["text"]),
                        "extras": {"print_no": (a.get("billId") or {}).get("printNo")}})
    versions = [{"note": f"{v.get('printNo') or base} ({'original' if not k else 'amendment ' + k})",
                 "date": v.get("publishDate"),
                 # The Senate's public page of that print (its API URL would open JSON to a reader).
                 "url": f"https://www.nysenate.gov/legislation/bills/{session}/{base}/amendment/{k or 'original'}",
                 "media_type": "text/html"} for k, v in sorted(amendments.items())]
    related = [{"identifier": r["basePrintNo"], "session": session_of(r["session"]), "jurisdiction": "ny",
                "relation_type": "companion"}
               for v in amendments.values() for r in (v.get("sameAs") or {}).get("items") or []]
    related += [{"identifier": r["basePrintNo"], "session": session_of(r["session"]), "jurisdiction": "ny",
                 "relation_type": "prior-session"}
                for r in (bill.get("previousVersions") or {}).get("items") or []]
    status = bill.get("status") or {}
    title = str(bill.get("title") or base).strip().lstrip("@").strip()  # "@Relates to..." in S609-2017
    rec = _build("bill", {
        "jurisdiction": "ny", "session": session, "identifier": base,
        "bill_type": "resolution" if (bill.get("billType") or {}).get("resolution") else "bill",
        "origin_chamber": origin, "title": title, "summary": bill.get("summary") or None,
        "introduced_date": (amendments.get("") or {}).get("publishDate"),
        "actions": actions, "sponsorships": sponsorships, "versions": versions,
        "related_bills": list({(r["identifier"], r["relation_type"]): r for r in related}.values()),
        "committees": sorted({c["name"] for c in (bill.get("pastCommittees") or {}).get("items") or []}),
        "sources": [f"https://www.nysenate.gov/legislation/bills/{session}/{base}"],
        "stage": rules.stage_from_status(status.get("statusType"), origin),
        "extras": {"print_no": bill.get("printNo"), "active_version": bill.get("activeVersion"),
                   "status": status.get("statusType"),
                   "milestones": [m.get("statusType") for m in (bill.get("milestones") or {}).get("items") or []],
                   "law_section": active.get("lawSection")},
        "source": {"url": source, "format": FMT}}, source)
    return rec


def _api_vote(v: dict, key: str, session: str, base: str, source: str) -> Item:
    committee = (v.get("committee") or {}).get("name")
    kind = v.get("voteType") or "FLOOR"
    rows = []
    for code, group in ((v.get("memberVotes") or {}).get("items") or {}).items():
        option, raw = rules.vote_option(code)
        for m in group.get("items") or []:
            rows.append({"voter_name": m.get("fullName") or m.get("shortName"), "ids": _member_ids(m),
                         "option": option, "raw_option": raw})
    return _vote(key, session, base, v.get("version") or "", kind, committee, v.get("voteDate"),
                 rows, source, chamber=_CHAMBERS.get((v.get("committee") or {}).get("chamber"), "upper"))


def _vote(key: str, session: str, print_no: str, version: str, kind: str, committee: str | None,
          date: str, rows: list[dict], source: str, *, chamber: str = "upper",
          extras: dict | None = None) -> Item:
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["option"]] = counts.get(r["option"], 0) + 1
    # Neither the API nor the feed prints a result: a vote passes when ayes outnumber nays.
    result = "pass" if counts.get("yes", 0) > counts.get("no", 0) else "fail"
    slug = re.sub(r"[^a-z0-9]+", "-", committee.lower()).strip("-") + "-" if committee else ""
    return _build("vote_event", {
        "key": f"{key}-{kind.lower()}-{slug}{date}{('-' + version.lower()) if version else ''}",
        "jurisdiction": "ny", "session": session, "bill_key": key, "chamber": chamber,
        "organization": committee, "date": date,
        "motion_text": f"{committee} committee vote" if kind == "COMMITTEE" else "Senate floor vote",
        "motion_classification": ["committee-passage"] if kind == "COMMITTEE" else ["passage"],
        "vote_type": kind.lower(), "result": result, "counts": counts, "votes": rows,
        "extras": {"print_no": print_no + version, "result_basis": "ayes over nays", **(extras or {})},
        "source": {"url": source, "format": FMT}}, source)


def _feed_rows(members, year: int, lookup) -> list[dict]:
    rows = []
    for m in members:
        name = _text(m, "name")
        option, raw = rules.vote_option(_text(m, "vote"))
        member_id = lookup.get((year, "senate", name.upper()))
        rows.append({"voter_name": name, "ids": {"ny-member": str(member_id)} if member_id else {},
                     "option": option, "raw_option": raw})
    return rows


def parse_feed(data: bytes, source: str, lookup: dict) -> Iterator[Item]:
    """One SENFLVOT / SENAGENV / SENAGEN feed file -> vote events or hearings."""
    data, notes = decode_feed(data, source)
    try:
        root = parse_xml(data)
    except HostileXML as exc:
        yield RecordError(source, None, None, f"refused XML: {exc}")
        return
    except etree.XMLSyntaxError as exc:
        yield RecordError(source, None, None, f"malformed XML: {exc}")
        return
    year = int(root.get("sessyr") or root.get("year") or 0)
    session = session_of(year)
    if root.tag == "senfloorvote":
        key, version = bill_ref(root.get("no", ""), year)
        date = dt.datetime.strptime(root.get("dateofvote", ""), "%m/%d/%Y").date().isoformat()
        rows = _feed_rows(root.iterfind("votes/member"), year, lookup)
        yield _vote(key, session, key.split("-")[-1].upper(), version, "FLOOR", None, date, rows,
                    source, extras={"bill_seqno": root.get("bill_seqno"), "decode_notes": notes})
    elif root.tag == "senagendavote":
        for add in root.iterfind("addendum"):
            for com in add.iterfind("committees/committee"):
                cname, date = _text(com, "name"), _text(com, "meetdate")
                for b in com.iterfind("bills/bill"):
                    key, version = bill_ref(b.get("no", ""), year)
                    rows = _feed_rows(b.iterfind("votes/member"), year, lookup)
                    # Action codes carry trailing spaces ("F  ", "3  ", "RC "): stripped, kept raw.
                    yield _vote(key, session, key.split("-")[-1].upper(), version, "COMMITTEE", cname,
                                date, rows, source, extras={"committee_action": _text(b, "action"),
                                                            "agenda_no": root.get("no")})
    elif root.tag == "senagenda":
        for add in root.iterfind("addendum"):
            for com in add.iterfind("committees/committee"):
                yield _hearing(root, add, com, year, source)


def _hearing(root, add, com, year: int, source: str) -> Item:
    cname, date, time = _text(com, "name"), _text(com, "meetdate"), _text(com, "meettime")
    start = None
    if date:
        # The feed writes local meeting times with a "Z" ("T12.00.00Z" is noon in Albany).
        m = re.match(r"T(\d\d)\.(\d\d)", time)
        hh, mm = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
        start = dt.datetime.combine(dt.date.fromisoformat(date), dt.time(hh, mm), NY_TZ
                                    ).astimezone(dt.timezone.utc)  # stored as UTC everywhere
    slug = re.sub(r"[^a-z0-9]+", "-", cname.lower()).strip("-")
    bills = []
    for b in com.iterfind("bills/bill"):
        key, version = bill_ref(b.get("no", ""), year)
        bills.append({"bill_key": key, "note": f"{normalize_identifier(b.get('no', ''))}"
                      + (f" {_text(b, 'message')}" if _text(b, "message") else "")})
    addendum = add.get("id") or ""
    return _build("hearing", {
        "key": f"ny-{session_of(year)}-agenda{root.get('no')}{addendum.lower()}-{slug}",
        "jurisdiction": "ny", "committee_name": cname, "start": start,
        "location": _text(com, "location") or None, "description": _text(com, "notes") or None,
        "bills": bills, "source": {"url": source, "format": FMT}}, source)


FORMAT = NYOpenLeg()
