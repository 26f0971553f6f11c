"""Bill lists and search results as CSV, with the filters of the page they come from.

A coalition's stance column shows only public positions unless the caller passes
`public_only=False` (staff logged in to that coalition); LegiScan's credit rides on each row that
owes it."""
from __future__ import annotations

import dataclasses

from sqlalchemy import select
from sqlmodel import Session

from tracker.bills.attribution import credit_text
from tracker.coalitions.csvout import to_csv
from tracker.models import Position
from tracker.search.query import SearchParams, search_page

EXPORT_MAX = 5000   # rows in one export; the file says when there were more
FIELDS = ("key", "jurisdiction", "session", "identifier", "title", "stage", "introduced_date",
          "latest_action_date", "latest_action_text", "issue_areas")


def bills_csv(db: Session, p: SearchParams, *, coalition_id: int | None = None, public_only: bool = True,
              tag_statuses: tuple[str, ...] = ("suggested", "confirmed")) -> tuple[str, int, bool]:
    """(csv text, rows, truncated) for every bill the search matches, up to EXPORT_MAX."""
    p = dataclasses.replace(p, limit=EXPORT_MAX, offset=0)
    page = search_page(db, p, coalition_id=coalition_id, public_only=public_only, tag_statuses=tag_statuses)
    header = list(FIELDS)
    stances: dict[str, Position] = {}
    if coalition_id is not None:
        header += ["position", "position_public"]
        q = select(Position).where(Position.coalition_id == coalition_id,
                                   Position.bill_key.in_([b.key for b in page.items] or [""]))
        if public_only:
            q = q.where(Position.public.is_(True))   # a private stance never leaves in a public file
        stances = {pos.bill_key: pos for pos in db.execute(q).scalars()}
    header.append("credit")
    rows = []
    for b in page.items:
        row = [b.key, b.jurisdiction, b.session, b.identifier, b.title, b.stage, b.introduced_date,
               b.latest_action_date, b.latest_action_text, "; ".join(t.slug for t in b.issue_areas)]
        if coalition_id is not None:
            pos = stances.get(b.key)
            row += [pos.stance if pos else None, pos.public if pos else None]
        rows.append(row + [credit_text(b.attribution)])
    return to_csv(header, rows), len(rows), page.total > len(rows)
