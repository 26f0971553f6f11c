"""One pubinfo dump -> contract records: sessions, committees, legislators, bills (with texts),
roll calls and hearings, in that order (people before the votes that name them).

Roll calls: a BILL_SUMMARY_VOTE_TBL row is one vote event, keyed as the Counsel's own duplicate
check keys it (bill, location, date and time, sequence, motion): a motion id alone is reused
across separate votes. Its BILL_DETAIL_VOTE_TBL rows are the members' votes; the summary's
counts are the official tally and a disagreement with the member rows is kept in extras.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Iterator
from zoneinfo import ZoneInfo

from scrapers.formats.ca_pubinfo import STAMPS, Dump
from scrapers.formats.ca_pubinfo_bills import FMT, BillBuilder, bill_url, key_of_bill_id, session_of
from scrapers.formats.ca_pubinfo_people import (DOWNLOADS, People, Places, committee_chamber, committee_key,
                                                committees, legislators)
from scrapers.formats.ca_pubinfo_rows import BadValue, Row, as_datetime, as_int, error
from tracker.actions import ca as codes
from tracker.contract import RecordError, build

CA_TZ = ZoneInfo("America/Los_Angeles")
_CHILD_TABLES = ("BILL_HISTORY_TBL", "BILL_VERSION_TBL", "BILL_ANALYSIS_TBL", "VETO_MESSAGE_TBL",
                 "BILL_SUMMARY_VOTE_TBL", "BILL_DETAIL_VOTE_TBL", "COMMITTEE_HEARING_TBL")


def _utc(local: dt.datetime) -> dt.datetime:
    """A Sacramento wall-clock time as UTC (the store keeps every time in UTC)."""
    return local.replace(tzinfo=CA_TZ).astimezone(dt.timezone.utc)


def _stamp(row: Row, table: str) -> dt.datetime | None:
    try:
        return as_datetime(row, STAMPS[table])
    except BadValue:
        return None


def _session_records(years: set[tuple[str, str]]) -> Iterator:
    for year, num in sorted(years):
        ident = session_of(year, num)
        regular = int(num or 0) == 0
        start, end = codes.session_dates(year) if regular else (None, None)
        first, second = year[:4], year[4:]
        n = int(num or 0)
        ordinal = f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
        name = f"{first}-{second} Regular Session" if regular else f"{first}-{second} {ordinal} Extraordinary Session"
        yield build("session", {"jurisdiction": "ca", "identifier": ident, "name": name,
                                "classification": "primary" if regular else "special",
                                "start_date": start, "end_date": end, "carry_over": regular,
                                "source": {"url": DOWNLOADS, "format": FMT}})


def dump_records(dump: Dump, *, since: dt.datetime | None = None, stats: dict | None = None) -> Iterator:
    """Every record of one dump (errors included); with `since`, only bills changed after it."""
    out: list = []
    bills = dump.tables.get("BILL_TBL", [])
    years = {(b.get("SESSION_YEAR") or "", b.get("SESSION_NUM") or "0") for b in bills
             if re.fullmatch(r"\d{8}", b.get("SESSION_YEAR") or "")}
    yield from _session_records(years)
    committee_items, places = committees(dump.tables.get("LOCATION_CODE_TBL", []))
    yield from committee_items
    people_items, people = legislators(dump.tables.get("LEGISLATOR_TBL", []))
    yield from people_items

    children = {t: dump.by_bill(t) for t in _CHILD_TABLES}
    # authors are listed by version id: the bill is the version whose bill it is, or the bill
    # whose latest version it is (when the dump has no BILL_VERSION_TBL rows)
    version_bill = {v["BILL_VERSION_ID"]: bill_id for bill_id, rows in children["BILL_VERSION_TBL"].items()
                    for v in rows}
    version_bill.update({b["LATEST_BILL_VERSION_ID"]: b["BILL_ID"] for b in bills if b.get("LATEST_BILL_VERSION_ID")})
    authors: dict[str, list[Row]] = defaultdict(list)
    for row in dump.tables.get("BILL_VERSION_AUTHORS_TBL", []):
        owner = version_bill.get(row.get("BILL_VERSION_ID") or "")
        if owner:
            authors[owner].append(row)
    motions = {r.get("MOTION_ID") or "": (r.get("MOTION_TEXT") or "").strip()
               for r in dump.tables.get("BILL_MOTION_TBL", [])}
    newest = None
    builder = BillBuilder(places, people, dump.present, dump.lob)
    known = set()
    for b in bills:
        bill_id = b.get("BILL_ID") or ""
        known.add(bill_id)
        rows = {t: children[t].get(bill_id, []) for t in _CHILD_TABLES}
        rows["BILL_VERSION_AUTHORS_TBL"] = authors.get(bill_id, [])
        stamps = [s for s in [_stamp(b, "BILL_TBL")] + [_stamp(r, t) for t, rs in rows.items() for r in rs] if s]
        changed = max(stamps) if stamps else None
        if changed and (newest is None or changed > newest):
            newest = changed
        if since is not None and changed is not None and changed <= since:
            continue
        yield from builder.bill(b, rows, out)
        yield from _votes(b, rows, places, people, motions, out)
        yield from out
        out.clear()
    yield from _orphans(dump, known)
    yield from _hearings(dump, places, since)
    if stats is not None and newest is not None:
        stats["newest_change"] = max(newest, stats.get("newest_change") or newest)


def _orphans(dump: Dump, known: set[str]) -> Iterator[RecordError]:
    """Rows of a bill the dump's BILL_TBL does not have (a daily zip of changes only): one error per table."""
    if "BILL_TBL" not in dump.present:
        return
    for table in ("BILL_HISTORY_TBL", "BILL_SUMMARY_VOTE_TBL"):
        for row in dump.tables.get(table, []):
            if row.get("BILL_ID") not in known:
                yield error(row, "BILL_ID", f"bill {row.get('BILL_ID')} is not in this dump's BILL_TBL: row skipped")


