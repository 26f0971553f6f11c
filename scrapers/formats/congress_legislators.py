"""unitedstates/congress-legislators YAML -> `LegislatorIn` (id crosswalk, terms as roles) and
`CommitteeIn` (committees, subcommittees, membership).

Files: `legislators-current.yaml`, `legislators-historical.yaml`, `committees-current.yaml`,
`committee-membership-current.yaml` (https://unitedstates.github.io/congress-legislators/).
Quirks: `district` 0 means at-large; thomas ids are zero-padded strings; `fec` is a list; the
membership file is keyed by thomas committee id, subcommittees append two digits (SSHR09).
"""
from __future__ import annotations

import posixpath
from typing import Any, Iterator

import yaml

from scrapers.formats.base import Item, SimpleFormat, Tree, read_or_error
from scrapers.formats.guard import convert, convert_all, record_name
from tracker.contract import RecordError, SourceRef, build

LEGISLATORS = "congress-legislators"
COMMITTEES = "congress-committees"
LEGISLATOR_FILES = ("legislators-current.yaml", "legislators-historical.yaml")
COMMITTEE_FILE, MEMBERSHIP_FILE = "committees-current.yaml", "committee-membership-current.yaml"

# congress-legislators id name -> our id scheme (tracker.vocab.ID_SCHEMES).
ID_MAP = {"bioguide": "bioguide", "lis": "lis", "thomas": "thomas", "govtrack": "govtrack",
          "opensecrets": "opensecrets", "votesmart": "votesmart", "icpsr": "icpsr", "fec": "fec",
          "wikidata": "wikidata", "ballotpedia": "ballotpedia"}
# Ids we keep in extras only (not crosswalk schemes of the store).
EXTRA_IDS = ("cspan", "wikipedia", "house_history", "maplight", "google_entity_id", "pictorial")
_TERRITORIES = {"DC": "district:dc", "PR": "territory:pr", "GU": "territory:gu", "VI": "territory:vi",
                "AS": "territory:as", "MP": "territory:mp"}
_CHAMBERS = {"house": "lower", "senate": "upper", "joint": "legislature"}


def _division(state: str, district: Any) -> str:
    if state in _TERRITORIES:
        return f"ocd-division/country:us/{_TERRITORIES[state]}"
    base = f"ocd-division/country:us/state:{state.lower()}"
    return base if district in (None, 0, -1) else f"{base}/cd:{district}"


def _role(term: dict) -> dict | None:
    if term.get("type") not in ("sen", "rep"):
        return None
    state = term.get("state", "")
    district = term.get("district")
    title = ("Resident Commissioner" if state == "PR" and term["type"] == "rep" else
             "Delegate" if state in _TERRITORIES and term["type"] == "rep" else
             "Senator" if term["type"] == "sen" else "Representative")
    return {"jurisdiction": "us", "chamber": "upper" if term["type"] == "sen" else "lower",
            # Representatives: the district number, "0" = at-large (and every delegate); senators: none.
            # The state is in division_id.
            "district": str(district) if term["type"] == "rep" and district is not None else None,
            "division_id": _division(state, district if term["type"] == "rep" else None),
            "party": term.get("party"), "title": title,
            "start_date": term.get("start"), "end_date": term.get("end")}


def _contact(terms: list) -> dict[str, list[dict]]:
    """The office, phone, website and contact form of the latest term (older terms' offices
    are gone), in the shape the person pages read (`extras["contact"]`)."""
    term = terms[-1] if terms else {}
    # `address` already starts with the room and building of `office`
    office = {k: str(v).strip() for k, v in (("kind", "capitol"), ("address", term.get("address") or term.get("office")),
                                              ("voice", term.get("phone")), ("fax", term.get("fax"))) if v}
    links = [{"url": str(term[k]).strip(), "note": note} for k, note in
             (("url", "website"), ("contact_form", "contact form")) if term.get(k)]
    return {k: v for k, v in (("offices", [office] if office.keys() - {"kind"} else []), ("links", links)) if v}


def _str_ids(ids: dict) -> dict[str, str | list[str]]:
    out: dict[str, str | list[str]] = {}
    for theirs, ours in ID_MAP.items():
        value = ids.get(theirs)
        if value in (None, "", []):
            continue
        out[ours] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return out


def legislator_record(person: dict, source: str) -> Item:
    """One person entry of legislators-*.yaml as a `LegislatorIn` (or a `RecordError`)."""
    ids, name, bio = person.get("id") or {}, person.get("name") or {}, person.get("bio") or {}
    record = ids.get("bioguide") or name.get("official_full")
    full = name.get("official_full") or " ".join(
        p for p in (name.get("first"), name.get("middle"), name.get("last"), name.get("suffix")) if p)
    terms = person.get("terms") or []
    roles = [r for r in (_role(t) for t in terms) if r]
    others = [n for n in {f"{name.get('nickname')} {name.get('last')}" if name.get("nickname") else None,
                          f"{name.get('first')} {name.get('last')}"} if n and n != full]
    data = {
        "name": full or record or "?", "given_name": name.get("first"), "family_name": name.get("last"),
        "other_names": sorted(others), "party": terms[-1].get("party") if terms else None,
        "gender": bio.get("gender"), "birth_date": bio.get("birthday"), "ids": _str_ids(ids),
        "roles": roles,
        "image": f"https://theunitedstates.io/images/congress/original/{ids['bioguide']}.jpg"
        if ids.get("bioguide") else None,
        "extras": {k: str(ids[k]) for k in EXTRA_IDS if ids.get(k) not in (None, "")},
        "source": SourceRef(url=source, format=LEGISLATORS).model_dump(),
    }
    contact = _contact(terms)
    if contact:
        data["extras"]["contact"] = contact
    if ids.get("bioguide"):
        data["key"] = f"bioguide:{ids['bioguide']}"
    try:
        return build("legislator", data, source=source)
    except RecordError as err:
        err.record = err.record or record
        return err


