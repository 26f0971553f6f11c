"""House Clerk roll-call XML (`https://clerk.house.gov/evs/{year}/rollNNN.xml`) -> `VoteEventIn`.

Quirks (seen in the real files, see ../shared/docs/sources.md): an external DTD reference that
must never be resolved; `action-date` like `3-Jan-2025`; `legis-num` "H R 21" or "QUORUM 1"; the
Speaker election lists candidate names instead of Yea/Nay, with `<totals-by-candidate>`;
Committee of the Whole votes name the body in `<committee>` instead of `<chamber>`; delegates and
the Resident Commissioner carry `state="XX"`.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterator
from zoneinfo import ZoneInfo


from scrapers.formats.base import Item, SimpleFormat
from scrapers.formats.us_vote_rules import (classify_motion, classify_result, federal_bill_key,
                                             normalize_option)
from scrapers.formats.detect import xml_root
from scrapers.xmlsafe import record_root
from tracker.contract import RecordError, SourceRef, build

FORMAT_NAME = "house-clerk-xml"
EASTERN = ZoneInfo("America/New_York")
# `<vote-totals>` columns -> normalized options.
_TOTALS = {"yea-total": "yes", "nay-total": "no", "present-total": "present",
           "not-voting-total": "not voting"}


def sniff(name: str, head: bytes) -> bool:
    return xml_root(head) == "rollcall-vote"


def _text(el, path: str) -> str | None:
    found = el.find(path)
    if found is None or found.text is None:
        return None
    return " ".join(found.text.split()) or None


def _start_time(date: dt.date, meta) -> dt.datetime | None:
    t = meta.find("action-time")
    etz = t.get("time-etz") if t is not None else None
    if not etz or not re.fullmatch(r"\d{1,2}:\d{2}", etz):
        return None
    hour, minute = map(int, etz.split(":"))
    # Stored in UTC: SQLite keeps no offset, and the ingest compares instants in UTC.
    return dt.datetime(date.year, date.month, date.day, hour, minute, tzinfo=EASTERN).astimezone(dt.timezone.utc)


def vote_key(year: int, roll: int | str) -> str:
    """`us-house-{year}-{roll}` with the roll number unpadded."""
    return f"us-house-{year}-{int(roll)}"


def parse(data: bytes, source: str, fetched_at: dt.datetime | None = None) -> Iterator[Item]:
    """One House roll call; a file that is not one becomes a `RecordError` naming the source."""
    root = record_root(data, source, "rollcall-vote")
    if isinstance(root, RecordError):
        yield root
        return
    meta = root.find("vote-metadata")
    if meta is None:
        yield RecordError(source, None, "vote-metadata", "missing")
        return
    roll, raw_date = _text(meta, "rollcall-num"), _text(meta, "action-date")
    try:
        date = dt.datetime.strptime(raw_date or "", "%d-%b-%Y").date()
        roll_n = int(roll or "")
    except ValueError:
        yield RecordError(source, f"roll {roll}", "action-date" if roll else "rollcall-num",
                          f"cannot read roll number {roll!r} / date {raw_date!r}")
        return
    key = vote_key(date.year, roll_n)
    congress = _text(meta, "congress")
    question = _text(meta, "vote-question") or ""
    vote_type = _text(meta, "vote-type")
    result_text = _text(meta, "vote-result")
    candidates = [_text(c, "candidate") for c in meta.iterfind("vote-totals/totals-by-candidate")]
    is_election = bool(candidates)

    votes, note_delegate = [], "delegate or Resident Commissioner (state XX in the Clerk file)"
    for rv in root.iterfind("vote-data/recorded-vote"):
        leg, raw = rv.find("legislator"), _text(rv, "vote") or ""
        if leg is None:
            continue
        ids = {"bioguide": leg.get("name-id")} if leg.get("name-id") else {}
        option = normalize_option(raw)
        votes.append({"voter_name": " ".join((leg.text or leg.get("unaccented-name") or "?").split()),
                      "ids": ids, "option": option,
                      "raw_option": raw,
                      "note": note_delegate if leg.get("state") == "XX" else None})

    counts: dict[str, int] = {}
    if is_election:
        # Counts by candidate (and present / not voting), never yes/no.
        for tc in meta.iterfind("vote-totals/totals-by-candidate"):
            name, total = _text(tc, "candidate"), _text(tc, "candidate-total")
            if name and total is not None:
                opt = normalize_option(name)
                counts[name if opt == "other" else opt] = int(total)
    else:
        totals = meta.find("vote-totals/totals-by-vote")
        if totals is not None:
            for tag, opt in _TOTALS.items():
                value = _text(totals, tag)
                if value is not None:
                    counts[opt] = int(value)

    committee = _text(meta, "committee")
    motion = classify_motion(question, vote_type) if not is_election else ["election"]
    extras = {"vote_result_text": result_text, "majority": _text(meta, "majority"),
              "session": _text(meta, "session"), "legis_num": _text(meta, "legis-num")}
    if is_election:
        extras["candidates"] = [c for c in candidates if c and normalize_option(c) == "other"]
        extras["elected"] = result_text
    for tag in ("amendment-num", "amendment-author", "vote-desc"):
        if _text(meta, tag):
            extras[tag.replace("-", "_")] = _text(meta, tag)
    if committee:
        # Committee of the Whole House on the state of the Union: the body is named in <committee>.
        extras["committee_of_the_whole"] = True
    data_ = {
        "key": key, "jurisdiction": "us", "session": congress, "chamber": "lower",
        "organization": "Committee of the Whole" if committee else "House of Representatives",
        "bill_key": federal_bill_key(congress, _text(meta, "legis-num")),
        "date": date, "start_time": _start_time(date, meta), "roll_number": str(roll_n),
        "motion_text": question or (vote_type or "Roll call"), "motion_classification": motion,
        "vote_type": vote_type, "result": classify_result(result_text) if not is_election else "other",
        "counts": counts, "votes": votes, "extras": {k: v for k, v in extras.items() if v},
        "source": SourceRef(url=source, format=FORMAT_NAME, fetched_at=fetched_at).model_dump(),
    }
    try:
        yield build("vote_event", data_, source=source)
    except RecordError as err:
        yield err


FORMAT = SimpleFormat(FORMAT_NAME, sniff, lambda data, source: parse(data, source), priority=60)
