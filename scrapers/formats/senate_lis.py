"""Senate LIS roll-call XML -> `VoteEventIn`, and the per-session vote menu.

Vote: `https://www.senate.gov/legislative/LIS/roll_call_votes/vote{congress}{session}/vote_{congress}_{session}_{NNNNN}.xml`;
menu: `https://www.senate.gov/legislative/LIS/roll_call_lists/vote_menu_{congress}_{session}.xml`.
Quirks: members carry only the Senate's `lis_member_id` (S###), resolved through the
congress-legislators `id.lis`; dates like `November 17, 2004,  05:48 PM` (two spaces); `<count>`
says `<absent>` for Not Voting; "Present, Giving Live Pair" is counted as present by the Senate.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterator
from zoneinfo import ZoneInfo


from scrapers.formats.base import Item, SimpleFormat
from scrapers.formats.us_vote_rules import (classify_motion, classify_result, federal_bill_key,
                                             normalize_option)
from scrapers.formats.detect import xml_root
from scrapers.xmlsafe import parse_xml, record_root
from tracker.contract import RecordError, SourceRef, build

FORMAT_NAME = "senate-lis-xml"
EASTERN = ZoneInfo("America/New_York")
_COUNTS = {"yeas": "yes", "nays": "no", "present": "present", "absent": "not voting"}


def sniff(name: str, head: bytes) -> bool:
    return xml_root(head) == "roll_call_vote"


def _text(el, path: str) -> str | None:
    found = el.find(path)
    if found is None or found.text is None:
        return None
    return " ".join(found.text.split()) or None


def vote_key(congress: int | str, session: int | str, roll: int | str) -> str:
    """`us-senate-{congress}-{session}-{roll}` with the vote number unpadded."""
    return f"us-senate-{int(congress)}-{int(session)}-{int(roll)}"


def vote_path(congress: int, session: int, roll: int) -> str:
    return (f"legislative/LIS/roll_call_votes/vote{congress}{session}/"
            f"vote_{congress}_{session}_{roll:05d}.xml")


def menu_path(congress: int, session: int) -> str:
    return f"legislative/LIS/roll_call_lists/vote_menu_{congress}_{session}.xml"


def parse_menu(data: bytes) -> list[int]:
    """Vote numbers listed in a session's vote menu (`<votes><vote><vote_number>00213`)."""
    root = parse_xml(data)
    return sorted({int(v.text) for v in root.iter("vote_number") if (v.text or "").strip().isdigit()})


def _date(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    for fmt in ("%B %d, %Y, %I:%M %p", "%B %d, %Y"):
        try:
            return dt.datetime.strptime(" ".join(text.split()), fmt).replace(tzinfo=EASTERN)
        except ValueError:
            continue
    return None


def _bill_key(root, congress: str | None) -> str | None:
    doc = root.find("document")
    if doc is not None:
        dtype, number = _text(doc, "document_type"), _text(doc, "document_number")
        key = federal_bill_key(_text(doc, "document_congress") or congress,
                               f"{dtype or ''}{number or ''}")
        if key:
            return key
    amdt = root.find("amendment")
    if amdt is not None:  # votes on amendments name the bill they amend here in some years
        return federal_bill_key(congress, _text(amdt, "amendment_to_document_number"))
    return None


def parse(data: bytes, source: str, fetched_at: dt.datetime | None = None) -> Iterator[Item]:
    """One Senate roll call; a file that is not one becomes a `RecordError` naming the source."""
    root = record_root(data, source, "roll_call_vote")
    if isinstance(root, RecordError):
        yield root
        return
    congress, session, number = _text(root, "congress"), _text(root, "session"), _text(root, "vote_number")
    when = _date(_text(root, "vote_date"))
    if not (congress and session and number and congress.isdigit() and session.isdigit()
            and number.isdigit()):
        yield RecordError(source, None, "vote_number", "missing congress, session or vote number")
        return
    key = vote_key(congress, session, number)
    if when is None:
        yield RecordError(source, key, "vote_date", f"cannot read date {_text(root, 'vote_date')!r}")
        return
    votes = []
    for m in root.iterfind("members/member"):
        raw = _text(m, "vote_cast") or ""
        lis = _text(m, "lis_member_id")
        votes.append({"voter_name": _text(m, "member_full") or _text(m, "last_name") or "?",
                      "ids": {"lis": lis} if lis else {}, "option": normalize_option(raw),
                      "raw_option": raw})
    counts = {}
    for tag, opt in _COUNTS.items():
        value = _text(root, f"count/{tag}")
        if value is not None and value.isdigit():
            counts[opt] = int(value)
    question = _text(root, "vote_question_text") or _text(root, "question") or "Roll call"
    result_text = _text(root, "vote_result") or _text(root, "vote_result_text")
    extras = {"vote_result_text": _text(root, "vote_result_text"),
              "majority_requirement": _text(root, "majority_requirement"),
              "vote_title": _text(root, "vote_title"),
              "document_title": _text(root, "vote_document_text"),
              "amendment_number": _text(root, "amendment/amendment_number"),
              "amendment_purpose": _text(root, "amendment/amendment_purpose"),
              "tie_breaker": _text(root, "tie_breaker/by_whom"),
              "tie_breaker_vote": _text(root, "tie_breaker/tie_breaker_vote"),
              "congress_year": _text(root, "congress_year")}
    data_ = {
        "key": key, "jurisdiction": "us", "session": congress, "chamber": "upper",
        "organization": "Senate", "bill_key": _bill_key(root, congress),
        "date": when.date(), "start_time": when.astimezone(dt.timezone.utc) if when.hour or when.minute else None,
        "roll_number": str(int(number)), "motion_text": question,
        "motion_classification": classify_motion(_text(root, "question"), question),
        "vote_type": "roll-call", "result": classify_result(result_text), "counts": counts,
        "votes": votes, "extras": {k: v for k, v in extras.items() if v},
        "source": SourceRef(url=source, format=FORMAT_NAME, fetched_at=fetched_at).model_dump(),
    }
    data_["extras"]["session_number"] = int(session)
    try:
        yield build("vote_event", data_, source=source)
    except RecordError as err:
        yield err


FORMAT = SimpleFormat(FORMAT_NAME, sniff, lambda data, source: parse(data, source), priority=60)
