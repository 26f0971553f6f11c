"""Coalition files: load twice = no change, export loads back unchanged, invalid files are
rejected whole with line-precise errors."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from tracker.coalitions.loader import export_coalition, load_coalition
from tracker.coalitions.schema import CoalitionFileError, parse_coalition_file
from tracker.models import Coalition, IssueArea, Position, PositionHistory

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "coalitions" / "example.yaml"


def _count(engine, model) -> int:
    with Session(engine) as db:
        return db.execute(select(func.count()).select_from(model)).scalar_one()


def test_load_twice_changes_nothing(engine):
    slug, first = load_coalition(engine, EXAMPLE)
    assert slug == "fair-schools" and first["positions_changed"] == 2
    counts = {m: _count(engine, m) for m in (Coalition, IssueArea, Position, PositionHistory)}
    _, second = load_coalition(engine, EXAMPLE)
    assert not any(second.values()), second
    assert {m: _count(engine, m) for m in counts} == counts
    with Session(engine) as db:
        areas = {a.slug: a.name for a in db.execute(select(IssueArea).where(IssueArea.coalition_id.is_not(None))).scalars()}
    assert "higher-education" not in areas and areas["immigrant-families"] == "Immigrant families"
    assert areas["charter-schools"] == "Charter school accountability and authorizing"


def test_export_loads_back_as_a_noop(engine, tmp_path):
    load_coalition(engine, EXAMPLE)
    with Session(engine) as db:
        text = export_coalition(db, "fair-schools")
    out = tmp_path / "exported.yaml"
    out.write_text(text)
    _, changes = load_coalition(engine, out)
    assert not any(changes.values()), changes


def test_position_change_is_kept_as_history(engine, tmp_path):
    load_coalition(engine, EXAMPLE)
    changed = tmp_path / "changed.yaml"
    changed.write_text(EXAMPLE.read_text().replace("stance: watching", "stance: oppose"))
    _, changes = load_coalition(engine, changed)
    assert changes == {"positions_changed": 1}
    with Session(engine) as db:
        hist = db.execute(select(PositionHistory).where(PositionHistory.bill_key == "us-119-hr6")
                          .order_by(PositionHistory.id)).scalars().all()
    assert [(h.previous_stance, h.stance) for h in hist] == [(None, "watching"), ("watching", "oppose")]


BAD = """\
version: 1
coalition:
  slug: Bad Slug
  name: Example
issue_areas:
  drop: [no-such-area]
positions:
  - bill: us-119-hr5
    stance: love
  - bill: us-119-hr5
    stance: support
    colour: blue
"""


def test_invalid_file_lists_every_error_with_its_line(engine, tmp_path):
    with pytest.raises(CoalitionFileError) as exc:
        parse_coalition_file(BAD, "bad.yaml")
    lines = {(line, path) for line, _, path, _ in exc.value.errors}
    assert (3, "coalition.slug") in lines
    assert (9, "positions.0.stance") in lines
    assert (12, "positions.1.colour") in lines
    assert all(text.startswith("bad.yaml:") for text in exc.value.lines())
    # Shape is fine but references are not: cross-checks also name lines.
    fixed = BAD.replace("Bad Slug", "ok").replace("love", "oppose").replace("    colour: blue\n", "")
    with pytest.raises(CoalitionFileError) as exc:
        parse_coalition_file(fixed, "bad.yaml")
    assert {(line, path) for line, _, path, _ in exc.value.errors} == {
        (6, "issue_areas.drop.0"), (10, "positions.1.bill")}
    # Nothing was written.
    bad = tmp_path / "bad.yaml"
    bad.write_text(fixed)
    with pytest.raises(CoalitionFileError):
        load_coalition(engine, bad)
    assert _count(engine, Coalition) == 0


def test_yaml_syntax_error_has_a_line():
    with pytest.raises(CoalitionFileError) as exc:
        parse_coalition_file("coalition:\n  slug: x\n  name: [unclosed\n", "broken.yaml")
    assert exc.value.errors[0][0] in (3, 4)
