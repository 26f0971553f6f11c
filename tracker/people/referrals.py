"""Which bills were referred to a committee, from what the sources say.

Federal bills carry the committees' system codes (`hsed00` = thomas id HSED). State sources
mostly say it in the action text, each legislature its own way, so the committee names are read
from referral actions by a rule table per jurisdiction ("Referred to Com. on ED." in California,
"to Education (H)" in Kentucky, "REFERRED TO EDUCATION" in New York), then compared with the
committee's name (`tracker.people.names.name_key`) and chamber.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterator

from sqlalchemy import String, cast, func, or_
from sqlmodel import Session, select

from tracker.models import Bill, BillAction, Committee
from tracker.people.names import chamber_in, name_key

# jurisdiction -> patterns of a referral action; `name` (or `names`, several joined by "and")
# is the committee, `chamber` an H/S mark. "*" applies where a jurisdiction has no rules.
REFERRAL_RULES: dict[str, list[re.Pattern]] = {
    "ca": [re.compile(r"\b(?:[Rr]e-?)?(?:[Rr]eferred|[Rr]e-refer|[Tt]o) (?:to )?Coms?\.\s+on\s+(?P<names>.+)")],
    "ky": [re.compile(r"(?:^|; )(?:re)?(?:referred |returned )?to (?P<name>[A-Z][^;]*?) \((?P<chamber>[HS])\)\s*$")],
    "ny": [re.compile(r"^(?:RE)?REFERRED TO (?P<name>.+?)\s*$", re.I),
           re.compile(r"RECOMMIT(?:TED)? TO (?P<name>.+?)\s*$", re.I)],
    # Mississippi: "Referred To Rules;Education"; Congress: "Referred to the Committee on ..."
    "*": [re.compile(r"\breferred to (?:the )?(?P<list>[^.()]+)", re.I)],
}
# California prints committees by abbreviation in its history (LOCATION_CODE_TBL has the names).
ABBREVIATIONS = {
    "ca": {"ED": "Education", "HIGHER ED": "Higher Education", "APPR": "Appropriations", "RLS": "Rules",
           "JUD": "Judiciary", "TRANS": "Transportation", "HEALTH": "Health", "INS": "Insurance",
           "PUB. S": "Public Safety", "NAT. RES": "Natural Resources", "REV. & TAX": "Revenue and Taxation",
           "G.O": "Governmental Organization", "L. GOV": "Local Government", "HUM. S": "Human Services",
           "E.Q": "Environmental Quality", "B. & P": "Business and Professions", "BUDGET": "Budget",
           "ELECTIONS": "Elections", "B. & F. R": "Budget and Fiscal Review", "H. & C.D": "Housing and Community Development",
           "L. & E": "Labor and Employment", "U. & E": "Utilities and Energy"},
}
# Where a California name ends: the next sentence ("ED. Read second time"), "for assignment".
_CA_END = re.compile(r"\.\s+(?=[A-Z][a-z]|\()|\s+for assignment|\.?\s*$")


def _ca_names(names: str) -> list[str]:
    names = _CA_END.split(names, maxsplit=1)[0]
    return [re.sub(r"\s+", " ", n).strip(" .") for n in re.split(r"\s+and\s+|,\s+(?=[A-Z])", names) if n.strip(" .")]


def referred_names(jurisdiction: str, text: str) -> Iterator[tuple[str, str | None]]:
    """(committee name, chamber or None) of each committee a referral action text names."""
    abbreviations = ABBREVIATIONS.get(jurisdiction, {})
    for pattern in REFERRAL_RULES.get(jurisdiction, REFERRAL_RULES["*"]):
        m = pattern.search(text or "")
        if not m:
            continue
        groups = m.groupdict()
        mark = {"H": "lower", "S": "upper"}.get(groups.get("chamber") or "")
        if groups.get("names"):
            names = _ca_names(groups["names"])
        elif groups.get("list"):
            names = [n.strip() for n in groups["list"].split(";") if n.strip()]
        else:
            names = [groups["name"]]
        for name in names:
            yield abbreviations.get(name.upper(), name), mark or chamber_in(name)
        return


def federal_code(committee: Committee) -> str | None:
    """The BILLSTATUS system code of a federal committee: HSED -> hsed00, HSED14 -> hsed14."""
    thomas = (committee.identifiers or {}).get("thomas_id")
    if committee.jurisdiction_id != "us" or not thomas:
        return None
    return (thomas + "00" if len(thomas) == 4 else thomas).lower()


def _chamber_fits(committee: Committee, chamber: str | None) -> bool:
    return committee.chamber in (None, "legislature", "joint") or chamber is None or chamber == committee.chamber


def referrals(db: Session, committee: Committee) -> dict[int, dt.date | None]:
    """Bill id -> date of the first referral to `committee` (None when no action dates it)."""
    out: dict[int, dt.date | None] = {}
    code = federal_code(committee)
    if code:
        for bill_id in db.exec(select(Bill.id).where(Bill.jurisdiction_id == "us",
                                                     cast(Bill.extras, String).contains(f'"{code}"'))).all():
            out[bill_id] = None
    key = name_key(committee.name)
    if not key:
        return out
    # Only actions that may name it: the longest word of its name, or an abbreviation of it.
    needles = {max(key.split(), key=len)} | {a.lower() for a, full in ABBREVIATIONS.get(
        committee.jurisdiction_id, {}).items() if name_key(full) == key}
    text = func.lower(func.coalesce(BillAction.committee, "") + " " + BillAction.description)
    rows = db.exec(select(BillAction.bill_id, BillAction.date, BillAction.chamber, BillAction.actor,
                          BillAction.committee, BillAction.description)
                   .join(Bill, Bill.id == BillAction.bill_id)
                   .where(Bill.jurisdiction_id == committee.jurisdiction_id,
                          or_(*(text.contains(n, autoescape=True) for n in needles)),
                          or_(BillAction.committee.is_not(None),
                              cast(BillAction.classification, String).contains("referral-committee")))).all()
    for bill_id, date, chamber, actor, named, description in rows:
        acting = chamber or (actor if actor in ("upper", "lower") else None)
        found = [(named, chamber_in(named) or acting)] if named else [
            (n, c or acting) for n, c in referred_names(committee.jurisdiction_id, description)]
        if any(name_key(n) == key and _chamber_fits(committee, c) for n, c in found):
            if bill_id not in out or out[bill_id] is None or date < out[bill_id]:
                out[bill_id] = date
    undated = [i for i, d in out.items() if d is None]
    if undated:
        # A code names the committee as it is now ("Education and Workforce") while the actions
        # name it as it was ("Education and Labor"): a House bill goes to all its committees at
        # once, so its first referral in the committee's chamber dates this one.
        first: dict[int, dt.date] = {}
        for bill_id, date, chamber in db.exec(
                select(BillAction.bill_id, BillAction.date, BillAction.chamber)
                .where(BillAction.bill_id.in_(undated),
                       cast(BillAction.classification, String).contains("referral-committee"))).all():
            if _chamber_fits(committee, chamber) and (bill_id not in first or date < first[bill_id]):
                first[bill_id] = date
        out.update(first)
    return out
