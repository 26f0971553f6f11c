"""NY Senate OpenLegislation member tables (the SQL seed files in ny-openleg/members/).

`V20200527.1011__reset_member_data.sql` is a pg_dump with COPY blocks for `person`, `member`
(memberId, chamber) and `session_member` (sessionMemberId, LBDC short name, session year,
district). `V20201208.1627__2021_members.sql` adds 2021 rows as INSERT ... VALUES tuples; the
members it creates with `WITH p AS (INSERT ...)` get their ids from the database sequence at
migration time, so their memberId is not in the file and they are skipped (and counted).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

_COPY = re.compile(r"^COPY public\.(\w+) \(([^)]*)\) FROM stdin;$")
_VALUES = re.compile(r"\((\d+),\s*'((?:[^']|'')*)',\s*(\d{4}),\s*(\d+)\)")
_SESSION_INSERT = re.compile(
    r"INSERT INTO public\.session_member\(member_id, lbdc_short_name, session_year, district_code\)\s*"
    r"VALUES\s*(.*?);", re.S | re.I)


@dataclass
class MemberTables:
    persons: dict[int, dict] = field(default_factory=dict)
    members: dict[int, dict] = field(default_factory=dict)
    sessions: dict[tuple[int, int], dict] = field(default_factory=dict)  # (member, year) -> row
    skipped: int = 0

    def short_names(self) -> dict[tuple[int, str, str], int]:
        """(session year, chamber, SHORT NAME) -> memberId, for feeds that print names only."""
        out: dict[tuple[int, str, str], int] = {}
        dupes = set()
        for (member_id, year), row in self.sessions.items():
            chamber = self.members.get(member_id, {}).get("chamber", "")
            key = (year, chamber, row["short_name"].upper())
            if key in out and out[key] != member_id:
                dupes.add(key)
            out[key] = member_id
        for key in dupes:  # never guess between two members with one short name
            out.pop(key)
        return out


def _copy_value(v: str):
    return None if v == r"\N" else v


def parse_member_sql(text: str, tables: MemberTables | None = None) -> MemberTables:
    """Read the COPY blocks and literal session_member VALUES of one SQL file into `tables`."""
    tables = tables or MemberTables()
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = _COPY.match(lines[i])
        i += 1
        if not m:
            continue
        table, cols = m.group(1), [c.strip() for c in m.group(2).split(",")]
        while i < len(lines) and lines[i] != r"\.":
            row = dict(zip(cols, map(_copy_value, lines[i].split("\t"))))
            i += 1
            if table == "person":
                tables.persons[int(row["id"])] = row
            elif table == "member":
                tables.members[int(row["id"])] = {**row, "person_id": int(row["person_id"])}
            elif table == "session_member":
                tables.sessions[(int(row["member_id"]), int(row["session_year"]))] = {
                    "id": row["id"], "short_name": row["lbdc_short_name"] or "",
                    "district": row["district_code"]}
    for block in _SESSION_INSERT.finditer(text):
        body = block.group(1)
        if "SELECT id from m" in body:
            tables.skipped += 1
            continue
        for member_id, short, year, district in _VALUES.findall(body):
            tables.sessions.setdefault((int(member_id), int(year)), {
                "id": None, "short_name": short.replace("''", "'"), "district": district})
    return tables


def legislator_dicts(tables: MemberTables, source: str, fmt: str) -> list[dict]:
    """One legislator dict per person, with every memberId / sessionMemberId and a role per session."""
    by_person: dict[int, list[int]] = {}
    for member_id, m in tables.members.items():
        by_person.setdefault(m["person_id"], []).append(member_id)
    out = []
    for person_id, member_ids in sorted(by_person.items()):
        p = tables.persons.get(person_id, {})
        roles, session_ids = [], []
        for member_id in sorted(member_ids):
            chamber = {"senate": "upper", "assembly": "lower"}.get(tables.members[member_id]["chamber"])
            for (mid, year), row in sorted(tables.sessions.items()):
                if mid != member_id or chamber is None:
                    continue
                if row["id"]:
                    session_ids.append(row["id"])
                roles.append({"jurisdiction": "ny", "chamber": chamber,
                              "district": str(int(row["district"])) if row["district"] else None,
                              "start_date": dt.date(year, 1, 1), "end_date": dt.date(year + 1, 12, 31)})
        name = (p.get("full_name") or tables.members[member_ids[0]].get("full_name") or "").strip()
        ids = {"ny-member": [str(m) for m in sorted(member_ids)]}
        if session_ids:
            ids["ny-session-member"] = sorted(set(session_ids), key=int)
        out.append({
            "key": f"ny-member:{min(member_ids)}", "name": name or f"NY member {min(member_ids)}",
            "given_name": p.get("first_name"), "family_name": p.get("last_name"),
            "ids": ids, "roles": roles,
            "extras": {"ny_person_id": person_id, "img_name": p.get("img_name")},
            "source": {"url": source, "format": fmt}})
    return out
