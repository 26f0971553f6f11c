"""What a subscription follows, found by name: search candidates, resolve to the canonical key,
and describe a key in words (bill identifier and title, legislator or committee name, ...)."""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import String, cast, func, or_, select

from tracker.bills.keys import normalize_identifier
from tracker.models import (Bill, Coalition, Committee, IssueArea, Jurisdiction, Legislator,
                            LegislatorIdentifier, SavedSearch)
from tracker.people.names import chamber_in, name_key

LIMIT = 10
# The query parameters a followed search keeps (those the bill filter can check one bill at a time).
SEARCH_FIELDS = ("q", "jurisdiction", "stage", "issue_area", "subject")


class NotFound(LookupError):
    """Nothing (or more than one thing) answers to what was typed; `choices` lists candidates."""

    def __init__(self, target_type: str, text: str, choices: list["Choice"] | None = None):
        self.target_type, self.text, self.choices = target_type, text, choices or []
        what = "several match" if self.choices else "nothing matches"
        super().__init__(f"{what} {text!r} ({target_type.replace('_', ' ')})")


@dataclass
class Choice:
    """One thing to follow: its target type, canonical key and how a person reads it."""

    target_type: str
    key: str
    label: str
    detail: str = ""
    extra: dict = field(default_factory=dict)


def _like(text: str) -> str:
    return "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# --- bills -----------------------------------------------------------------------------------

def _bill_choice(b: Bill) -> Choice:
    return Choice("bill", b.key, f"{b.identifier}: {b.title}", b.jurisdiction_id,
                  {"stage": b.stage, "identifier": b.identifier, "title": b.title, "jurisdiction": b.jurisdiction_id})




def _bills(session, text: str) -> tuple[Choice | None, list[Choice]]:
    exact = session.scalar(select(Bill).where(Bill.key == text.lower()))
    if exact:
        return _bill_choice(exact), []
    words = text.split()
    found: list[Bill] = []
    try:  # "H.R. 5", "AB 100", "ca AB 100": by identifier, newest session first
        juris = words[0].lower() if len(words) > 1 and session.get(Jurisdiction, words[0].lower()) else None
        ident = normalize_identifier(" ".join(words[1:] if juris else words))
        q = select(Bill).where(Bill.normalized_identifier == ident)
        if juris:
            q = q.where(Bill.jurisdiction_id == juris)
        found = list(session.scalars(q.order_by(Bill.session_id.desc(), Bill.key).limit(LIMIT)))
    except ValueError:
        pass
    if len(found) == 1:
        return _bill_choice(found[0]), []
    if not found:
        cond = [func.lower(Bill.title).like(_like(w), escape="\\") for w in words]
        found = list(session.scalars(select(Bill).where(*cond).order_by(
            Bill.latest_action_date.desc().nulls_last(), Bill.key).limit(LIMIT))) if cond else []
    return None, [_bill_choice(b) for b in found]


# --- legislators -----------------------------------------------------------------------------

def _person_choice(p: Legislator) -> Choice:
    return Choice("legislator", p.key, p.name, p.party or "")


def legislator_by_any_key(session, text: str) -> Legislator | None:
    """The legislator a key, an id (`bioguide:W000178` or `W000178`) or an exact name names, if one."""
    t = text.strip()
    found = session.scalar(select(Legislator).where(Legislator.key == t))
    if found:
        return found
    scheme, _, value = t.partition(":")
    q = select(LegislatorIdentifier.legislator_id)
    ids = set(session.scalars(q.where(LegislatorIdentifier.scheme == scheme, LegislatorIdentifier.value == value)
                              if value else q.where(LegislatorIdentifier.value == t)))
    if len(ids) == 1:
        return session.get(Legislator, ids.pop())
    named = list(session.scalars(select(Legislator).where(func.lower(Legislator.name) == t.lower()).limit(2)))
    return named[0] if len(named) == 1 else None


def _legislators(session, text: str) -> tuple[Choice | None, list[Choice]]:
    one = legislator_by_any_key(session, text)
    if one:
        return _person_choice(one), []
    cond = [or_(func.lower(Legislator.name).like(_like(w), escape="\\"),
                func.lower(cast(Legislator.other_names, String)).like(_like(w), escape="\\")) for w in text.split()]
    found = list(session.scalars(select(Legislator).where(*cond).order_by(Legislator.name).limit(LIMIT))) if cond else []
    named = [p for p in found if text.strip().lower() in {str(n).lower() for n in [p.name, *(p.other_names or [])]}]
    if len(named) == 1:  # another name they go by ("Bernie Sanders")
        return _person_choice(named[0]), []
    return None, [_person_choice(p) for p in found]


