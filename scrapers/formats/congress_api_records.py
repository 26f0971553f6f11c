"""Congress.gov API v3 objects -> contract records: bills and House roll calls (members: `congress_api_members`).

Pure functions of already-decoded JSON (the envelope and file handling are in
`scrapers.formats.congress_api`). Quirks, seen in the real responses
(../shared/fixtures/congress-gov-api-json, https://api.congress.gov/v3/...):
  - a bill is spread over its detail and sub-resources (`/actions`, `/cosponsors`, ...), each
    paginated; the detail only counts what the sub-resources list;
  - actions come newest first, repeat one event per reporting system like BILLSTATUS does
    (the same de-duplication and rule table are used, so both sources give the same actions),
    and `sourceSystem` sometimes has a `name` but no `code`;
  - House vote members say `bioguideID` (capital ID) where every other endpoint says `bioguideId`;
  - member lists wrap terms as `{"item": [...]}`, member detail gives a plain list; party names
    are "Democratic" in members and "Democrat" in votes: normalized to the congress-legislators
    spelling ("Democrat") so both sources agree;
  - House vote times carry their Eastern offset (`2025-01-16T11:00:00-05:00`).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from scrapers.formats.billstatus import _SLUG, _ordinal  # the same congress.gov page URLs
from scrapers.formats.billstatus_actions import RawAction, build_actions, merge_duplicates
from scrapers.formats.htmltext import html_to_text
from scrapers.formats.house_clerk import vote_key
from scrapers.formats.us_vote_rules import (classify_motion, classify_result, federal_bill_key,
                                             normalize_option)
from tracker.jurisdictions.congress import BILL_TYPES, bill_type_code, display_identifier
from tracker.contract import BillIn, RecordError, VoteEventIn, build
from tracker.bills.keys import bill_key
from tracker.vocab import CHAMBER_WORDS

FORMAT_NAME = "congress-gov-api"
_RESERVED = re.compile(r"^\s*Reserved\b", re.I)
# `sourceSystem/name` when the code is missing -> the BILLSTATUS code the action rules know.
_SYSTEM_CODES = {"senate": "0", "house committee actions": "1", "house floor actions": "2",
                 "library of congress": "9"}
_LAW_TYPES = {"public law": "public", "private law": "private"}
_MEDIA = {"xml": "application/xml", "pdf": "application/pdf", "htm": "text/html",
          "html": "text/html", "txt": "text/plain"}
# Party names as Congress.gov spells them -> the congress-legislators spelling.
PARTIES = {"democratic": "Democrat", "democrat": "Democrat", "d": "Democrat",
           "republican": "Republican", "r": "Republican", "independent": "Independent",
           "i": "Independent", "id": "Independent Democrat", "libertarian": "Libertarian",
           "l": "Libertarian"}
# A bill's sub-resources, as named in the API path (and keys of `parts` below).
SUB_RESOURCES = ("actions", "cosponsors", "committees", "subjects", "summaries", "text", "titles",
                 "relatedbills")


def _s(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _day(value: Any) -> str | None:
    text = _s(value)
    return text[:10] if text else None


def _src(url: str, fetched_at: dt.datetime | None) -> dict[str, Any]:
    return {"url": url, "format": FORMAT_NAME, "fetched_at": fetched_at.isoformat() if fetched_at else None}


def normalize_party(raw: str | None) -> str | None:
    """`Democratic` / `Democrat` / `D` -> `Democrat`; unknown names are kept as given."""
    text = _s(raw)
    return PARTIES.get(text.lower(), text) if text else None


# --- bills ---------------------------------------------------------------------------------------

def bill_identity(obj: dict) -> tuple[str, str, str] | None:
    """(congress, type code, number) of a bill object or a request echo, else None."""
    congress = _s(obj.get("congress"))
    code = bill_type_code(_s(obj.get("type") or obj.get("billType")) or "")
    number = _s(obj.get("number") or obj.get("billNumber"))
    if not congress or not congress.isdigit() or code is None or not number or not number.isdigit():
        return None
    return congress, code, str(int(number))


def _recorded_votes(items) -> list[dict[str, Any]]:
    out = []
    for v in items or []:
        chamber = CHAMBER_WORDS.get((_s(v.get("chamber")) or "").lower())
        roll = _s(v.get("rollNumber"))
        if not chamber or not roll or not roll.isdigit():
            continue
        session = _s(v.get("sessionNumber"))
        out.append({"chamber": chamber, "roll_number": str(int(roll)),
                    "session_number": int(session) if session and session.isdigit() else None,
                    "date": _s(v.get("date")), "url": _s(v.get("url"))})
    return out


def _raw_actions(items: list[dict]) -> tuple[list[RawAction], int]:
    out, skipped = [], 0
    for i, a in enumerate(items):
        text, date = _s(a.get("text")), _day(a.get("actionDate"))
        if not text or not date:
            skipped += 1
            continue
        system = a.get("sourceSystem") or {}
        code = _s(system.get("code"))
        if code is None:
            code = _SYSTEM_CODES.get((_s(system.get("name")) or "").lower())
        committees = [n for n in (_s(c.get("name")) for c in a.get("committees") or []) if n]
        out.append(RawAction(i, date, _s(a.get("actionTime")), text,
                             _s(a.get("actionCode")), code, _s(a.get("type")), committees,
                             _recorded_votes(a.get("recordedVotes"))))
    # Newest first in the API: reverse, then a stable sort by day keeps each day's order.
    if len(out) > 1 and out[0].date >= out[-1].date:
        out.reverse()
    out.sort(key=lambda a: a.date)
    return out, skipped


def _person(p: dict, *, primary: bool) -> dict[str, Any] | None:
    name = _s(p.get("fullName")) or " ".join(x for x in (_s(p.get("firstName")), _s(p.get("lastName"))) if x)
    if not name:
        return None
    bioguide = _s(p.get("bioguideId"))
    out: dict[str, Any] = {"name": name, "ids": {"bioguide": bioguide} if bioguide else {},
                           "primary": primary, "classification": "primary" if primary else "cosponsor"}
    if not primary:
        original = p.get("isOriginalCosponsor")
        out["original"] = None if original is None else str(original).lower() in ("true", "y")
        out["date"] = _day(p.get("sponsorshipDate"))
        out["withdrawn_date"] = _day(p.get("sponsorshipWithdrawnDate"))
    return out


def _titles(items) -> list[dict[str, Any]]:
    seen, out = set(), []
    for t in items or []:
        text, kind = _s(t.get("title")), _s(t.get("titleType"))
        if text and (text, kind) not in seen:
            seen.add((text, kind))
            out.append({"title": text, "type": kind})
    return out


def _summary(items) -> tuple[str | None, dict[str, str] | None]:
    """The latest CRS summary as plain text (as BILLSTATUS does), and which version it is."""
    best = max(items or [], default=None, key=lambda s: (_s(s.get("actionDate")) or "",
                                                         _s(s.get("updateDate")) or "",
                                                         _s(s.get("versionCode")) or ""))
    if best is None:
        return None, None
    meta = {k: v for k, v in (("version_code", _s(best.get("versionCode"))),
                              ("action_date", _s(best.get("actionDate"))),
                              ("action_desc", _s(best.get("actionDesc")))) if v}
    return html_to_text(best.get("text")), meta or None


def _versions(items) -> list[dict[str, Any]]:
    out = []
    for v in items or []:
        note = _s(v.get("type"))
        if not note:
            continue
        for f in v.get("formats") or []:
            url = _s(f.get("url"))
            if url:
                out.append({"note": note, "date": _day(v.get("date")), "url": url,
                            "media_type": _MEDIA.get(url.rsplit(".", 1)[-1].lower())})
    return out


def _related(items, congress: str, identifier: str) -> list[dict[str, str]]:
    out, seen = [], set()
    for r in items or []:
        ident = bill_identity({**r, "congress": r.get("congress") or congress})
        if ident is None:
            continue
        other = display_identifier(ident[1], ident[2])
        if (ident[0], other) in seen or (ident[0] == congress and other == identifier):
            continue
        seen.add((ident[0], other))
        details = r.get("relationshipDetails") or [{}]
        relation = (_s(details[0].get("type")) or "related").lower()
        out.append({"identifier": other, "session": ident[0], "jurisdiction": "us",
                    "relation_type": relation.removesuffix(" bill") or "related"})
    return out


def bill_record(detail: dict, parts: dict[str, list], source: str, *,
                totals: dict[str, int] | None = None,
                fetched_at: dt.datetime | None = None) -> BillIn | RecordError:
    """One bill from its detail (`bill` object) and the items of its sub-resources.

    `parts` maps a sub-resource (`actions`, `cosponsors`, `committees`, `subjects` (subject
    names), `summaries`, `text`, `titles`, `relatedbills`) to its items, every page joined;
    `totals` gives each sub-resource's `pagination.count`, so a partial list is flagged in
    `extras["incomplete"]`.
    """
    ident = bill_identity(detail)
    if ident is None:
        return RecordError(source, None, "bill", "no congress, type and number in the bill object")
    congress, code, number = ident
    identifier = display_identifier(code, number)
    record = bill_key("us", congress, identifier)
    title = _s(detail.get("title"))
    if not title:
        return RecordError(source, record, "title", "no title")
    if _RESERVED.match(title):
        return RecordError(source, record, "title", f"a reserved bill number ({title!r}), not a bill")
    sponsors = [s for s in (_person(p, primary=True) for p in detail.get("sponsors") or []) if s]
    if not sponsors:
        return RecordError(source, record, "sponsorships", "no sponsor")
    origin = CHAMBER_WORDS.get((_s(detail.get("originChamber")) or "").lower()) or BILL_TYPES[code].chamber
    raw, skipped = _raw_actions(parts.get("actions") or [])
    actions = build_actions(merge_duplicates(raw), origin)
    committees = parts.get("committees") or []
    summary, summary_meta = _summary(parts.get("summaries"))

    extras: dict[str, Any] = {}
    if _s(detail.get("updateDate")):
        extras["update_date"] = _s(detail.get("updateDate"))
    codes = [c for c in (_s(c.get("systemCode")) for c in committees) if c]
    if codes:
        extras["committee_codes"] = codes
    if skipped:
        extras["empty_actions_skipped"] = skipped
    if summary_meta:
        extras["summary_version"] = summary_meta
    counts = {k: int(v["count"]) for k, v in detail.items()
              if isinstance(v, dict) and isinstance(v.get("count"), int)}
    have = {k: len(parts.get(k) or []) for k in SUB_RESOURCES}
    have["textVersions"] = have.pop("text")
    have["relatedBills"] = have.pop("relatedbills")
    expected = {**counts, **{("textVersions" if k == "text" else "relatedBills" if k == "relatedbills" else k): n
                             for k, n in (totals or {}).items()}}
    # The detail counts the policy area among the subjects (14 = 13 subjects + 1 policy area).
    incomplete = {k: f"{have[k]} of {n}" for k, n in expected.items()
                  if k in have and k != "subjects" and have[k] < n}
    if counts:
        extras["api_counts"] = counts
    if incomplete:
        extras["incomplete"] = incomplete

    data = {
        "type": "bill", "jurisdiction": "us", "session": congress, "identifier": identifier,
        "bill_type": BILL_TYPES[code].bill_type, "classification": [BILL_TYPES[code].bill_type],
        "origin_chamber": origin, "title": title, "other_titles": _titles(parts.get("titles")),
        "summary": summary, "subjects": list(dict.fromkeys(parts.get("subjects") or [])),
        "policy_area": _s((detail.get("policyArea") or {}).get("name")),
        "introduced_date": _day(detail.get("introducedDate")), "actions": actions,
        "sponsorships": sponsors + [s for s in (_person(p, primary=False)
                                                for p in parts.get("cosponsors") or []) if s],
        "versions": _versions(parts.get("text")),
        "related_bills": _related(parts.get("relatedbills"), congress, identifier),
        "laws": [{"type": _LAW_TYPES.get((_s(law.get("type")) or "").lower(), "public"),
                  "number": _s(law.get("number"))} for law in detail.get("laws") or [] if _s(law.get("number"))],
        "committees": list(dict.fromkeys(n for n in (_s(c.get("name")) for c in committees) if n)),
        "sources": [f"https://www.congress.gov/bill/{_ordinal(int(congress))}-congress/{_SLUG[code]}/{number}"],
        "extras": extras, "source": _src(source, fetched_at),
    }
    try:
        return build("bill", data, source=source)  # type: ignore[return-value]
    except RecordError as err:
        return err


# --- House roll calls ----------------------------------------------------------------------------

_TOTALS = {"yeaTotal": "yes", "nayTotal": "no", "presentTotal": "present", "notVotingTotal": "not voting"}


def house_vote_record(vote: dict, members: list[dict] | None, source: str,
                      fetched_at: dt.datetime | None = None) -> VoteEventIn | RecordError:
    """`/house-vote/{congress}/{session}/{roll}` (+ its `/members` results) as a `VoteEventIn`.

    The key is the House Clerk's (`us-house-{year}-{roll}`), so both sources describe one roll
    call. Either payload alone is enough (the members payload repeats the vote's metadata but
    has no result nor party totals).
    """
    roll, congress = _s(vote.get("rollCallNumber")), _s(vote.get("congress"))
    start = _s(vote.get("startDate"))
    try:
        when = dt.datetime.fromisoformat(start or "")
        roll_n = int(roll or "")
    except ValueError:
        return RecordError(source, f"roll {roll}", "startDate" if roll else "rollCallNumber",
                           f"cannot read roll number {roll!r} / start date {start!r}")
    key = vote_key(when.year, roll_n)  # the year as printed (Eastern time), like the Clerk's files
    votes = []
    for m in members or []:
        raw = _s(m.get("voteCast")) or ""
        bioguide = _s(m.get("bioguideID") or m.get("bioguideId"))
        name = " ".join(x for x in (_s(m.get("firstName")), _s(m.get("lastName"))) if x) or bioguide or "?"
        votes.append({"voter_name": name, "ids": {"bioguide": bioguide} if bioguide else {},
                      "option": normalize_option(raw), "raw_option": raw})
    counts: dict[str, int] = {}
    for party in vote.get("votePartyTotal") or []:
        for field, option in _TOTALS.items():
            if isinstance(party.get(field), int):
                counts[option] = counts.get(option, 0) + party[field]
    if not counts:
        for v in votes:  # no totals without the detail: count the rows
            counts[v["option"]] = counts.get(v["option"], 0) + 1
    question, vote_type, result = _s(vote.get("voteQuestion")), _s(vote.get("voteType")), _s(vote.get("result"))
    legislation = f"{_s(vote.get('legislationType')) or ''}{_s(vote.get('legislationNumber')) or ''}"
    extras = {k: v for k, v in (("vote_result_text", result), ("session", _s(vote.get("sessionNumber"))),
                                ("legis_num", legislation or None), ("clerk_url", _s(vote.get("sourceDataURL"))),
                                ("update_date", _s(vote.get("updateDate"))),
                                ("party_totals", {p.get("voteParty"): {o: p.get(f) for f, o in _TOTALS.items()}
                                                  for p in vote.get("votePartyTotal") or [] if p.get("voteParty")}))
              if v}
    data = {
        "key": key, "jurisdiction": "us", "session": congress, "chamber": "lower",
        "organization": "House of Representatives", "bill_key": federal_bill_key(congress, legislation),
        "date": when.date(), "start_time": when.astimezone(dt.timezone.utc) if when.tzinfo else None,
        "roll_number": str(roll_n), "motion_text": question or vote_type or "Roll call",
        "motion_classification": classify_motion(question, vote_type), "vote_type": vote_type,
        "result": classify_result(result) if result else "other", "counts": counts, "votes": votes,
        "extras": extras, "source": _src(source, fetched_at),
    }
    try:
        return build("vote_event", data, source=source)  # type: ignore[return-value]
    except RecordError as err:
        return err
