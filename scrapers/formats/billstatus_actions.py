"""BILLSTATUS actions: read, de-duplicate across source systems, classify, attach recorded votes.

The same event is often reported by several systems (`sourceSystem/code`: 0 Senate, 1 House
committee, 2 House floor, 9 Library of Congress). The Library of Congress copy repeats the
chamber's text, sometimes behind a category prefix ("Passed/agreed to in House: ...") and without
the Record citation; "Became Public Law" comes under both E40000 and 36000; a House referral to
several committees is listed once per committee. Such copies are merged into one action that
keeps every code and system in `extras`. Distinct events with the same words (two "Motion to
reconsider laid on the table" at different times) stay apart: a merge needs the same day, the
same words and no conflicting time of day.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from operator import attrgetter
from typing import Any
from zoneinfo import ZoneInfo

from scrapers.formats.billstatus_extract import clean
from tracker.actions.us import classify_shared, copy_vote
from tracker.vocab import CHAMBER_WORDS

_EASTERN = ZoneInfo("America/New_York")
_PRIMARY_SYSTEMS = {"0": 0, "1": 0, "2": 0, None: 1, "9": 2}
_CITATION = re.compile(r"\((?:[^()]*:[^()]*|CR [^()]*)\)")
# everything but letters and digits goes from the comparison key ("objection.(text" = "objection. (text")
_NOT_WORD = {c: None for c in range(128) if not chr(c).isalnum()}
_LOC_PREFIX = re.compile(r"^([A-Za-z][A-Za-z/ ,\-]{2,60}):\s+(.+)$", re.S)
_TIME_12H = re.compile(r"^(\d{1,2}):(\d{2})\s*([AP]M)$", re.I)
# the same, for ASCII text as bytes (bytes.translate deletes in C, several times faster)
_NOT_WORD_BYTES = bytes(c for c in range(128) if not chr(c).isalnum())


def _time(raw: str | None) -> str | None:
    """`07:00PM` (legacy files) or `19:00:00` -> `19:00:00`."""
    if not raw:
        return None
    m = _TIME_12H.match(raw)
    if m:
        hour = int(m.group(1)) % 12 + (12 if m.group(3).upper() == "PM" else 0)
        return f"{hour:02d}:{m.group(2)}:00"
    return raw


def _key(text: str) -> str:
    lower = text.lower()
    if "(" in lower:
        lower = _CITATION.sub("", lower)
    if lower.isascii():
        return lower.encode("ascii").translate(None, _NOT_WORD_BYTES).decode("ascii")
    return lower.translate(_NOT_WORD)


def recorded_vote(roll: str, chamber: str, session: str, date: str, url: str) -> dict[str, Any] | None:
    """A BILLSTATUS `<recordedVote>` (its fields' raw text) as the dict part B links roll calls through."""
    roll, session = roll.strip(), session.strip()
    chamber = CHAMBER_WORDS.get(chamber.strip().lower())
    if not roll.isdigit() or not chamber:
        return None
    return {"chamber": chamber, "roll_number": str(int(roll)),
            "session_number": int(session) if session.isdigit() else None,
            "date": clean(date), "url": clean(url)}


@dataclass(slots=True)
class RawAction:
    index: int
    date: str  # the day, YYYY-MM-DD (as text: ISO days sort as dates, and a bad one fails validation)
    time: str | None
    text: str
    code: str | None
    system: str | None
    type: str | None
    committees: list[str]
    votes: list[dict[str, Any]]

    @property
    def rank(self) -> tuple[int, int]:
        # the chamber's own report first; among Library of Congress copies, lettered codes
        # (Intro-H, E40000) before bare numbers (1000, 36000)
        return (_PRIMARY_SYSTEMS.get(self.system, 1), 1 if (self.code or "").isdigit() else 0)


def read_actions(items: list) -> tuple[list[RawAction], int]:
    """The bill's own actions (not its amendments'), oldest first; and how many empty items were skipped.

    `items` are the extracted actions: (fields, committee names, recorded votes) each, the fields
    being date, time, text, code, source system and type (see `billstatus_extract`).
    """
    out: list[RawAction] = []
    skipped = 0
    for i, (f, names, rolls) in enumerate(items):
        text, date = f[3].strip(), f[1].strip()
        if not text or not date:
            skipped += 1  # "empty action elements" (GPO changelog, August 2016) still occur
            continue
        time, raw_type = f[2].strip(), f[6].strip()
        if raw_type.startswith("Placeholder Text"):
            raw_type = ""  # legacy files: "Placeholder Text for E40000" says nothing
        out.append(RawAction(i, date[:10], _time(time) if time else None, text, f[4].strip() or None,
                             f[5].strip() or None, raw_type or None,
                             [n for n in map(str.strip, names) if n] if names else [],
                             [v for v in (recorded_vote(*r[1:]) for r in rolls) if v] if rolls else []))
    # Files list actions newest first; keep the day's order, reversed, and sort by day.
    if len(out) > 1 and out[0].date >= out[-1].date:
        out.reverse()
    out.sort(key=attrgetter("date"))
    return out, skipped


def merge_duplicates(actions: list[RawAction]) -> list[list[RawAction]]:
    """Group copies of the same event; each group lists its members, best report first."""
    groups: list[list[RawAction]] = []
    times: list[str | None] = []  # a group's time of day: its first member's that has one
    by_key: dict[tuple[str, str], list[int]] = {}
    for action in actions:
        keys = (_key(action.text),)
        if action.system == "9":
            m = _LOC_PREFIX.match(action.text)
            if m:
                keys = (keys[0], _key(m.group(2)))
        target = -1
        for k in keys:
            for g in by_key.get((action.date, k), ()):
                if times[g] is None or action.time is None or times[g] == action.time:
                    target = g
                    break
            if target >= 0:
                break
        if target < 0:
            target = len(groups)
            groups.append([action])
            times.append(action.time)
        else:
            groups[target].append(action)
            times[target] = times[target] or action.time
        for k in keys:
            bucket = by_key.setdefault((action.date, k), [])
            if target not in bucket:
                bucket.append(target)
    return [g if len(g) == 1 else sorted(g, key=attrgetter("rank")) for g in groups]


def build_actions(groups: list[list[RawAction]], origin: str | None) -> list[dict[str, Any]]:
    """Contract action dicts (chronological) from merged groups, classified by the federal rules."""
    out = []
    for members in groups:
        best = members[0]
        # the memoized result, shared: read only (its classifications are copied before growing,
        # and its vote dict is copied, because callers may change the action's extras)
        result = classify_shared(best.text, best.code, best.system, origin)
        classes = result.classifications
        extras: dict[str, Any] = {}
        if len(members) == 1:  # most actions: no copies to merge
            committees = best.committees if len(best.committees) < 2 else list(dict.fromkeys(best.committees))
            if best.code:
                extras["codes"] = [best.code]
            if best.system:
                extras["source_systems"] = [best.system]
            time = best.time
            votes = _unique_votes(best.votes) if best.votes else None
            code = best.code
        else:
            classes = list(classes)
            seen = {(best.text, best.code)}
            for other in members[1:]:
                if (other.text, other.code) in seen:
                    continue
                seen.add((other.text, other.code))
                classes.extend(c for c in classify_shared(other.text, other.code, other.system).classifications
                               if c not in classes)
            committees = list(dict.fromkeys(c for m in members for c in m.committees))
            codes = list(dict.fromkeys(m.code for m in members if m.code))
            systems = list(dict.fromkeys(m.system for m in members if m.system))
            if codes:
                extras["codes"] = codes
            if systems:
                extras["source_systems"] = systems
            time = next((m.time for m in members if m.time), None)
            votes = _unique_votes(v for m in members for v in m.votes)
            code = best.code or (codes[0] if codes else None)
        if time:
            extras["time"] = time
        if best.type:
            extras["type"] = best.type
        if len(committees) > 1:
            extras["committees"] = list(committees)
        if result.vote:
            extras["vote"] = copy_vote(result.vote)
        if votes:
            extras["recorded_votes"] = votes
        out.append({"date": best.date, "description": best.text, "actor": result.actor,
                    "committee": committees[0] if committees else None, "classification": classes,
                    "code": code, "extras": extras})
    return out


def _unique_votes(votes) -> list[dict[str, Any]]:
    seen, out = set(), []
    for v in votes:
        k = (v["chamber"], v["roll_number"], v["session_number"])
        if k not in seen:
            seen.add(k)
            out.append(v)
    return out


def link_bill_votes(actions: list[dict[str, Any]], votes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Attach bill-level `<recordedVotes>` (legacy and 1.0.0 files) to their actions; return the unlinked.

    The action is the one in the vote's chamber whose text cites the roll ("Roll no. 673",
    "Record Vote Number: 331") and gives the tally; failing that, the chamber's action on the
    vote's Eastern-time day that reports a roll call. Vote timestamps are UTC, so an evening vote
    falls on the next UTC day.
    """
    by_roll: dict[tuple[str, str], list[dict[str, Any]]] = {}
    roll_calls_by_day: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for a in actions:  # indexed once: a bill can list a hundred votes and a thousand actions
        details = a["extras"].get("vote")
        if details:
            by_roll.setdefault((a["actor"], details.get("roll_number")), []).append(a)
            if details.get("vote_type") == "roll":
                roll_calls_by_day.setdefault((a["actor"], a["date"]), []).append(a)
    unlinked = []
    for vote in votes:
        cited = (by_roll.get((vote["chamber"], vote["roll_number"]))
                 or roll_calls_by_day.get((vote["chamber"], _eastern_day(vote["date"]))))
        if not cited:
            unlinked.append(vote)
            continue
        target = next((a for a in cited if "counts" in a["extras"].get("vote", {})), cited[0])
        existing = target["extras"].setdefault("recorded_votes", [])
        target["extras"]["recorded_votes"] = _unique_votes([*existing, vote])
    return unlinked


def _eastern_day(stamp: str | None) -> str | None:
    if not stamp:
        return None
    try:
        when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp[:10]
    if when.tzinfo is None:
        return when.date().isoformat()
    return when.astimezone(_EASTERN).date().isoformat()