def _vote_place(code: str, places: Places, year: str) -> tuple[str | None, str, str] | None:
    """(chamber, kind, organization) of a vote location, None when the code is unknown."""
    if code in codes.VOTE_LOCATIONS:
        chamber, kind = codes.VOTE_LOCATIONS[code]
        return chamber, kind, places.name(code, year) or code
    chamber = committee_chamber(code)
    if chamber:
        return chamber, "committee", places.name(code, year) or code
    return None


def _votes(b: Row, rows: dict[str, list[Row]], places: Places, people: People, motions: dict,
           out: list) -> Iterator:
    bill_id = b["BILL_ID"]
    key = key_of_bill_id(bill_id)
    year = b.get("SESSION_YEAR") or bill_id[:8]
    session = session_of(year, b.get("SESSION_NUM"))
    details: dict[tuple, list[Row]] = defaultdict(list)
    for d in rows["BILL_DETAIL_VOTE_TBL"]:
        details[(d.get("LOCATION_CODE"), d.get("VOTE_DATE_TIME"), d.get("VOTE_DATE_SEQ"), d.get("MOTION_ID"))].append(d)
    for s in rows["BILL_SUMMARY_VOTE_TBL"]:
        group = (s.get("LOCATION_CODE"), s.get("VOTE_DATE_TIME"), s.get("VOTE_DATE_SEQ"), s.get("MOTION_ID"))
        members = details.pop(group, [])
        item = _vote(s, members, key, session, year, places, people, motions, out)
        if item is not None:
            yield item
    for group, members in details.items():
        out.append(error(members[0], "MOTION_ID", f"{len(members)} member votes without a summary row "
                         f"(location {group[0]}, {group[1]}, motion {group[3]}): not stored"))


