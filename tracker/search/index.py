"""Keep `bill_search_doc` (and through it the FTS5 / GIN index) in step with the bills."""
from __future__ import annotations

import re
from typing import Any, Iterable

from sqlalchemy import inspect as sa_inspect, select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from tracker.models import Bill, BillAction, BillSearchDoc, Sponsorship
from tracker.models.base import utcnow
from tracker.store.rows import Prepared, prepare_dicts

_TAGS = re.compile(r"<[^>]+>")


def _doc_values(bill, actions: list[tuple[str, str | None]], sponsors: list[str]) -> dict:
    """`bill`: a Bill, a row of its columns or any object with them as attributes."""
    titles = [bill.title, *[t.get("title", "") for t in bill.titles or [] if isinstance(t, dict)]]
    committees = list(dict.fromkeys([*(bill.committees or []), *[c for _, c in actions if c]]))
    return {
        "title": " \n".join(dict.fromkeys(t for t in titles if t)),
        "summary": _TAGS.sub(" ", bill.summary or ""),
        "subjects": " \n".join([*(bill.subjects or []), *([bill.policy_area] if bill.policy_area else [])]),
        "actions": " \n".join(d for d, _ in actions),
        "committees": " \n".join(committees),
        "sponsors": " \n".join(sponsors),
    }


def _held(session: Session, ids: list[int]) -> dict[int, Bill] | None:
    """The bills when the session holds every one of them loaded (as just after ingesting one):
    no query, and none of their JSON columns decoded again."""
    bills = {}
    for bill_id in ids:
        obj = session.identity_map.get(session.identity_key(Bill, bill_id))
        if obj is None or sa_inspect(obj).expired_attributes:
            return None
        bills[bill_id] = obj
    return bills


def index_bills(session: Session, bill_ids: Iterable[int]) -> int:
    """Write the search documents of these bills (insert or update); returns how many changed."""
    ids = list(bill_ids)
    if not ids:
        return 0
    bills = _held(session, ids)
    if bills is None:  # only the columns a document reads: the others' JSON is not decoded
        bills = {b.id: b for b in session.execute(
            select(Bill.id, Bill.title, Bill.titles, Bill.summary, Bill.subjects, Bill.policy_area,
                   Bill.committees).where(Bill.id.in_(ids)))}
    actions: dict[int, list] = {}
    for bid, desc, committee in session.execute(
            select(BillAction.bill_id, BillAction.description, BillAction.committee)
            .where(BillAction.bill_id.in_(ids)).order_by(BillAction.bill_id, BillAction.position)):
        actions.setdefault(bid, []).append((desc, committee))
    sponsors: dict[int, list] = {}
    for bid, name in session.execute(select(Sponsorship.bill_id, Sponsorship.name)
                                     .where(Sponsorship.bill_id.in_(ids))
                                     .order_by(Sponsorship.bill_id, Sponsorship.position)):
        sponsors.setdefault(bid, []).append(name)
    docs = {d.bill_id: d for d in session.execute(
        select(BillSearchDoc).where(BillSearchDoc.bill_id.in_(ids))).scalars()}
    changed = 0
    for bid, bill in bills.items():
        values = _doc_values(bill, actions.get(bid, []), sponsors.get(bid, []))
        doc = docs.get(bid)
        if doc is None:
            session.add(BillSearchDoc(bill_id=bid, updated_at=utcnow(), **values))
        elif any(getattr(doc, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(doc, k, v)
            doc.updated_at = utcnow()
        else:
            continue
        changed += 1
    session.flush()
    return changed


def new_docs(conn: Connection, bills: list[tuple[int, Any, list[tuple[str, str | None]], list[str]]]) -> Prepared:
    """The documents of bills inserted just now, none of which has one, from the values in hand
    ((bill id, bill values, (description, committee) of its actions and its sponsors' names,
    both in stored order)), ready to be written (`tracker.store.rows`; the bulk path of new bills)."""
    now = utcnow()
    return prepare_dicts(conn, BillSearchDoc.__table__, [
        dict(_doc_values(bill, actions, sponsors), bill_id=bill_id, updated_at=now)
        for bill_id, bill, actions, sponsors in bills])


# session.info key of the bills a batch of records will index before it commits
DEFERRED = "edtracker_index_later"


def index_later(session: Session, bill_id: int) -> None:
    """Index the bill now, or with the others of the batch when the caller collects them
    (`session.info[DEFERRED]`, a set: see `tracker.ingest.service`)."""
    pending = session.info.get(DEFERRED)
    if pending is None:
        index_bills(session, [bill_id])
    else:
        pending.add(bill_id)


def reindex(engine: Engine, *, batch_size: int = 2000, only_missing: bool = False) -> int:
    """(Re)build the documents of every stored bill, or only of bills that have none yet."""
    with Session(engine) as session:
        query = select(Bill.id).order_by(Bill.id)
        if only_missing:
            query = query.where(Bill.id.not_in(select(BillSearchDoc.bill_id)))
        ids = list(session.execute(query).scalars())
        total = 0
        for i in range(0, len(ids), batch_size):
            total += index_bills(session, ids[i:i + batch_size])
            session.commit()
    return total
