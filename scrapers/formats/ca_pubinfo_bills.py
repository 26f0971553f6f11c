"""pubinfo bills: BILL_TBL with its history, versions (and their CAML text), authors, analyses and
veto messages -> `BillIn` and `BillTextIn` records.

The bill's title is its latest version's subject (BILL_VERSION_TBL.SUBJECT); a dump without
version rows (the fixture's) gives the bill number instead, flagged as a placeholder so another
source's title wins when merging. Stages come from the history (CA rules) and, when it settles
the matter, BILL_TBL's current status (chaptered, vetoed, died).
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Callable, Iterator

from lxml import etree

from scrapers.formats.ca_pubinfo_people import People, Places, committee_chamber
from scrapers.formats.ca_pubinfo import STAMPS
from scrapers.formats.ca_pubinfo_rows import BadValue, Row, as_date, as_datetime, as_int, decode, error
from scrapers.formats.caml import parse_caml
from tracker.actions import ca as codes
from tracker.actions.state import classify_state_action
from tracker.bills.keys import bill_key
from tracker.contract import RecordError, build

FMT = "ca-pubinfo"
LEGINFO = "https://leginfo.legislature.ca.gov/faces"
_SPACE = re.compile(r"\s+")
_BILL_ID = re.compile(r"^(\d{8})(\d)([A-Z]+)(\d+)$")


def bill_url(bill_id: str, page: str = "billNavClient") -> str:
    return f"{LEGINFO}/{page}.xhtml?bill_id={bill_id}"


def session_of(session_year: str, session_num: str | None) -> str:
    """`20252026`, `0` -> `20252026`; session number 1 (the first extraordinary session) -> `20252026s1`."""
    num = int(session_num or 0)
    return session_year if num == 0 else f"{session_year}s{num}"


def identifier_of(measure_type: str, measure_num: int | str, session_num: str | None) -> str:
    """`AB 13`; in an extraordinary session `ABX1 1` (key `abx11`, as LegiScan's ABX11)."""
    num = int(session_num or 0)
    return f"{measure_type}{f'X{num}' if num else ''} {int(measure_num)}"


def key_of_bill_id(bill_id: str) -> str | None:
    """The bill key of a pubinfo bill id (`202520260AB13` -> `ca-20252026-ab13`), None if malformed."""
    m = _BILL_ID.match(bill_id or "")
    if not m:
        return None
    year, num, mtype, mnum = m.groups()
    return bill_key("ca", session_of(year, num), identifier_of(mtype, mnum, num))


@lru_cache(maxsize=65536)
def classify(text: str) -> tuple[str, ...]:
    return tuple(classify_state_action("ca", text))


_DEATH = re.compile(codes.DEATH_ACTIONS, re.I)


def _death(actions: list[dict]) -> str | None:
    """`dead` when a history line says the bill died (the status is not always updated, and a
    routine line like "From printer." may follow the death notice)."""
    return "dead" if any(_DEATH.search(a["description"]) for a in actions) else None


def _flag(value: str | None) -> bool | None:
    return None if value is None else value.strip().upper() in ("YES", "Y")


class BillBuilder:
    """Builds the records of one bill from its rows (grouped by the caller)."""

    def __init__(self, places: Places, people: People, present: set[str], lob: Callable[[str], bytes | None]):
        self.places, self.people, self.present = places, people, present
        self.lob = lob  # a lob's bytes by the name a row gives, None when the dump lacks it

    def actions(self, rows: list[Row], session_year: str, out: list) -> tuple[list[dict], list[str]]:
        actions, committees = [], []
        ordered = []
        for row in rows:
            try:
                ordered.append((as_date(row, "ACTION_DATE"), as_int(row, "ACTION_SEQUENCE") or 0,
                                as_int(row, "BILL_HISTORY_ID") or 0, row))
            except BadValue as exc:
                out.append(error(row, exc.column, str(exc)))
        for date, seq, hid, row in sorted(ordered, key=lambda t: (t[0] or dt.date.min, t[1], t[2])):
            text = _SPACE.sub(" ", row.get("ACTION") or "").strip()
            if date is None or not text:
                out.append(error(row, "ACTION_DATE" if date is None else "ACTION", "an action needs a date and a text"))
                continue
            where = row.get("PRIMARY_LOCATION")
            actor = codes.ACTION_ACTORS.get(where) if where else "legislature"
            if actor is None:
                out.append(error(row, "PRIMARY_LOCATION", f"unknown location {where!r} (expected one of "
                                 f"{sorted(codes.ACTION_ACTORS)})"))
                continue
            code = row.get("TERNARY_LOCATION")
            committee = self.places.name(code, session_year) if committee_chamber(code or "") else None
            if committee and committee not in committees:
                committees.append(committee)
            actions.append({"date": date, "description": text, "actor": actor, "committee": committee,
                            "classification": list(classify(text)), "code": row.get("ACTION_CODE"),
                            "extras": {"history_id": row.get("BILL_HISTORY_ID"), "sequence": seq}})
        return actions, committees

    def sponsors(self, rows: list[Row], session_year: str, out: list) -> list[dict]:
        sponsors = []
        for row in rows:
            contribution = codes.CONTRIBUTIONS.get(row.get("CONTRIBUTION") or "")
            if contribution is None:
                out.append(error(row, "CONTRIBUTION", f"unknown contribution {row.get('CONTRIBUTION')!r} "
                                 f"(expected one of {sorted(codes.CONTRIBUTIONS)})", row.get("BILL_VERSION_ID")))
                continue
            chamber = codes.HOUSES.get((row.get("HOUSE") or "").upper())
            name = (row.get("NAME") or "").strip()
            if not name:
                out.append(error(row, "NAME", "an author without a name", row.get("BILL_VERSION_ID")))
                continue
            person = (row.get("TYPE") or "Legislator") != "Committee"
            sponsors.append({"name": name, "entity_type": "person" if person else "organization",
                             "ids": self.people.ids(name, chamber, session_year) if person else {},
                             "primary": row.get("CONTRIBUTION") == "LEAD_AUTHOR",
                             "classification": contribution})
        return sponsors

    def bill(self, b: Row, children: dict[str, list[Row]], out: list) -> Iterator:
        """The bill's records (BillIn, then its BillTextIns); problems go to `out`."""
        bill_id = b["BILL_ID"]
        mtype = b.get("MEASURE_TYPE") or ""
        if mtype not in codes.MEASURE_TYPES:
            out.append(error(b, "MEASURE_TYPE", f"unknown measure type {mtype!r} (expected one of "
                             f"{sorted(codes.MEASURE_TYPES)})"))
            return
        try:
            number = as_int(b, "MEASURE_NUM")
        except BadValue as exc:
            out.append(error(b, exc.column, str(exc)))
            return
        session_year = b.get("SESSION_YEAR") or bill_id[:8]
        session = session_of(session_year, b.get("SESSION_NUM"))
        ident = identifier_of(mtype, number, b.get("SESSION_NUM"))
        key = bill_key("ca", session, ident)
        bill_type, origin = codes.MEASURE_TYPES[mtype]
        actions, committees = self.actions(children.get("BILL_HISTORY_TBL", []), session_year, out)
        versions = []
        for v in children.get("BILL_VERSION_TBL", []):
            try:
                versions.append((as_int(v, "VERSION_NUM") or 0, as_date(v, "BILL_VERSION_ACTION_DATE"), v))
            except BadValue as exc:
                out.append(error(v, exc.column, str(exc), v.get("BILL_VERSION_ID")))
        versions.sort(key=lambda t: (-t[0], t[1] or dt.date.min))  # 99 is the introduced version
        latest_id = b.get("LATEST_BILL_VERSION_ID")
        latest = next((v for _, _, v in versions if v["BILL_VERSION_ID"] == latest_id), None) or \
            (versions[-1][2] if versions else None)
        by_version: dict[str, list[Row]] = {}
        for row in children.get("BILL_VERSION_AUTHORS_TBL", []):
            by_version.setdefault(row.get("BILL_VERSION_ID") or "", []).append(row)
        author_rows = by_version.get(latest_id or "") or next(
            (by_version[v["BILL_VERSION_ID"]] for _, _, v in reversed(versions) if v["BILL_VERSION_ID"] in by_version), [])
        texts = list(self.texts(key, bill_id, versions, children, out))
        latest_text = next((t for t in texts if latest is not None and t.code == latest["BILL_VERSION_ID"]), None)
        title = (latest or {}).get("SUBJECT") or (latest_text.extras_subject if latest_text else None)
        placeholder = [] if title else ["title"]
        introduced = next((d for n, d, _ in versions if n == 99), None) or (actions[0]["date"] if actions else None)
        status = b.get("CURRENT_STATUS")
        stage_map = codes.RESOLUTION_STATUS_STAGES if "resolution" in bill_type else codes.STATUS_STAGES
        laws = []
        if b.get("CHAPTER_NUM"):
            kind = "resolution chapter" if (b.get("CHAPTER_TYPE") or "").upper() == "CHR" else "chapter"
            laws.append({"type": kind, "number": f"{b['CHAPTER_NUM']}, Statutes of {b.get('CHAPTER_YEAR') or ''}".strip()})
        extras = {k: v for k, v in {
            "bill_id": bill_id, "measure_state": b.get("MEASURE_STATE"), "current_status": status,
            "current_house": b.get("CURRENT_HOUSE"),
            "current_location": self.places.name(b.get("CURRENT_LOCATION"), session_year) or b.get("CURRENT_LOCATION"),
            "current_secondary_location": b.get("CURRENT_SECONDARY_LOC"), "latest_version": latest_id,
            "days_31st_in_print": b.get("DAYS_31ST_IN_PRINT"),
            "vote_required": (latest or {}).get("VOTE_REQUIRED"),
            "appropriation": _flag((latest or {}).get("APPROPRIATION")),
            "fiscal_committee": _flag((latest or {}).get("FISCAL_COMMITTEE")),
            "urgency": _flag((latest or {}).get("URGENCY")),
            "placeholder_fields": placeholder, "updated_at": _updated_at(b, children)}.items()
            if v not in (None, [], "")}
        record = {
            "jurisdiction": "ca", "session": session, "identifier": ident, "bill_type": bill_type,
            "classification": [bill_type], "origin_chamber": origin, "title": title or ident,
            "other_titles": [{"title": latest_text.extras_title, "type": "long title"}]
            if latest_text and latest_text.extras_title else [],
            "summary": latest_text.extras_digest if latest_text else None,
            "introduced_date": introduced, "actions": actions,
            "sponsorships": self.sponsors(author_rows, session_year, out),
            "versions": [{"note": v.get("BILL_VERSION_ACTION") or v["BILL_VERSION_ID"], "date": d,
                          "url": bill_url(bill_id, "billTextClient"), "media_type": "application/xml"}
                         for _, d, v in versions],
            "documents": self.documents(bill_id, children, out), "laws": laws, "committees": committees,
            "sources": [bill_url(bill_id)], "stage": stage_map.get(status or "") or _death(actions),
            "extras": extras,
            "source": {"url": bill_url(bill_id), "format": FMT}}
        try:
            rec = build("bill", record, source=b.where())
        except RecordError as err:
            out.append(err)
            return
        yield rec
        for text in texts:
            yield text.record

    def texts(self, key: str, bill_id: str, versions: list, children: dict, out: list) -> Iterator["_Text"]:
        if "BILL_VERSION_TBL" not in self.present:
            return
        for _, date, v in versions:
            vid = v["BILL_VERSION_ID"]
            lob = v.get("BILL_XML")
            if not lob:
                out.append(error(v, "BILL_XML", "no lob file named for this version", vid))
                continue
            data = self.lob(lob)
            if data is None:
                out.append(error(v, "BILL_XML", f"lob file {lob} is missing from the dump", vid))
                continue
            try:
                doc = parse_caml(data)
            except (etree.XMLSyntaxError, ValueError) as exc:
                out.append(error(v, "BILL_XML", f"{lob} is not CAML: {exc}", vid))
                continue
            try:
                rec = build("bill_text", {
                    "bill_key": key, "code": vid, "name": v.get("BILL_VERSION_ACTION"), "date": date,
                    "format": "caml", "content": decode(data), "url": bill_url(bill_id, "billTextClient"),
                    "text": doc.text, "sections": doc.sections,
                    "source": {"url": bill_url(bill_id, "billTextClient"), "format": FMT}}, source=v.where())
            except RecordError as err:
                out.append(err)
                continue
            yield _Text(vid, rec, doc.title, doc.subject, doc.digest)

    def documents(self, bill_id: str, children: dict, out: list) -> list[dict]:
        docs = []
        for row in children.get("BILL_ANALYSIS_TBL", []):
            try:
                date = as_date(row, "ANALYSIS_DATE")
            except BadValue as exc:
                out.append(error(row, exc.column, str(exc)))
                continue
            who = row.get("COMMITTEE_NAME") or ("Floor" if row.get("ANALYSIS_TYPE") == "FLOOR" else None)
            note = (who if "analys" in who.lower() else f"{who} analysis") if who else "Analysis"
            docs.append({"note": note, "kind": "analysis", "date": date,
                         "url": bill_url(bill_id, "billAnalysisClient"),
                         "extras": {k: v for k, v in {
                             "analysis_id": row.get("ANALYSIS_ID"), "type": row.get("ANALYSIS_TYPE"),
                             "committee_code": row.get("COMMITTEE_CODE"), "house": row.get("HOUSE"),
                             "amendment_author": row.get("AMENDMENT_AUTHOR"),
                             "amendment_date": row.get("AMENDMENT_DATE")}.items() if v}})
        for row in children.get("VETO_MESSAGE_TBL", []):
            try:
                date = as_date(row, "VETO_DATE")
            except BadValue as exc:
                out.append(error(row, exc.column, str(exc)))
                continue
            text = None
            if row.get("MESSAGE"):
                data = self.lob(row["MESSAGE"])
                if data is None:
                    out.append(error(row, "MESSAGE", f"lob file {row['MESSAGE']} is missing from the dump"))
                else:
                    text = decode(data).strip() or None
            docs.append({"note": "Governor's message", "kind": "governor's message", "date": date,
                         "url": bill_url(bill_id, "billStatusClient"), "text": text})
        docs.sort(key=lambda d: (d["date"] or dt.date.min, d["note"]))
        return docs


class _Text:
    """A version's text record and what its CAML says about the bill."""

    def __init__(self, code, record, title, subject, digest):
        self.code, self.record = code, record
        self.extras_title, self.extras_subject, self.extras_digest = title, subject, digest


def _updated_at(b: Row, children: dict[str, list[Row]]) -> str | None:
    """The latest change the Legislature stamped on any of the bill's rows (TRANS_UPDATE), as UTC
    ISO: two dumps holding the same bill keep the newer one (tracker.bills.provenance)."""
    from zoneinfo import ZoneInfo

    stamps = []
    for table, rows in (("BILL_TBL", [b]), *children.items()):
        column = STAMPS.get(table)
        for row in rows if column else ():
            try:
                when = as_datetime(row, column)
            except BadValue:
                continue
            if when is not None:
                stamps.append(when)
    if not stamps:
        return None
    return max(stamps).replace(tzinfo=ZoneInfo("America/Los_Angeles")).astimezone(dt.timezone.utc).isoformat()
