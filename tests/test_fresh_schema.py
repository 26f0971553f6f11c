"""An empty database made from the models and stamped at the head (`upgrade`'s fast path) is the
database that replaying every migration makes: tables, columns, keys, indexes, full-text
objects, the version row and the reference rows, on SQLite and PostgreSQL."""
from __future__ import annotations


import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from tests.conftest import PG_URL, _pg_db
from tracker.db import alembic_config, get_engine, migration_head, upgrade


def _pg_empty():
    return _pg_db(None)


def _empty_databases(kind: str, tmp_path, names: tuple[str, ...]):
    """New, empty databases of one kind, one per name; dropped afterwards (a generator for fixtures)."""
    if kind == "sqlite":
        yield tuple(f"sqlite:///{tmp_path / (name + '.db')}" for name in names)
        return
    if not PG_URL:
        pytest.skip("PostgreSQL tests need EDTRACKER_TEST_POSTGRES_URL (./dev test starts a server)")
    made = [_pg_empty() for _ in names]
    yield tuple(url for url, _ in made)
    for _, drop in made:
        drop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def two_empty(request, tmp_path):
    """Two new, empty databases of one kind."""
    yield from _empty_databases(request.param, tmp_path, ("stamped", "migrated"))


def _schema(url: str) -> dict:
    """Everything a database holds that a migration could make, in comparable form."""
    engine = get_engine(url)
    insp = inspect(engine)
    out: dict = {}
    for table in sorted(insp.get_table_names()):
        cols = {c["name"]: (str(c["type"]), c["nullable"], str(c.get("default")), str(c.get("computed")))
                for c in insp.get_columns(table)}
        out[table] = {
            "columns": cols,
            "pk": sorted(insp.get_pk_constraint(table)["constrained_columns"]),
            "fks": sorted((tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]),
                           str(f.get("options"))) for f in insp.get_foreign_keys(table)),
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in insp.get_indexes(table)),
            "uniques": sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(table)),
            "checks": sorted(c["sqltext"] for c in insp.get_check_constraints(table)),
        }
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            # triggers, virtual tables, indexes the inspector does not list (expression, FTS)
            out["_objects"] = sorted(tuple(r) for r in conn.execute(text(
                "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('trigger', 'view') "
                "OR sql LIKE 'CREATE VIRTUAL%'")))
            # how a table is stored (score_cell is WITHOUT ROWID: one B-tree in its key's order)
            out["_without_rowid"] = sorted(name for name, sql in conn.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table'")) if "WITHOUT ROWID" in (sql or "").upper())
        else:
            out["_objects"] = sorted(tuple(r) for r in conn.execute(text(
                "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()")))
            out["_triggers"] = sorted(tuple(r) for r in conn.execute(text(
                "SELECT event_object_table, trigger_name, action_statement FROM information_schema.triggers")))
            out["_generated"] = sorted(tuple(r) for r in conn.execute(text(
                "SELECT table_name, column_name, generation_expression, column_default "
                "FROM information_schema.columns WHERE table_schema = current_schema()")))
            out["_storage"] = sorted((r[0], sorted(r[1])) for r in conn.execute(text(
                "SELECT relname, reloptions FROM pg_class WHERE relnamespace = current_schema()::regnamespace"
                " AND reloptions IS NOT NULL")))
            out["_sequences"] = sorted(r[0] for r in conn.execute(text(
                "SELECT sequence_name FROM information_schema.sequences "
                "WHERE sequence_schema = current_schema()")))
    return out


def _rows(url: str) -> dict:
    """Every row of every table (the version row and the reference data)."""
    engine = get_engine(url)
    out = {}
    with engine.connect() as conn:
        for table in sorted(inspect(engine).get_table_names()):
            if table.startswith(("bill_fts", "bill_text_fts")):
                continue  # FTS5's own shadow tables (their content follows the content tables)
            rows = conn.execute(text(f'SELECT * FROM "{table}"')).mappings().all()
            out[table] = sorted(repr(sorted((k, v) for k, v in r.items()
                                            if k not in ("created_at", "updated_at"))) for r in rows)
    return out


def test_migration_head_is_alembics_head():
    assert migration_head() == ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def test_stamped_fresh_database_equals_migrated_one(two_empty):
    stamped, migrated = two_empty
    upgrade(stamped)
    upgrade(migrated, replay=True)
    a, b = _schema(stamped), _schema(migrated)
    assert set(a) == set(b), f"tables differ: {set(a) ^ set(b)}"
    for name in a:
        assert a[name] == b[name], f"{name} differs"
    assert len(a) > 50 and "alembic_version" in a
    rows_a, rows_b = _rows(stamped), _rows(migrated)
    assert rows_a == rows_b
    assert rows_a["alembic_version"] == [repr([("version_num", migration_head())])]
    assert len(rows_a["jurisdiction"]) > 50


def _indexes(engine) -> set[str]:
    with engine.connect() as conn:
        return {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'"))}


def test_upgrade_at_head_leaves_database_alone_and_older_ones_migrate(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    upgrade(url, revision="0030_api_budget_ledger")  # an older revision: Alembic's path
    engine = get_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0030_api_budget_ledger"
    assert "ix_score_cell_item_id" in _indexes(engine)  # dropped by 0031
    upgrade(url)  # not empty, not at the head: the remaining migration runs
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == migration_head()
    assert "ix_score_cell_item_id" not in _indexes(engine)
    upgrade(url)  # at the head: nothing to do, still right
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM jurisdiction")).scalar() > 50


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def one_empty(request, tmp_path):
    """A new, empty database."""
    for (url,) in _empty_databases(request.param, tmp_path, ("cells",)):
        yield url


def _cells(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT item_id, cell_ref, legislator_id, raw_name, option, rule_id, agreement, weight, points, eligible"
            " FROM score_cell ORDER BY item_id, cell_ref"))]


def test_cells_are_kept_when_their_row_id_goes_and_comes_back(one_empty):
    """0037: score_cell loses its row id, keyed by (item_id, cell_ref) (WITHOUT ROWID on SQLite),
    and the stored cells stay; the downgrade gives ids back and keeps them too."""
    from alembic import command
    url = one_empty
    upgrade(url, revision="0036_vote_event_record_hash")
    engine = get_engine(url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO score_cell (scorecard_id, item_id, cell_ref, legislator_id, raw_name, option, rule_id,"
            " agreement, weight, points, eligible) VALUES (1, 10, 5, 5, 'Ann Adams', 'yes', 1, 1.0, 2.0, 2.0, TRUE),"
            " (1, 10, -7, NULL, 'Smithers', 'no', 2, NULL, 2.0, 0.0, FALSE), (1, 11, 5, 5, NULL, 'absent', 3, 0.0,"
            " 1.0, 0.0, TRUE)"))
    before = _cells(engine)
    upgrade(url)
    insp = inspect(get_engine(url))
    assert "id" not in {c["name"] for c in insp.get_columns("score_cell")}
    assert insp.get_pk_constraint("score_cell")["constrained_columns"] == ["item_id", "cell_ref"]
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'score_cell'")).scalar()
        assert "WITHOUT ROWID" in sql.upper()
    assert _cells(engine) == before
    with engine.begin() as conn:  # the key still refuses a second cell of a legislator on an item
        with pytest.raises(Exception):
            with conn.begin_nested():
                conn.execute(text("INSERT INTO score_cell (scorecard_id, item_id, cell_ref, rule_id, weight, points,"
                                  " eligible) VALUES (1, 10, 5, 1, 1.0, 1.0, TRUE)"))
    command.downgrade(alembic_config(url), "0036_vote_event_record_hash")
    engine.dispose()
    engine = get_engine(url)
    assert "id" in {c["name"] for c in inspect(engine).get_columns("score_cell")}
    assert _cells(engine) == before
