"""Open States bulk CSV (one zip per state session, no key): a bundle format.

Layout `{ST}/{session}/{ST}_{session}_{table}.csv` with tables bills, bill_actions,
bill_sponsorships, bill_versions (+ bill_version_links), bill_sources, votes, vote_people,
vote_counts and organizations (shape in ../shared/docs/sources.md). Array columns
(classification, subject, motion_classification) are Python list literals (`['bill']`): read
with `ast.literal_eval`, never `eval`. Rows are regrouped into the API's bill shape and share
its parser (`scrapers.formats.openstates_api`).
"""
from __future__ import annotations

import ast
import csv
import io
import re
from collections import defaultdict
from typing import Iterator

from scrapers.formats.base import Item, Tree
from scrapers.formats.openstates_api import bill_records
from tracker.contract import RecordError

FMT = "openstates-csv"
_BILLS = re.compile(r"(?:^|/)([A-Z]{2})_([^/]+)_bills\.csv$")
TABLES = ("bills", "bill_actions", "bill_sponsorships", "bill_versions", "bill_version_links",
          "bill_sources", "votes", "vote_people", "vote_counts", "organizations")


class BadCell(ValueError):
    def __init__(self, column: str, problem: str):
        super().__init__(problem)
        self.column = column


def py_list(value: str | None, column: str) -> list:
    """A Python list literal cell (`['bill', 'resolution']`); empty cell = empty list."""
    if value is None or not value.strip():
        return []
    try:
        parsed = ast.literal_eval(value.strip())
    except (ValueError, SyntaxError) as exc:
        raise BadCell(column, f"not a Python list literal: {value[:60]!r} ({type(exc).__name__})") from None
    if not isinstance(parsed, (list, tuple)):
        raise BadCell(column, f"expected a list, got {type(parsed).__name__}: {value[:60]!r}")
    return [str(x) for x in parsed]


def int_cell(value: str | None, column: str) -> int:
    """A whole-number cell; empty = 0."""
    try:
        return int(value or 0)
    except ValueError:
        raise BadCell(column, f"not a whole number: {str(value)[:60]!r}") from None


def _truthy(value: str | None) -> bool:
    return str(value or "").strip().lower() in ("true", "t", "1", "yes")


class OpenStatesCSV:
    """Bundle format: claims the CSV tables of each state session found in a tree."""

    name = FMT
    priority = 25

    def claim(self, tree: Tree) -> list[str]:
        names = tree.names()
        claimed = []
        for name in names:
            m = _BILLS.search(name)
            if not m:
                continue
            prefix = name[: -len("bills.csv")]
            claimed.extend(f"{prefix}{t}.csv" for t in TABLES if f"{prefix}{t}.csv" in names)
        return claimed

    def parse_tree(self, tree: Tree, names: list[str]) -> Iterator[Item]:
        for name in sorted(n for n in names if _BILLS.search(n)):
            prefix = name[: -len("bills.csv")]
            yield from self._session(tree, prefix, set(names))

    def _read(self, tree: Tree, name: str) -> list[dict]:
        text = tree.read(name).decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))

    def _session(self, tree: Tree, prefix: str, names: set[str]) -> Iterator[Item]:
        m = _BILLS.search(prefix + "bills.csv")
        state, session_from_path = m.group(1).lower(), m.group(2)
        tables = {}
        for table in TABLES:
            name = f"{prefix}{table}.csv"
            if name in names:
                try:
                    tables[table] = self._read(tree, name)
                except (UnicodeDecodeError, csv.Error, OSError) as exc:
                    yield RecordError(tree.source(name), None, None, f"cannot read CSV: {exc}")
                    tables[table] = []
            else:
                tables[table] = []
        orgs = {o["id"]: {"id": o["id"], "name": o.get("name"), "classification": o.get("classification")}
                for o in tables["organizations"] if o.get("id")}
        by_bill: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for table in ("bill_actions", "bill_sponsorships", "bill_versions", "bill_sources", "votes"):
            for row in tables[table]:
                by_bill[row.get("bill_id", "")][table].append(row)
        links = defaultdict(list)
        for row in tables["bill_version_links"]:
            links[row.get("version_id")].append({"url": row.get("url"), "media_type": row.get("media_type")})
        vote_rows = defaultdict(lambda: defaultdict(list))
        for table in ("vote_people", "vote_counts"):
            for row in tables[table]:
                vote_rows[row.get("vote_event_id", "")][table].append(row)
        bills_name = prefix + "bills.csv"
        for lineno, row in enumerate(tables["bills"], start=2):
            source = f"{tree.source(bills_name)}:{lineno}"
            try:
                obj = self._bill(row, state, session_from_path, by_bill[row.get("id", "")], orgs, links,
                                 vote_rows)
            except BadCell as exc:
                yield RecordError(source, row.get("identifier") or row.get("id"), exc.column, str(exc))
                continue
            yield from bill_records(obj, source, FMT)

    @staticmethod
    def _bill(row, state, session, children, orgs, links, vote_rows) -> dict:
        org_of = lambda oid: orgs.get(oid or "", {"classification": None, "name": None})  # noqa: E731
        origin = row.get("organization_classification") or org_of(row.get("organization_id")).get("classification")
        actions = []
        for a in children["bill_actions"]:
            actions.append({"id": a.get("id"), "organization": org_of(a.get("organization_id")),
                            "description": a.get("description"), "date": a.get("date"),
                            "classification": py_list(a.get("classification"), "bill_actions.classification"),
                            "order": int_cell(a.get("order"), "bill_actions.order")})
        sponsors = [{"name": s.get("name"), "entity_type": s.get("entity_type") or "person",
                     "person_id": s.get("person_id") or None, "primary": _truthy(s.get("primary")),
                     "classification": s.get("classification")} for s in children["bill_sponsorships"]]
        versions = [{"note": v.get("note"), "date": v.get("date"), "links": links.get(v.get("id")) or [{}]}
                    for v in children["bill_versions"]]
        votes = []
        for v in children["votes"]:
            people = vote_rows[v.get("id", "")]
            votes.append({
                "id": v.get("id"), "identifier": v.get("identifier"), "motion_text": v.get("motion_text"),
                "motion_classification": py_list(v.get("motion_classification"), "votes.motion_classification"),
                "start_date": v.get("start_date"), "result": v.get("result"),
                "organization": org_of(v.get("organization_id")),
                "votes": [{"option": p.get("option"), "voter_name": p.get("voter_name"),
                           "voter_id": p.get("voter_id") or None, "note": p.get("note")}
                          for p in people["vote_people"]],
                "counts": [{"option": c.get("option"), "value": int_cell(c.get("value"), "vote_counts.value")}
                           for c in people["vote_counts"]]})
        return {
            "id": row.get("id"), "identifier": row.get("identifier"), "title": row.get("title"),
            "jurisdiction": {"id": row["jurisdiction"] if str(row.get("jurisdiction", "")).startswith(
                "ocd-jurisdiction/") else f"ocd-jurisdiction/country:us/state:{state}/government"},
            "session": row.get("session_identifier") or row.get("legislative_session") or session,
            "classification": py_list(row.get("classification"), "bills.classification"),
            "subject": py_list(row.get("subject"), "bills.subject"),
            "from_organization": {"classification": origin},
            "first_action_date": row.get("first_action_date") or None,
            "actions": actions, "sponsorships": sponsors, "versions": versions, "votes": votes,
            "sources": [{"url": s.get("url")} for s in children["bill_sources"]],
            "updated_at": row.get("updated_at")}


FORMAT = OpenStatesCSV()
