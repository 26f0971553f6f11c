"""`tracker.store.keyed` and `tracker.store.statements`: rows read, updated and deleted by their
integer keys are the rows SQLAlchemy's own statements give, on SQLite and PostgreSQL (where
the keys travel as one array and the new values through a work table)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from tests.test_rows import _bill
from tracker.models import Sponsorship
from tracker.store import keyed
from tracker.store.keyed import delete_keys, key_filters, update_rows
from tracker.store.statements import run_batch

T = Sponsorship.__table__
COLUMNS = ("name", "primary", "date", "person_ids", "withdrawn_date")


def _rows(conn, n: int = 4) -> list[int]:
    bill_id = _bill(conn)
    return list(conn.execute(insert(T).returning(T.c.id), [
        {"bill_id": bill_id, "natural_key": f"k{i}", "position": i, "name": f"Member {i}", "primary": i == 0,
         "classification": "cosponsor", "person_ids": {"n": i}, "entity_type": "person"} for i in range(n)]).scalars())


def _dump(conn) -> list[tuple]:
    return [tuple(r) for r in conn.execute(select(T).order_by(T.c.id))]


def test_update_rows_stores_what_an_sqlalchemy_update_stores(engine):
    """Text with quotes, booleans, dates, NULLs, JSON; a key that is not stored is ignored."""
    with engine.connect() as conn:
        ids = _rows(conn)
        changes = [(ids[1], "Rep. Ña \"Q\"; DROP", True, dt.date(2025, 1, 2), {"bioguide": "X1", "l": [1, None]}, None),
                   (ids[3], "Sen. B", False, None, {}, dt.date(2025, 2, 3)),
                   (10**6, "nobody", True, None, {}, None)]
        savepoint = conn.begin_nested()
        for key, *values in changes:
            conn.execute(update(T).where(T.c.id == key).values(dict(zip(COLUMNS, values))))
        expected = _dump(conn)
        savepoint.rollback()
        assert _dump(conn) != expected  # the comparison below can fail
        update_rows(conn, T, "id", COLUMNS, changes)
        assert _dump(conn) == expected
        conn.rollback()


def test_plain_columns_go_in_binary_and_store_what_an_update_stores(engine):
    """Without a JSON column every value has a binary form (PostgreSQL copies them in binary):
    text, booleans, dates, integers, floats (an int among them), NULLs."""
    plain = ("name", "primary", "date", "position", "match_confidence", "match_method")
    with engine.connect() as conn:
        ids = _rows(conn)
        changes = [(ids[0], "Rep. Ña \"Q\"\t\\n", False, dt.date(2024, 12, 31), 7, 0.25, "name"),
                   (ids[2], "Sen. C", True, None, -3, 1, None)]
        savepoint = conn.begin_nested()
        for key, *values in changes:
            conn.execute(update(T).where(T.c.id == key).values(dict(zip(plain, values))))
        expected = _dump(conn)
        savepoint.rollback()
        assert _dump(conn) != expected
        update_rows(conn, T, "id", plain, changes)
        assert _dump(conn) == expected
        if conn.dialect.name == "postgresql":
            work = [name for name in conn.connection.info["edtracker_work_types"] if "sponsorship" in name]
            assert any(conn.connection.info["edtracker_work_types"][name] for name in work)
        conn.rollback()


def test_the_work_table_is_empty_for_every_call(engine):
    """PostgreSQL keeps the work table for the connection: a second call in the same transaction,
    and a call in the next one, must not apply the values of an earlier call again."""
    with engine.connect() as conn:
        a, b, *_ = _rows(conn)
        update_rows(conn, T, "id", ["name"], [(a, "first")])
        conn.execute(update(T).where(T.c.id == a).values(name="edited"))
        update_rows(conn, T, "id", ["name"], [(b, "second")])
        conn.commit()
        conn.execute(update(T).where(T.c.id == b).values(name="edited too"))
        update_rows(conn, T, "id", ["position"], [(a, 9)])
        names = dict(conn.execute(select(T.c.id, T.c.name).where(T.c.id.in_([a, b]))).all())
        assert names == {a: "edited", b: "edited too"}
        assert conn.execute(select(T.c.position).where(T.c.id == a)).scalar_one() == 9
        conn.execute(delete(T))
        conn.commit()


def test_an_update_breaking_a_constraint_is_sqlalchemys_error(engine):
    with engine.connect() as conn:
        ids = _rows(conn, 2)
        with pytest.raises(IntegrityError):
            update_rows(conn, T, "id", ["name"], [(ids[0], None)])  # name is NOT NULL
        conn.rollback()


def test_key_filters_and_delete_keys_cover_every_key(engine, monkeypatch):
    """More keys than a chunk (SQLite's IN lists) and keys that match nothing."""
    monkeypatch.setattr(keyed, "CHUNK", 3)
    with engine.connect() as conn:
        ids = _rows(conn, 8)
        wanted = ids[:7] + [10**6, 10**6 + 1]
        conds = list(key_filters(conn, T.c.id, wanted))
        assert len(conds) == (1 if conn.dialect.name == "postgresql" else 3)
        found = sorted(i for cond in conds for i in conn.execute(select(T.c.id).where(cond)).scalars())
        assert found == sorted(ids[:7])
        assert list(key_filters(conn, T.c.id, [])) == []
        delete_keys(conn, T, "id", [ids[0], ids[5], 10**6])
        assert sorted(conn.execute(select(T.c.id)).scalars()) == sorted(set(ids) - {ids[0], ids[5]})
        conn.rollback()


def test_run_batch_runs_every_statement_in_order(engine):
    with engine.connect() as conn:
        run_batch(conn, ["CREATE TEMP TABLE batch_probe (n INTEGER)", "INSERT INTO batch_probe VALUES (1)",
                         "UPDATE batch_probe SET n = n + 1", "INSERT INTO batch_probe VALUES (7)"])
        assert sorted(conn.execute(text("SELECT n FROM batch_probe")).scalars()) == [2, 7]
        with pytest.raises(DBAPIError, match="no_such_table"):
            run_batch(conn, ["SELECT 1", "DELETE FROM no_such_table"])
        conn.rollback()