# libyaml's safe loader when available: the same safe subset as yaml.safe_load, 10x faster on
# the 4 MB legislators-historical.yaml.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _safe_load(data: bytes):
    return yaml.load(data, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader


def _load_list(data: bytes, source: str, what: str) -> list | RecordError:
    try:
        loaded = _safe_load(data)
    except yaml.YAMLError as exc:
        return RecordError(source, None, None, f"not YAML: {exc}")
    if not isinstance(loaded, list):
        return RecordError(source, None, None, f"expected a list of {what}")
    return loaded


def parse_legislators(data: bytes, source: str) -> Iterator[Item]:
    """Every person in a legislators-current/historical.yaml file."""
    people = _load_list(data, source, "legislators")
    if isinstance(people, RecordError):
        yield people
        return
    for i, person in enumerate(people):
        if not isinstance(person, dict):
            yield RecordError(source, f"entry {i}", None, "not a mapping")
            continue
        name = (record_name(person.get("id"), "bioguide")
                or record_name(person.get("name"), "official_full") or f"entry {i}")
        yield convert(legislator_record, person, source, source=source, record=name)


def _member(m: dict) -> dict:
    role = (m.get("title") or "member").lower()
    return {"person": {"name": m.get("name") or m.get("bioguide") or "?",
                       "ids": {"bioguide": m["bioguide"]} if m.get("bioguide") else {}},
            "role": role}


def parse_committees(committees: bytes, membership: bytes | None, source: str,
                     membership_source: str | None = None) -> Iterator[Item]:
    """Committees (`us-SSHR`) and subcommittees (`us-SSHR09`, parent `us-SSHR`) with their members.

    Without the membership file, stored memberships are left alone (members=None).
    """
    items = _load_list(committees, source, "committees")
    if isinstance(items, RecordError):
        yield items
        return
    members: dict | None = None
    if membership is not None:
        try:
            members = _safe_load(membership)
        except yaml.YAMLError as exc:
            yield RecordError(membership_source, None, None, f"not YAML: {exc}")
        if not isinstance(members, dict):
            yield RecordError(membership_source, None, None, "expected a mapping of committee id to members")
            members = None
    for i, c in enumerate(items):
        yield from convert_all(_committee_records, c, members, source, source=source,
                               record=record_name(c, "thomas_id", "name", default=f"entry {i}"))


def _committee_records(c: dict, members: dict | None, source: str) -> Iterator[Item]:
    """One committee entry and its subcommittees, with their members when the file is given."""
    src = SourceRef(url=source, format=COMMITTEES).model_dump()

    def record(data: dict) -> Item:
        try:
            return build("committee", data, source=source)
        except RecordError as err:
            return err

    tid = c.get("thomas_id")
    if not tid:
        yield RecordError(source, c.get("name"), "thomas_id", "committee without a thomas id")
        return
    chamber = _CHAMBERS.get(c.get("type"))
    idents = {k: str(c[k]) for k in ("thomas_id", "house_committee_id", "senate_committee_id")
              if c.get(k)}
    yield record({"key": f"us-{tid}", "jurisdiction": "us", "name": c.get("name") or tid,
                  "chamber": chamber, "classification": "committee", "identifiers": idents,
                  "url": c.get("url"), "source": src,
                  "members": None if members is None else [_member(m) for m in members.get(tid, [])]})
    for sub in c.get("subcommittees") or []:
        sid = f"{tid}{sub.get('thomas_id')}"
        yield record({"key": f"us-{sid}", "jurisdiction": "us", "name": sub.get("name") or sid,
                      "chamber": chamber, "classification": "subcommittee",
                      "parent_key": f"us-{tid}", "identifiers": {"thomas_id": sid},
                      "url": sub.get("url"), "source": src,
                      "members": None if members is None else [_member(m) for m in members.get(sid, [])]})


def _sniff_legislators(name: str, head: bytes) -> bool:
    return posixpath.basename(name) in LEGISLATOR_FILES or (
        name.endswith((".yaml", ".yml")) and head.lstrip().startswith(b"- id:") and b"bioguide:" in head)


class CongressCommittees:
    """Bundle format: committees-current.yaml with committee-membership-current.yaml beside it."""

    name = COMMITTEES
    priority = 25  # after the legislators (20), so memberships resolve

    def claim(self, tree: Tree) -> list[str]:
        return [n for n in tree.names() if posixpath.basename(n) in (COMMITTEE_FILE, MEMBERSHIP_FILE)]

    def parse_tree(self, tree: Tree, names: list[str]) -> Iterator[Item]:
        dirs = sorted({posixpath.dirname(n) for n in names})
        for d in dirs:
            c, m = posixpath.join(d, COMMITTEE_FILE), posixpath.join(d, MEMBERSHIP_FILE)
            if c not in names:
                yield RecordError(tree.source(m), None, None, f"membership without {COMMITTEE_FILE} beside it")
                continue
            committees, membership = read_or_error(tree, c), read_or_error(tree, m) if m in names else None
            for got in (committees, membership):
                if isinstance(got, RecordError):
                    yield got
            if isinstance(committees, RecordError):
                continue
            yield from parse_committees(committees, None if isinstance(membership, RecordError) else membership,
                                        tree.source(c), tree.source(m))


FORMATS = [SimpleFormat(LEGISLATORS, _sniff_legislators, parse_legislators, priority=20),
           CongressCommittees()]
