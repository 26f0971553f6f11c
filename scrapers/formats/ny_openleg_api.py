"""NY Senate OpenLegislation API v3 JSON other than bills: listings, members, updates, agendas.

Pure functions of response bytes used by the `ny_bills` spider (bills themselves go through
`ny_openleg.parse_api_bill`). Shapes follow the API docs (../shared/fixtures/ny-openleg/api-v3-docs,
https://legislation.nysenate.gov/static/docs/html/): every response is
`{"success", "message", "responseType", "result", ...}`; listings add `total`, `offsetStart`,
`offsetEnd`, `limit` and put rows in `result.items`. Offsets start at 1.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from typing import Iterator

from scrapers.formats.base import Item
from scrapers.formats.ny_openleg import FMT, NY_TZ, _api_vote, _build, bill_ref, session_of
from tracker.contract import RecordError
from tracker.bills.keys import normalize_identifier

_CHAMBERS = {"SENATE": "upper", "ASSEMBLY": "lower"}


def load(data: bytes, source: str) -> dict | RecordError:
    """The decoded response, or a RecordError naming the URL when it is not a successful API answer."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return RecordError(source, None, None, f"not JSON: {exc}")
    if not isinstance(doc, dict) or "result" not in doc:
        return RecordError(source, None, "result", "not an OpenLegislation API response")
    if doc.get("success") is False:
        return RecordError(source, None, None, f"API says: {doc.get('message')}")
    return doc


def items(doc: dict) -> list:
    """Rows of a listing response (`result.items`)."""
    result = doc.get("result")
    rows = result.get("items") if isinstance(result, dict) else None
    return rows if isinstance(rows, list) else []


def next_offset(doc: dict, offset: int) -> int | None:
    """The offset of the next page, or None when this page reaches `total`."""
    total = int(doc.get("total") or 0)
    end = doc.get("offsetEnd")
    end = int(end) if end is not None else offset + len(items(doc)) - 1
    if not items(doc) or end >= total:
        return None
    return end + 1


def bill_ids(doc: dict) -> list[tuple[str, str]]:
    """(session, basePrintNo) of every row of a bill listing."""
    out = []
    for row in items(doc):
        base = row.get("basePrintNo") or (row.get("billId") or {}).get("basePrintNo")
        if base and row.get("session"):
            out.append((str(row["session"]), str(base)))
    return out


