"""`tracker.store.rows`: rows written as tuples through the driver are the rows SQLAlchemy's own
INSERT writes, on SQLite and PostgreSQL; the engines' JSON text is `json.dumps`'s."""
from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from sqlalchemy import insert, select

from tracker.models import Bill, BillAction, LegislativeSession, Sponsorship
from tracker.store.rows import insert_dicts, insert_rows, json_dumps

VALUES = [{"a": [1, 2.5, None, True, False], "b": "é\u2028\"x\"\n", "c": {"d": math.inf, "e": -0.0}}, [], {},
          "plain", "", 0, -7, 1e300, None, [{"x": ["y", {}]}], {"1": 1, "z": [[]]}, "\ud83d\ude00 emoji"]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_json_text_is_json_dumps(value):
    assert json_dumps(value) == json.dumps(value)


def test_json_errors_are_json_dumps_errors_and_leave_no_trace():
    with pytest.raises(TypeError, match="not JSON serializable"):
        json_dumps({"when": dt.date(2025, 1, 1)})
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular"):
        json_dumps({"a": loop})
    # an object seen inside a failed call is not taken for a circular reference afterwards
    shared = {"k": [1]}
    with pytest.raises(TypeError):
        json_dumps([shared, object()])
    assert json_dumps([shared, shared]) == json.dumps([shared, shared])


def _bill(conn) -> int:
    session_id = conn.execute(select(LegislativeSession.id).where(LegislativeSession.jurisdiction_id == "us")).scalar()
    if session_id is None:
        session_id = conn.execute(insert(LegislativeSession.__table__).values(
            jurisdiction_id="us", identifier="119", name="119th Congress").returning(LegislativeSession.id)).scalar_one()
    return conn.execute(insert(Bill.__table__).values(
        key="us-119-hr-1", jurisdiction_id="us", session_id=session_id, identifier="H.R. 1",
        normalized_identifier="HR1", bill_type="bill", title="A bill", stage="introduced").returning(Bill.id)).scalar_one()


def _dump(conn, table, order) -> list[tuple]:
    return [tuple(r) for r in conn.execute(select(*[c for c in table.c if c.name != "id"]).order_by(*order))]


def test_insert_rows_stores_what_an_sqlalchemy_insert_stores(engine):
    """Dates, time stamps with zones, JSON, booleans, NULLs and a column named like an SQL
    keyword ("primary"), the same through both ways."""
    when = dt.datetime(2025, 3, 4, 5, 6, 7, 89, tzinfo=dt.timezone.utc)
    rows = [
        {"natural_key": "a", "position": 0, "name": "Rep. Ña \"Q\"", "primary": True, "classification": "sponsor",
         "date": dt.date(2025, 1, 2), "person_ids": {"bioguide": "X000001", "n": [1, None]}, "withdrawn_date": None},
        {"natural_key": "b", "position": 1, "name": "Sen. B", "primary": False, "classification": "cosponsor",
         "date": None, "person_ids": {}, "withdrawn_date": dt.date(2025, 2, 3)},
    ]
    actions = [{"natural_key": "x", "position": 0, "date": dt.date(2025, 1, 2), "description": "Introduced",
                "classification": ["introduction"], "extras": {"time": when.isoformat()}, "chamber": "lower", "actor": "lower"}]
    table, atable = Sponsorship.__table__, BillAction.__table__
    with engine.begin() as conn:
        bill_id = _bill(conn)
        conn.execute(insert(table), [dict(r, bill_id=bill_id) for r in rows])
        conn.execute(insert(atable), [dict(r, bill_id=bill_id) for r in actions])
        expected = _dump(conn, table, [table.c.natural_key]), _dump(conn, atable, [atable.c.natural_key])
        conn.execute(table.delete())
        conn.execute(atable.delete())
        insert_dicts(conn, table, [dict(r, bill_id=bill_id) for r in rows])
        columns = ["bill_id", *actions[0]]
        insert_rows(conn, atable, columns, [[bill_id, *r.values()] for r in actions])
        got = _dump(conn, table, [table.c.natural_key]), _dump(conn, atable, [atable.c.natural_key])
    assert got == expected
    assert got[0][0][table.c.keys().index("primary") - 1] is True


