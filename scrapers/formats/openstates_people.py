"""Open States people YAML (the openstates/people repository layout), CC0.

`<state>/legislature/*.yml` and `<state>/retired/*.yml` hold one person each;
`<state>/committees/*.yml` one committee with its members. Roles without `end_date` are
current; `party` is a list; districts become OCD division ids
(`ocd-division/country:us/state:ca/sldl:12`). Schema: openstates-people/schema.md.
"""
from __future__ import annotations

import re
from typing import Any, Iterator

import yaml

from scrapers.formats.base import Item, SimpleFormat
from scrapers.formats.guard import convert, record_name
from tracker.contract import RecordError, build
from tracker.jurisdictions.registry import jurisdiction_from_ocd

FORMAT_NAME = "openstates-people"

# Open States `other_identifiers` schemes that are ours under the same or another name;
# `openstates` holds the id of a person merged into this one, so it is an ocd-person id too.
SCHEME_MAP = {
    "bioguide": "bioguide", "lis": "lis", "thomas": "thomas", "govtrack": "govtrack",
    "opensecrets": "opensecrets", "votesmart": "votesmart", "icpsr": "icpsr", "fec": "fec",
    "wikidata": "wikidata", "ballotpedia": "ballotpedia", "openstates": "ocd-person",
    "legiscan": "legiscan",
}
# Schemes where one person legitimately has several values.
MULTI = {"fec", "ocd-person"}

# Chamber -> OCD division type of its districts (Nebraska's unicameral seats are sldu).
_DIVISION_TYPE = {"upper": "sldu", "lower": "sldl", "legislature": "sldu"}


def _district_slug(district: str) -> str:
    """OCD ids lower-case names and join words with `_` ("1st Franklin" -> "1st_franklin")."""
    text = district.strip().lower()
    text = re.sub(r"[^\w\s\-.~]", "", text)
    text = re.sub(r"\s+", "_", text)
    if text.isdigit():
        return str(int(text))
    return text


def division_id(jurisdiction: str, chamber: str, district: str | None) -> str | None:
    """The OCD division id of a seat: state legislative district or congressional district."""
    if not district:
        return None
    if jurisdiction == "us":
        # Congress: district "FL-4" (House; "FL-AL" at large) or "FL" (Senate: the state).
        m = re.fullmatch(r"([A-Za-z]{2})(?:-(\w+))?", district.strip())
        if not m:
            return None
        state, cd = m.group(1).lower(), m.group(2)
        kind = "territory" if state == "pr" else ("district" if state == "dc" else "state")
        if cd is None or chamber == "upper":
            return f"ocd-division/country:us/{kind}:{state}"
        if cd.upper() in ("AL", "0", "00"):
            return f"ocd-division/country:us/{kind}:{state}"
        return f"ocd-division/country:us/{kind}:{state}/cd:{int(cd)}"
    kind = "territory" if jurisdiction == "pr" else ("district" if jurisdiction == "dc" else "state")
    return f"ocd-division/country:us/{kind}:{jurisdiction}/{_DIVISION_TYPE[chamber]}:{_district_slug(district)}"


def _names(entries: list | None) -> list[str]:
    out = []
    for entry in entries or []:
        name = entry.get("name") if isinstance(entry, dict) else entry
        if isinstance(name, str) and name.strip() and name.strip() not in out:
            out.append(name.strip())
    return out


def _current_party(parties: list | None) -> str | None:
    current = [p["name"] for p in parties or [] if isinstance(p, dict) and p.get("name")
               and not p.get("end_date")]
    return current[-1] if current else None


def _office_towns(offices: list | None) -> list[str]:
    """Towns of district offices ("..., Fremont, CA 94538" -> "Fremont")."""
    towns = []
    for office in offices or []:
        if not isinstance(office, dict) or office.get("classification") == "capitol":
            continue
        parts = [p.strip() for p in str(office.get("address", "")).split(",")]
        if len(parts) >= 2 and re.fullmatch(r"[A-Z]{2}(?:\s+\d{5}(?:-\d{4})?)?", parts[-1]):
            town = parts[-2]
            if town and not any(ch.isdigit() for ch in town) and town not in towns:
                towns.append(town)
    return towns


def _contact(doc: dict) -> dict[str, list[dict]]:
    """Offices (capitol, district) and links as the person pages show them; `contact_details`
    is the older name of `offices`, with the kind in `note` ("Capitol Office")."""
    offices = []
    for office in doc.get("offices") or doc.get("contact_details") or []:
        if not isinstance(office, dict):
            continue
        kind = str(office.get("classification") or office.get("note") or "").lower().replace(" office", "")
        entry = {"kind": kind or None, "name": office.get("name"), "address": office.get("address"),
                 "voice": office.get("voice"), "fax": office.get("fax")}
        entry = {k: str(v).strip() for k, v in entry.items() if v not in (None, "")}
        if entry.keys() - {"kind", "name"}:
            offices.append(entry)
    links = [{"url": str(link["url"]).strip(), **({"note": str(link["note"])} if link.get("note") else {})}
             for link in doc.get("links") or [] if isinstance(link, dict) and link.get("url")]
    return {k: v for k, v in (("offices", offices), ("links", links)) if v}