def _vote(s: Row, members: list[Row], key: str, session: str, year: str, places: Places, people: People,
          motions: dict, out: list):
    code = s.get("LOCATION_CODE") or ""
    place = _vote_place(code, places, year)
    if place is None:
        out.append(error(s, "LOCATION_CODE", f"unknown vote location {code!r} (a committee code CX../CS.., "
                         f"or one of {sorted(codes.VOTE_LOCATIONS)})"))
        return None
    result = codes.VOTE_RESULTS.get((s.get("VOTE_RESULT") or "").strip())
    if result is None:
        out.append(error(s, "VOTE_RESULT", f"unknown vote result {s.get('VOTE_RESULT')!r} (expected (PASS) or (FAIL))"))
        return None
    try:
        when = as_datetime(s, "VOTE_DATE_TIME")
        counts = {"yes": as_int(s, "AYES") or 0, "no": as_int(s, "NOES") or 0,
                  "not voting": as_int(s, "ABSTAIN") or 0}
    except BadValue as exc:
        out.append(error(s, exc.column, str(exc)))
        return None
    chamber, kind, organization = place
    votes = []
    for m in sorted(members, key=lambda r: int(r.get("MEMBER_ORDER") or 0) if (r.get("MEMBER_ORDER") or "").isdigit() else 0):
        option = codes.VOTE_CODES.get(m.get("VOTE_CODE") or "")
        if option is None:
            out.append(error(m, "VOTE_CODE", f"unknown vote code {m.get('VOTE_CODE')!r} (expected one of "
                             f"{sorted(codes.VOTE_CODES)})", m.get("LEGISLATOR_NAME")))
            continue
        name = (m.get("LEGISLATOR_NAME") or "").strip()
        if not name:
            out.append(error(m, "LEGISLATOR_NAME", "a member vote without a name"))
            continue
        votes.append({"voter_name": name, "ids": people.ids(name, chamber, year), "option": option,
                      "raw_option": m.get("VOTE_CODE"), "note": "presiding" if m.get("SPEAKER") == "Y" else None})
    tally = {"yes": 0, "no": 0, "not voting": 0}
    for v in votes:
        tally[v["option"]] += 1
    motion = motions.get(s.get("MOTION_ID") or "")
    stamp = when.strftime("%Y%m%d") + (when.strftime("t%H%M%S") if when.time() != dt.time(0) else "")
    extras = {k: v for k, v in {
        "motion_id": s.get("MOTION_ID"), "vote_date_seq": s.get("VOTE_DATE_SEQ"), "location_code": code,
        "file_item": s.get("FILE_ITEM_NUM"), "file_location": s.get("FILE_LOCATION"),
        "motion_text_missing": None if motion else True,
        "member_counts": tally if members and tally != counts else None}.items() if v is not None}
    classes = ["committee-passage"] if kind == "committee" else ["passage"]
    if motion and re.search(r"concur", motion, re.I):
        classes = ["concurrence"]
    try:
        return build("vote_event", {
            "key": f"{key}-vote-{code.lower()}-{stamp}-{s.get('VOTE_DATE_SEQ')}-{s.get('MOTION_ID')}",
            "jurisdiction": "ca", "session": session, "bill_key": key, "chamber": chamber,
            "organization": organization, "date": when.date(),
            "start_time": _utc(when) if when.time() != dt.time(0) else None,
            "motion_text": motion or f"{organization}: motion {s.get('MOTION_ID')}",
            "motion_classification": classes, "vote_type": kind, "result": result, "counts": counts,
            "votes": votes, "extras": extras,
            "source": {"url": bill_url(s["BILL_ID"], "billVotesClient"), "format": FMT}}, source=s.where())
    except RecordError as err:
        out.append(err)
        return None


def _hearings(dump: Dump, places: Places, since: dt.datetime | None) -> Iterator:
    """COMMITTEE_HEARING_TBL: one hearing per committee and date, with the bills set for it."""
    groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in dump.tables.get("COMMITTEE_HEARING_TBL", []):
        groups[(row.get("LOCATION_CODE") or "", row.get("HEARING_DATE") or "")].append(row)
    for (code, _), rows in sorted(groups.items()):
        first = rows[0]
        try:
            when = as_datetime(first, "HEARING_DATE")
        except BadValue as exc:
            yield error(first, exc.column, str(exc))
            continue
        if when is None or not code:
            yield error(first, "HEARING_DATE" if when is None else "LOCATION_CODE", "a hearing needs a date and a committee")
            continue
        if since is not None and all((_stamp(r, "COMMITTEE_HEARING_TBL") or since) <= since for r in rows):
            continue
        keys = [k for k in (key_of_bill_id(r.get("BILL_ID") or "") for r in rows) if k]
        for r in rows:
            if key_of_bill_id(r.get("BILL_ID") or "") is None:
                yield error(r, "BILL_ID", f"not a bill id: {r.get('BILL_ID')!r}")
        year = (first.get("BILL_ID") or "")[:8]
        name = places.name(code, year)
        start = _utc(when)
        try:
            yield build("hearing", {
                "key": f"ca-{year}-hearing-{code.lower()}-{when.date().isoformat()}", "jurisdiction": "ca",
                "committee_key": committee_key(code, year) if committee_chamber(code) else None,
                "committee_name": name or code, "start": start,
                "description": f"{name or code} hearing" + ("" if when.time() != dt.time(0) else " (time not given)"),
                "bills": [{"bill_key": k} for k in dict.fromkeys(keys)],
                "source": {"url": f"{DOWNLOADS}#COMMITTEE_HEARING_TBL", "format": FMT}}, source=first.where())
        except RecordError as err:
            yield err