# --- committees ------------------------------------------------------------------------------

def _committee_choice(c: Committee) -> Choice:
    return Choice("committee", c.key, c.name, f"{c.jurisdiction_id.upper()}{' · ' + c.chamber if c.chamber else ''}",
                  {"jurisdiction": c.jurisdiction_id, "chamber": c.chamber})


def federal_code(c: Committee) -> str | None:
    """BILLSTATUS's system code of a federal committee (HSED -> hsed00)."""
    thomas = (c.identifiers or {}).get("thomas_id")
    if c.jurisdiction_id != "us" or not thomas:
        return None
    return (thomas + "00" if len(thomas) == 4 else thomas).lower()


def committee_names(c: Committee) -> set[str]:
    """Every exact name a source may use for `c`, lowercase: key, ids, system code, name."""
    names = {c.key.lower(), c.name.lower()} | {str(v).lower() for v in (c.identifiers or {}).values() if v}
    if federal_code(c):
        names.add(federal_code(c))
    return names


def committee_by_any_key(session, text: str) -> tuple[Committee | None, list[Committee]]:
    """The committee a key, id, code or name names; else the committees its words could mean."""
    t = text.strip().lower()
    exact = session.scalar(select(Committee).where(func.lower(Committee.key) == t))
    if exact:
        return exact, []
    code = t[:-2] if len(t) == 6 and t.endswith("00") else t  # hsed00 -> hsed (thomas id HSED)
    by_id = [c for c in session.scalars(select(Committee).where(
        or_(func.lower(cast(Committee.identifiers, String)).like(_like(f'"{t}"'), escape="\\"),
            func.lower(cast(Committee.identifiers, String)).like(_like(f'"{code}"'), escape="\\")))).all()
        if t in committee_names(c) or (c.jurisdiction_id == "us" and federal_code(c) == t)]
    if len(by_id) == 1:
        return by_id[0], []
    key, chamber = name_key(text), chamber_in(text)
    words = [w for w in key.split() if len(w) > 2] or key.split()
    cond = [func.lower(Committee.name).like(_like(w), escape="\\") for w in words]
    pool = list(session.scalars(select(Committee).where(*cond).limit(500))) if cond else []
    same = [c for c in pool if name_key(c.name) == key and (chamber is None or c.chamber == chamber)]
    if len(same) == 1:
        return same[0], []
    return None, same or by_id or pool[:LIMIT]


def _committees(session, text: str) -> tuple[Choice | None, list[Choice]]:
    one, many = committee_by_any_key(session, text)
    return (_committee_choice(one) if one else None), [_committee_choice(c) for c in many[:LIMIT]]


# --- the small vocabularies ------------------------------------------------------------------

def _areas(session, text: str) -> tuple[Choice | None, list[Choice]]:
    rows = list(session.scalars(select(IssueArea).where(IssueArea.coalition_id.is_(None)).order_by(IssueArea.position)))
    t = text.strip().lower()
    for a in rows:
        if t in (a.slug.lower(), a.name.lower()):
            return Choice("issue_area", a.slug, a.name), []
    return None, [Choice("issue_area", a.slug, a.name) for a in rows if t in a.name.lower() or t in a.slug][:LIMIT]


def _coalitions(session, text: str) -> tuple[Choice | None, list[Choice]]:
    t = text.strip().lower()
    rows = list(session.scalars(select(Coalition).order_by(Coalition.name)))
    for c in rows:
        if t in (c.slug.lower(), c.name.lower()):
            return Choice("coalition", c.slug, c.name), []
    return None, [Choice("coalition", c.slug, c.name) for c in rows if t in c.name.lower() or t in c.slug][:LIMIT]