def person_record(doc: dict, source: str) -> dict[str, Any]:
    """Contract dict of a `LegislatorIn` from one person YAML document."""
    person_id = doc.get("id")
    ids: dict[str, Any] = {"ocd-person": [person_id] if person_id else []}
    unmapped = []
    for other in doc.get("other_identifiers") or []:
        scheme = SCHEME_MAP.get(str(other.get("scheme")))
        value = str(other.get("identifier", "")).strip()
        if not value:
            continue
        if scheme is None:
            unmapped.append({"scheme": other.get("scheme"), "identifier": value})
        elif scheme in MULTI:
            ids.setdefault(scheme, [])
            if value not in ids[scheme]:
                ids[scheme].append(value)
        else:
            ids.setdefault(scheme, value)
    ids = {k: (v[0] if isinstance(v, list) and len(v) == 1 and k != "fec" else v)
           for k, v in ids.items()}
    roles, other_roles = [], []
    for role in doc.get("roles") or []:
        juris = jurisdiction_from_ocd(str(role.get("jurisdiction", "")))
        chamber = role.get("type")
        if chamber not in _DIVISION_TYPE or juris is None:
            other_roles.append({k: str(v) for k, v in role.items()})  # governor, mayor, ...
            continue
        district = str(role["district"]).strip() if role.get("district") is not None else None
        roles.append({
            "jurisdiction": juris, "chamber": chamber, "district": district,
            "division_id": division_id(juris, chamber, district),
            "party": _current_party(doc.get("party")) if not role.get("end_date") else None,
            "title": role.get("title"),
            "start_date": role.get("start_date"), "end_date": role.get("end_date")})
    extras = {}
    if unmapped:
        extras["other_identifiers"] = unmapped
    if other_roles:
        extras["other_roles"] = other_roles
    if doc.get("ids"):
        extras["social"] = {k: str(v) for k, v in doc["ids"].items()}
    places = _office_towns(doc.get("offices") or doc.get("contact_details"))
    if places:
        extras["places"] = places  # home towns: "Taylor of Galveston" style names
    if doc.get("email"):
        extras["email"] = str(doc["email"])
    contact = _contact(doc)
    if contact:
        extras["contact"] = contact
    return {
        "type": "legislator", "key": f"ocd-person:{person_id}" if person_id else None,
        "name": doc.get("name") or "", "given_name": doc.get("given_name"),
        "family_name": doc.get("family_name"), "other_names": _names(doc.get("other_names")),
        "party": _current_party(doc.get("party")), "gender": doc.get("gender"),
        "birth_date": doc.get("birth_date") or None, "image": doc.get("image"),
        "ids": ids, "roles": roles, "extras": extras,
        "source": {"url": source, "format": FORMAT_NAME}}


def committee_record(doc: dict, source: str) -> dict[str, Any]:
    """Contract dict of a `CommitteeIn` (members by ocd-person id when the file gives it)."""
    members = []
    for m in doc.get("members") or []:
        pid = m.get("person_id") or m.get("id")
        members.append({"person": {"name": str(m.get("name", "")).strip() or "?",
                                   "ids": {"ocd-person": pid} if pid else {}},
                        "role": m.get("role") or "member",
                        "start_date": m.get("start_date"), "end_date": m.get("end_date")})
    links = [link.get("url") for link in doc.get("links") or [] if isinstance(link, dict)]
    return {
        "type": "committee", "key": doc.get("id") or "",
        "jurisdiction": jurisdiction_from_ocd(str(doc.get("jurisdiction", ""))) or str(doc.get("jurisdiction")),
        "name": doc.get("name") or "", "chamber": doc.get("chamber"),
        "classification": doc.get("classification") or "committee",
        "parent_key": doc.get("parent"),
        "identifiers": {"ocd-organization": doc["id"]} if doc.get("id") else {},
        "url": links[0] if links else None, "members": members,
        "source": {"url": source, "format": FORMAT_NAME}}


def _load(data: bytes, source: str) -> dict | RecordError:
    try:
        doc = yaml.safe_load(data.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return RecordError(source, None, None, f"not YAML: {exc}")
    except ValueError as exc:  # YAML dates like 2025-13-01
        return RecordError(source, None, None, f"bad value: {exc}")
    if not isinstance(doc, dict):
        return RecordError(source, None, None, "expected one YAML mapping per file")
    return doc


def parse_person(data: bytes, source: str) -> Iterator[Item]:
    doc = _load(data, source)
    if isinstance(doc, RecordError):
        yield doc
        return
    if not str(doc.get("id", "")).startswith("ocd-person/"):
        yield RecordError(source, doc.get("name"), "id", "a person file needs an ocd-person/ id")
        return
    yield convert(lambda d, src: build("legislator", person_record(d, src), source=src), doc, source,
                  source=source, record=record_name(doc, "id", "name"))


def parse_committee(data: bytes, source: str) -> Iterator[Item]:
    doc = _load(data, source)
    if isinstance(doc, RecordError):
        yield doc
        return
    yield convert(lambda d, src: build("committee", committee_record(d, src), source=src), doc, source,
                  source=source, record=record_name(doc, "id", "name"))


def _is_yaml(name: str) -> bool:
    return name.endswith((".yml", ".yaml"))


# A top-level `id:` line anywhere in the head, not only first: YAML keys come in any order.
_PERSON_ID = re.compile(rb"^id:\s*['\"]?ocd-person/", re.M)
_ORG_ID = re.compile(rb"^id:\s*['\"]?ocd-organization/", re.M)


def sniff_person(name: str, head: bytes) -> bool:
    return _is_yaml(name) and bool(_PERSON_ID.search(head))


def sniff_committee(name: str, head: bytes) -> bool:
    return _is_yaml(name) and bool(_ORG_ID.search(head))


# People first, so committee members resolve by ocd-person id in the same import.
FORMATS = [
    SimpleFormat("openstates-people", sniff_person, parse_person, priority=10),
    SimpleFormat("openstates-committees", sniff_committee, parse_committee, priority=15),
]
