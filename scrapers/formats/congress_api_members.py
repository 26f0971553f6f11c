"""Congress.gov API v3 members (`/member` lists and `/member/{bioguideId}`) -> `LegislatorIn`.

Terms come as years only, one per congress in the detail and as `{"item": [...]}` in lists;
the district is given for the current term only. See `congress_api_records` for the other quirks.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import us

from scrapers.formats.congress_api_records import _s, _src, normalize_party
from tracker.contract import LegislatorIn, RecordError, build
from tracker.vocab import CHAMBER_WORDS

_TERRITORIES = {"DC": "district:dc", "PR": "territory:pr", "GU": "territory:gu", "VI": "territory:vi",
                "AS": "territory:as", "MP": "territory:mp"}


def _state_code(term: dict, member: dict) -> str | None:
    code = _s(term.get("stateCode"))
    if code:
        return code.upper()
    name = _s(term.get("stateName")) or _s(member.get("state"))
    found = us.states.lookup(name) if name else None
    return found.abbr if found else None


def _role(term: dict, member: dict, current_district: Any) -> dict[str, Any] | None:
    chamber = CHAMBER_WORDS.get((_s(term.get("chamber")) or "").lower())
    start = _s(term.get("startYear"))
    if chamber is None or not start or not start.isdigit():
        return None
    state = _state_code(term, member)
    end = _s(term.get("endYear"))
    district = term.get("district")
    if district is None and chamber == "lower" and not end:
        district = current_district  # list entries give the district of the current term only
    if state in _TERRITORIES:
        division = f"ocd-division/country:us/{_TERRITORIES[state]}"
    elif state:
        division = f"ocd-division/country:us/state:{state.lower()}"
        if chamber == "lower" and district not in (None, 0, "0"):
            division += f"/cd:{district}"
    else:
        division = None
    member_type = _s(term.get("memberType"))
    # Congress.gov gives years only: terms start and end on 3 January (20th Amendment).
    return {"jurisdiction": "us", "chamber": chamber,
            "district": str(district) if chamber == "lower" and district is not None else None,
            "division_id": division, "title": member_type or ("Senator" if chamber == "upper" else "Representative"),
            "start_date": f"{start}-01-03", "end_date": f"{end}-01-03" if end and end.isdigit() else None}


def _merge_runs(roles: list[dict]) -> list[dict]:
    """Member detail lists one term per congress: join back-to-back terms in the same seat."""
    out: list[dict] = []
    for r in sorted(roles, key=lambda r: r["start_date"]):
        last = out[-1] if out else None
        if last and last["end_date"] == r["start_date"] and all(
                last[k] == r[k] for k in ("chamber", "district", "division_id", "title")):
            last["end_date"] = r["end_date"]
        else:
            out.append(dict(r))
    return out


def member_record(member: dict, source: str, fetched_at: dt.datetime | None = None) -> LegislatorIn | RecordError:
    """A member from `/member` lists (terms as `{"item": [...]}`) or `/member/{bioguideId}` (a list)."""
    bioguide = _s(member.get("bioguideId"))
    if not bioguide:
        return RecordError(source, _s(member.get("name")), "bioguideId", "member without a bioguide id")
    inverted = _s(member.get("invertedOrderName")) or _s(member.get("name"))
    given, family = _s(member.get("firstName")), _s(member.get("lastName"))
    if inverted and "," in inverted and not family:
        family, _, rest = (p.strip() for p in inverted.partition(","))
        given = rest.split()[0] if rest else None
    name = _s(member.get("directOrderName"))
    if not name and inverted and "," in inverted:
        # "Grover, James R., Jr." -> "James R. Grover Jr."
        last, *rest = (p.strip() for p in inverted.split(","))
        name = " ".join(x for x in (rest[0] if rest else "", last, *rest[1:]) if x)
    terms = member.get("terms") or []
    if isinstance(terms, dict):
        terms = terms.get("item") or []
    roles = _merge_runs([r for r in (_role(t, member, member.get("district")) for t in terms) if r])
    history = member.get("partyHistory") or []
    party = normalize_party(member.get("partyName")) or (
        normalize_party(history[-1].get("partyName")) if history else None)
    for role in roles:
        role["party"] = party
    image = _s((member.get("depiction") or {}).get("imageUrl"))
    birth = _s(member.get("birthYear"))
    data = {"key": f"bioguide:{bioguide}", "name": name or inverted or bioguide, "given_name": given,
            "family_name": family, "party": party, "image": image, "ids": {"bioguide": bioguide},
            "roles": roles, "extras": {k: v for k, v in (("birth_year", birth),
                                                         ("update_date", _s(member.get("updateDate"))),
                                                         ("current_member", member.get("currentMember")))
                                       if v is not None},
            "source": _src(source, fetched_at)}
    try:
        return build("legislator", data, source=source)  # type: ignore[return-value]
    except RecordError as err:
        return err
