"""pubinfo people and places: LEGISLATOR_TBL -> legislators, LOCATION_CODE_TBL -> committees, and
the lookups that give voters and authors their `ca-name` ids.

LEGISLATOR_TBL has no person id: a row is a name in a house in a session (`AUTHOR_NAME` is the
name votes and author lists print). Rows of one seat under one family name are one person (a
member whose name changed spelling has an inactive row under the old one). A row with no name is
a vacant seat and is skipped. Legislators carry `ca-name` ids `Name|chamber|session`; the store
links them to the same person from Open States by seat and family name (tracker.people.seats).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from scrapers.formats.ca_pubinfo_rows import Row, error
from tracker.actions import ca as codes
from tracker.contract import RecordError, build
from tracker.people.namematch import fold

DOWNLOADS = "https://downloads.leginfo.legislature.ca.gov/"


def ca_name(name: str, chamber: str, session_year: str) -> str:
    return f"{name}|{chamber}|{session_year}"


@dataclass
class People:
    """Printed names -> `ca-name` ids, per (session year, chamber)."""

    exact: dict[tuple[str, str, str], str] = field(default_factory=dict)
    by_family: dict[tuple[str, str, str], set[str]] = field(default_factory=lambda: defaultdict(set))

    def ids(self, name: str | None, chamber: str | None, session_year: str) -> dict[str, str]:
        """The `ca-name` id of a printed name in a house, or {} when LEGISLATOR_TBL does not say."""
        if not name or not chamber:
            return {}
        key = (session_year, chamber, fold(name))
        found = self.exact.get(key)
        if found is None:
            family = self.by_family.get(key) or set()
            found = next(iter(family)) if len(family) == 1 else None
        return {"ca-name": found} if found else {}


def _district(raw: str) -> str | None:
    m = re.fullmatch(r"[AS]D0*(\d+)", raw or "")
    return m.group(1) if m else None


def legislators(rows: list[Row], source_url: str = DOWNLOADS) -> tuple[list, People]:
    """(LegislatorIn records and row errors, the name lookup) from LEGISLATOR_TBL rows."""
    out: list = []
    people = People()
    groups: dict[tuple, list[Row]] = defaultdict(list)
    for row in rows:
        if not row.get("LEGISLATOR_NAME") and not row.get("AUTHOR_NAME"):
            continue  # a vacant seat
        chamber = codes.HOUSES.get(row.get("HOUSE_TYPE") or "")
        if chamber is None:
            out.append(error(row, "HOUSE_TYPE", f"unknown house {row.get('HOUSE_TYPE')!r} (expected A or S)",
                             row.get("LEGISLATOR_NAME")))
            continue
        district = _district(row.get("DISTRICT") or "")
        if district is None:
            out.append(error(row, "DISTRICT", f"not a district code: {row.get('DISTRICT')!r} (AD01, SD40)",
                             row.get("LEGISLATOR_NAME")))
            continue
        session_year = row.get("SESSION_YEAR") or ""
        family = fold(row.get("LAST_NAME") or row.get("AUTHOR_NAME") or "")
        groups[(session_year, chamber, district, family)].append(row)
    for (session_year, chamber, district, family), group in sorted(groups.items()):
        group.sort(key=lambda r: (r.get("ACTIVE_LEGISLATOR") != "Y", r.get("AUTHOR_NAME") or ""))
        main = group[0]
        ids = sorted({ca_name(r.get("AUTHOR_NAME") or r["LEGISLATOR_NAME"], chamber, session_year) for r in group})
        main_id = ca_name(main.get("AUTHOR_NAME") or main["LEGISLATOR_NAME"], chamber, session_year)
        for r in group:
            value = ca_name(r.get("AUTHOR_NAME") or r["LEGISLATOR_NAME"], chamber, session_year)
            for name in {r.get("AUTHOR_NAME"), r.get("LEGISLATOR_NAME"),
                         f"{r.get('FIRST_NAME') or ''} {r.get('LAST_NAME') or ''}".strip()}:
                if name:
                    people.exact.setdefault((session_year, chamber, fold(name)), value)
            if r.get("LAST_NAME"):
                people.by_family[(session_year, chamber, fold(r["LAST_NAME"]))].add(main_id)
        given, last = main.get("FIRST_NAME"), main.get("LAST_NAME")
        start, end = codes.session_dates(session_year) if re.fullmatch(r"\d{8}", session_year) else (None, None)
        party = codes.PARTIES.get(main.get("PARTY") or "", main.get("PARTY"))
        others = sorted({n for r in group for n in (r.get("LEGISLATOR_NAME"), r.get("AUTHOR_NAME")) if n}
                        - {f"{given} {last}"})
        try:
            out.append(build("legislator", {
                "key": f"ca-name:{main_id}",
                "name": f"{given} {last}" if given and last else main.get("LEGISLATOR_NAME") or main["AUTHOR_NAME"],
                "given_name": given, "family_name": last, "other_names": others, "party": party,
                "ids": {"ca-name": ids if len(ids) > 1 else ids[0]},
                "roles": [{"jurisdiction": "ca", "chamber": chamber, "district": district, "party": party,
                           "start_date": start, "end_date": end}],
                "extras": {"ca_district": main.get("DISTRICT"), "title": main.get("NAME_TITLE")},
                "source": {"url": source_url, "format": "ca-pubinfo"}}, source=main.where()))
        except RecordError as err:
            out.append(err)
    return out, people


@dataclass
class Places:
    """LOCATION_CODE_TBL: committee names and chambers by code, per session year."""

    names: dict[tuple[str, str], str] = field(default_factory=dict)
    any_year: dict[str, str] = field(default_factory=dict)

    def name(self, code: str | None, session_year: str) -> str | None:
        if not code:
            return None
        return self.names.get((session_year, code)) or self.any_year.get(code)


def committee_chamber(code: str) -> str | None:
    return codes.COMMITTEE_PREFIXES.get((code or "")[:2].upper())


def committee_key(code: str, session_year: str) -> str:
    return f"ca-{session_year}-{code.lower()}"


def committees(rows: list[Row], source_url: str = DOWNLOADS) -> tuple[list, Places]:
    """(CommitteeIn records, the code lookup) from LOCATION_CODE_TBL rows of type B (committees)."""
    out: list = []
    places = Places()
    seen: set[tuple[str, str]] = set()
    for row in rows:
        code, year = row.get("LOCATION_CODE") or "", row.get("SESSION_YEAR") or ""
        if row.get("LOCATION_TYPE") != "B" or (year, code) in seen:
            if row.get("LOCATION_TYPE") == "V" and row.get("DESCRIPTION"):
                places.names.setdefault((year, code), row["DESCRIPTION"])
            continue
        seen.add((year, code))
        chamber = committee_chamber(code)
        base = row.get("LONG_DESCRIPTION") or row.get("DESCRIPTION") or code
        name = f"{codes.CHAMBER_NAMES[chamber]} {base}" if chamber else base
        places.names[(year, code)] = name
        places.any_year[code] = name
        try:
            out.append(build("committee", {
                "key": committee_key(code, year), "jurisdiction": "ca", "name": name,
                "chamber": chamber or "joint", "classification": "committee",
                "identifiers": {"ca-location-code": code, "session": year},
                "source": {"url": source_url, "format": "ca-pubinfo"}}, source=row.where()))
        except RecordError as err:
            out.append(err)
    return out, places