def _jurisdictions(session, text: str) -> tuple[Choice | None, list[Choice]]:
    t = text.strip().lower()
    rows = list(session.scalars(select(Jurisdiction).order_by(Jurisdiction.name)))
    for j in rows:
        if t in (j.id, j.name.lower()):
            return Choice("jurisdiction", j.id, j.name), []
    return None, [Choice("jurisdiction", j.id, j.name) for j in rows if t in j.name.lower()][:LIMIT]


def _saved_searches(session, text: str) -> tuple[Choice | None, list[Choice]]:
    coalition, _, slug = text.strip().partition("/")
    row = session.execute(select(SavedSearch, Coalition).join(Coalition, Coalition.id == SavedSearch.coalition_id)
                          .where(Coalition.slug == coalition, SavedSearch.slug == slug)).first()
    if row:
        return Choice("saved_search", f"{coalition}/{slug}", f"{row[0].name} ({row[1].name})"), []
    return None, []


def search_query(text: str) -> str:
    """The canonical query string of a followed search (known fields, blanks dropped, sorted)."""
    pairs = parse_qsl(text.lstrip("?"), keep_blank_values=False)
    return urlencode(sorted((k, v.strip()) for k, v in pairs if k in SEARCH_FIELDS and v.strip()))


def _search(session, text: str) -> tuple[Choice | None, list[Choice]]:
    query = search_query(text)
    if not query:
        return None, []
    return Choice("search", query, describe_search(session, query)), []


def describe_search(session, query: str) -> str:
    parts = dict(parse_qsl(query))
    bits = [f"“{parts['q']}”"] if parts.get("q") else []
    if parts.get("jurisdiction"):
        j = session.get(Jurisdiction, parts["jurisdiction"].lower())
        bits.append(j.name if j else parts["jurisdiction"])
    if parts.get("issue_area"):
        bits.append(describe(session, "issue_area", parts["issue_area"]))
    bits += [parts[k] for k in ("stage", "subject") if parts.get(k)]
    return ", ".join(bits)


def _school_districts(session, text: str) -> tuple[Choice | None, list[Choice]]:
    from tracker.schools.follow import choices

    found = [Choice("school_district", leaid, name, state.upper()) for leaid, name, state in choices(session, text)]
    exact = [c for c in found if c.key == text.strip() or c.label.lower() == text.strip().lower()]
    if len(exact) == 1:
        return exact[0], []
    return None, found


FINDERS = {"bill": _bills, "legislator": _legislators, "committee": _committees, "issue_area": _areas,
           "coalition": _coalitions, "jurisdiction": _jurisdictions, "saved_search": _saved_searches,
           "search": _search, "school_district": _school_districts}


def find(session, target_type: str, text: str) -> tuple[Choice | None, list[Choice]]:
    """(the one thing `text` names, or None; else candidates to choose from)."""
    text = (text or "").strip()
    if not text or len(text) > 500 or "\x00" in text or target_type not in FINDERS:
        return None, []  # PostgreSQL refuses NUL in text; nothing we store is that long
    return FINDERS[target_type](session, text)


def resolve(session, target_type: str, text: str) -> Choice:
    """The canonical key of what `text` names; `NotFound` (with candidates) otherwise."""
    one, many = find(session, target_type, text)
    if one is None:
        raise NotFound(target_type, text, many)
    return one


def describe(session, target_type: str, key: str) -> str:
    """How a person reads a followed key: the bill's identifier and title, a name; the key if gone."""
    if target_type == "search":
        return describe_search(session, key)
    if target_type == "committee":  # old subscriptions may hold a name or a code
        c, _ = committee_by_any_key(session, key)
        return c.name if c else key
    one, _ = find(session, target_type, key)
    return one.label if one else key


def listed(session, target_type: str) -> list[Choice]:
    """Every choice of a short list (issue areas, coalitions, jurisdictions), to pick from."""
    if target_type == "issue_area":
        return [Choice("issue_area", a.slug, a.name) for a in session.scalars(
            select(IssueArea).where(IssueArea.coalition_id.is_(None)).order_by(IssueArea.position, IssueArea.slug))]
    if target_type == "coalition":
        return [Choice("coalition", c.slug, c.name) for c in session.scalars(select(Coalition).order_by(Coalition.name))]
    if target_type == "jurisdiction":
        return [Choice("jurisdiction", j.id, j.name) for j in session.scalars(
            select(Jurisdiction).order_by(Jurisdiction.id != "us", Jurisdiction.name))]
    return []