def test_insert_dicts_fills_missing_keys_from_defaults(engine):
    table = Sponsorship.__table__
    with engine.begin() as conn:
        bill_id = _bill(conn)
        insert_dicts(conn, table, [{"bill_id": bill_id, "natural_key": "a", "position": 0, "name": "A"},
                                   {"bill_id": bill_id, "natural_key": "b", "position": 1, "name": "B",
                                    "classification": "cosponsor"}],
                     {"classification": "sponsor", "primary": False, "person_ids": {}, "entity_type": "person"})
        got = conn.execute(select(table.c.natural_key, table.c.classification, table.c.primary, table.c.person_ids)
                           .order_by(table.c.natural_key)).all()
    assert [tuple(r) for r in got] == [("a", "sponsor", False, {}), ("b", "cosponsor", False, {})]


def test_a_broken_key_is_sqlalchemys_integrity_error(engine):
    """What the ingest reports as "conflicts with stored data" (`tracker.ingest.service._error`)."""
    from sqlalchemy.exc import IntegrityError

    table = Sponsorship.__table__
    with engine.connect() as conn:
        bill_id = _bill(conn)
        row = {"bill_id": bill_id, "natural_key": "a", "position": 0, "name": "A", "entity_type": "person"}
        insert_dicts(conn, table, [row])
        with pytest.raises(IntegrityError):
            insert_dicts(conn, table, [row])
        conn.rollback()


def test_rows_sent_run_the_block_and_answer_after_it(engine):
    """`rows_sent`: the block runs while the rows are written (on PostgreSQL, in pipeline mode),
    the rows are there after it, and a broken key is raised as SQLAlchemy's IntegrityError (on
    PostgreSQL once the block is over); the savepoint around it rolls back and the connection
    goes on."""
    from sqlalchemy.exc import IntegrityError

    from tracker.store.rows import prepare_dicts, rows_sent

    table = Sponsorship.__table__
    with engine.connect() as conn:
        bill_id = _bill(conn)
        rows = [{"bill_id": bill_id, "natural_key": k, "position": i, "name": k.upper(), "entity_type": "person",
                 "person_ids": {"bioguide": k.upper() + "000001", "n": [i, None]}} for i, k in enumerate("abc")]
        ran = []
        with rows_sent(conn, prepare_dicts(conn, table, rows)):
            ran.append(True)
        assert ran == [True]
        assert [tuple(r) for r in conn.execute(select(table.c.natural_key, table.c.person_ids)
                                               .order_by(table.c.natural_key))] == [
            (r["natural_key"], r["person_ids"]) for r in rows]
        savepoint = conn.begin_nested()
        with pytest.raises(IntegrityError):
            with rows_sent(conn, prepare_dicts(conn, table, [dict(rows[0], natural_key="d", position=3), rows[1]])):
                ran.append(True)
        # PostgreSQL answers after the block; elsewhere the rows are written (and fail) before it
        assert ran == ([True, True] if conn.dialect.name == "postgresql" else [True])
        savepoint.rollback()
        assert conn.execute(select(table.c.natural_key).order_by(table.c.natural_key)).scalars().all() == ["a", "b", "c"]
        conn.rollback()


def test_json_is_stored_as_the_same_text_all_three_ways(engine):
    """SQLAlchemy's INSERT, `insert_dicts` (COPY on PostgreSQL: the JSON encoded before, as
    text) and `rows_sent` (an INSERT casting that text) store the same JSON text."""
    from sqlalchemy import text

    from tracker.store.rows import prepare_dicts, rows_sent

    table = BillAction.__table__
    base = {"position": 0, "description": "d", "date": dt.date(2025, 1, 2), "actor": "lower",
            "classification": ["x", "y"], "extras": {"z": [1, 2.5, None, "é\u2028\"q\"\n\\\t"], "a": {"b": True}}}
    with engine.begin() as conn:
        bill_id = _bill(conn)
        conn.execute(insert(table), [dict(base, bill_id=bill_id, natural_key="insert")])
        insert_dicts(conn, table, [dict(base, bill_id=bill_id, natural_key="rows")])
        with rows_sent(conn, prepare_dicts(conn, table, [dict(base, bill_id=bill_id, natural_key="sent")])):
            pass
        got = conn.execute(text("SELECT natural_key, CAST(extras AS TEXT), CAST(classification AS TEXT) "
                                "FROM bill_action ORDER BY natural_key")).all()
    assert [r[0] for r in got] == ["insert", "rows", "sent"]
    assert len({tuple(r[1:]) for r in got}) == 1
    assert got[0][1] == json.dumps(base["extras"])