def update_tokens(doc: dict) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(bills, agendas) named by an `/updates` token list: [(session, basePrintNo)], [(year, agendaNo)].

    Tokens repeat one id once per source file that touched it; each id is listed once.
    """
    bills, agendas = {}, {}
    for tok in items(doc):
        ident = tok.get("id") or {}
        kind = str(tok.get("contentType") or "").upper()
        if kind == "BILL" and ident.get("basePrintNo") and ident.get("session"):
            bills[(str(ident["session"]), str(ident["basePrintNo"]))] = None
        elif kind == "AGENDA" and ident.get("number") and ident.get("year"):
            agendas[(str(ident["year"]), str(ident["number"]))] = None
    return list(bills), list(agendas)


def agenda_ids(doc: dict) -> list[tuple[str, str]]:
    """(year, agendaNo) of every row of `/api/3/agendas/{year}`."""
    out = []
    for row in items(doc):
        ident = row.get("id") if isinstance(row.get("id"), dict) else row
        if ident.get("number") and ident.get("year"):
            out.append((str(ident["year"]), str(ident["number"])))
    return out


def _legislator(m: dict, source: str) -> Item:
    """One member-sessions result -> a legislator keyed `ny-member:{memberId}` (as the SQL tables are)."""
    member_id = m.get("memberId")
    if not member_id:
        return RecordError(source, None, "memberId", "member without memberId")
    chamber = _CHAMBERS.get(str(m.get("chamber") or "").upper())
    person = m.get("person") or {}
    roles, session_ids = [], []
    for year, rows in sorted((m.get("sessionShortNameMap") or {}).items()):
        for row in rows or []:
            if row.get("sessionMemberId"):
                session_ids.append(str(row["sessionMemberId"]))
            if row.get("alternate"):  # alternate short names of the same seat: no second role
                continue
            y = int(row.get("sessionYear") or year)
            if chamber:
                roles.append({"jurisdiction": "ny", "chamber": chamber,
                              "district": str(row["districtCode"]) if row.get("districtCode") else None,
                              "start_date": dt.date(y, 1, 1), "end_date": dt.date(y + 1, 12, 31)})
    ids: dict = {"ny-member": [str(member_id)]}
    if session_ids:
        ids["ny-session-member"] = sorted(set(session_ids), key=int)
    name = (person.get("fullName") or m.get("fullName") or m.get("shortName") or "").strip()
    return _build("legislator", {
        "key": f"ny-member:{member_id}", "name": name or f"NY member {member_id}",
        "given_name": person.get("firstName"), "family_name": person.get("lastName"),
        "other_names": [m["shortName"]] if m.get("shortName") else [],
        "ids": ids, "roles": roles,
        "extras": {"ny_person_id": person.get("personId"), "img_name": person.get("imgName")
                   or m.get("imgName"), "short_name": m.get("shortName")},
        "source": {"url": source, "format": FMT}}, source)


def parse_members(doc: dict, source: str) -> Iterator[Item]:
    """A member listing (`/api/3/members/{year}?full=true`) or one member (`/members/{year}/{id}`)."""
    result = doc.get("result") or {}
    rows = items(doc) if "items" in result else [result]
    for m in rows:
        yield _legislator(m, source)


def _start(value: str | None) -> dt.datetime | None:
    """Agenda meeting times are Albany local time without an offset: stored as UTC."""
    if not value:
        return None
    local = dt.datetime.fromisoformat(value)
    return (local if local.tzinfo else local.replace(tzinfo=NY_TZ)).astimezone(dt.timezone.utc)


def parse_agenda(doc: dict, source: str) -> Iterator[Item]:
    """One weekly agenda (`/api/3/agendas/{year}/{no}`) -> a hearing per committee addendum with a
    meeting (bills on it), and the committee votes of addenda that have them.

    Hearing and vote keys are the ones the raw SENAGEN / SENAGENV feed gives, so both sources
    of one meeting make one record.
    """
    result = doc.get("result") or {}
    ident = result.get("id") or {}
    year, number = ident.get("year"), ident.get("number")
    if not year or not number:
        yield RecordError(source, None, "id", "agenda without id.year / id.number")
        return
    session = session_of(year)
    for comm in items({"result": result.get("committeeAgendas") or {}}):
        cname = str((comm.get("committeeId") or {}).get("name") or "").strip()
        slug = re.sub(r"[^a-z0-9]+", "-", cname.lower()).strip("-")
        for add in items({"result": comm.get("addenda") or {}}):
            meeting = add.get("meeting") or {}
            bills = []
            for b in items({"result": add.get("bills") or {}}):
                print_no = (b.get("billId") or {}).get("printNo") or ""
                if not print_no:
                    continue
                key, _version = bill_ref(print_no, (b.get("billId") or {}).get("session") or year)
                note = normalize_identifier(print_no) + (f" {b['message'].strip()}" if b.get("message") else "")
                bills.append({"bill_key": key, "note": note})
            addendum = str(add.get("addendumId") or "")
            yield _build("hearing", {
                "key": f"ny-{session}-agenda{number}{addendum.lower()}-{slug}",
                "jurisdiction": "ny", "committee_name": cname or None,
                "start": _start(meeting.get("meetingDateTime")),
                "location": meeting.get("location") or None, "description": meeting.get("notes") or None,
                "bills": bills, "source": {"url": source, "format": FMT}}, source)
            votes = (add.get("voteInfo") or {}).get("votesList") or {}
            for row in items({"result": votes}):
                bill, vote = row.get("bill") or {}, row.get("vote")
                if not vote or not bill.get("basePrintNo"):
                    continue
                key, _v = bill_ref(bill["basePrintNo"], bill.get("session") or year)
                vote = {**vote, "committee": vote.get("committee") or {"name": cname, "chamber": "SENATE"}}
                yield _api_vote(vote, key, session, str(bill["basePrintNo"]), source)
