"""Open States API v3 bills, per jurisdiction and session, incremental via `updated_since`.

Scope (EDTRACKER_OPENSTATES_SCOPE): "education" lists bills matching the per-jurisdiction
filters (EDTRACKER_OPENSTATES_FILTERS, `subject` / `q`) plus every bill a coalition follows
(a `position` row); "all" lists every bill of the session (needs a paid key or the bulk CSV).
Each bill comes with sponsorships, abstracts, other_titles, actions, sources, versions, votes
and related_bills. Budget, resume and stats: see openstates_base.py.

`scrapy crawl openstates_bills [-a jurisdictions=ca,ny] [-a budget=50] [-a base_url=http://mirror]`
"""
from __future__ import annotations

from sqlmodel import Session, select

from scrapers.spiders.openstates_base import OpenStatesSpider, Task
from tracker.db import get_engine
from tracker.bills.keys import bill_key
from tracker.jurisdictions.sessions import canonical_session


def ocd_jurisdiction(juris: str) -> str:
    kind = "territory" if juris == "pr" else ("district" if juris == "dc" else "state")
    return f"ocd-jurisdiction/country:us/{kind}:{juris}/government"


class OpenStatesBillsSpider(OpenStatesSpider):
    name = "openstates_bills"
    needs_sessions = True
    includes = ("sponsorships", "abstracts", "other_titles", "actions", "sources", "versions",
                "votes", "related_bills")

    def tasks(self) -> list[Task]:
        tasks = []
        followed = self.followed_bills()
        for juris in self.jurisdictions:
            session = self.sessions.get(juris)
            if not session:
                continue
            base = [("jurisdiction", ocd_jurisdiction(juris)), ("session", session), ("sort", "updated_asc")]
            if self.app.openstates_scope == "all":
                tasks.append(Task(f"bills:{juris}:{session}:all", "bills", base, "bills", session, True))
            else:
                filters = self.app.openstates_filters.get(juris) or self.app.openstates_filters.get("*") or {}
                label = ",".join(f"{k}={v}" for k, v in sorted(filters.items())) or "all"
                tasks.append(Task(f"bills:{juris}:{session}:{label}", "bills",
                                  base + sorted(filters.items()), "bills", session, True))
            ours = canonical_session(juris, session)
            for key, ident in followed.get(juris, []):
                if key == bill_key(juris, ours, ident):
                    tasks.append(Task(f"bill:{key}", "bills", base + [("identifier", ident)], "bills",
                                      session, True))
        return tasks

    def followed_bills(self) -> dict[str, list[tuple[str, str]]]:
        """Bills some coalition holds a position on: (key, identifier) per jurisdiction."""
        if self.app.openstates_scope == "all":
            return {}
        try:
            from tracker.models import Bill, Position
        except ImportError:  # coalitions not installed in this build
            return {}
        url = self.settings.get("EDTRACKER_DATABASE_URL") or None
        out: dict[str, list[tuple[str, str]]] = {}
        with Session(get_engine(url)) as db:
            rows = db.exec(select(Bill.key, Bill.identifier, Bill.jurisdiction_id)
                           .where(Bill.key.in_(select(Position.bill_key)))).all()
        for key, ident, juris in rows:
            out.setdefault(juris, []).append((key, ident))
        return out
