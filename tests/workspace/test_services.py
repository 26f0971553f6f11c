"""The workspace's service layer (tracker.coalitions.positions, members, watchlist and
tracker.search.export) on SQLite and PostgreSQL, on the real Mississippi 2013 bills."""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from tests.workspace import world as w
from tracker.coalitions.csvout import cell
from tracker.coalitions.members import (create_member, matrix, matrix_csv, member_of,
                                        member_view)
from tracker.coalitions.positions import (PositionError, history_csv, position_history, positions,
                                          set_member_stance, set_position)
from tracker.coalitions.watchlist import unwatch, watch, watchlist, watchlist_csv
from tracker.models import Coalition, MemberOrganization, Position, PositionHistory, StaffUser
from tracker.search.export import bills_csv
from tracker.search.query import SearchParams


@pytest.fixture
def ids(engine):
    return w.build(engine)


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_set_position_records_each_change_with_who_and_what_before(engine, ids):
    with Session(engine) as db:
        co = db.get(Coalition, ids["coalition"])
        _, changed = set_position(db, co, w.HB, "support", False, "Draft view", 1, w.EDITOR)
        assert changed
        _, again = set_position(db, co, w.HB, "support", False, "Draft view", 1, w.EDITOR)
        assert not again   # nothing changed: no history row
        set_position(db, co, w.HB, "oppose", True, "Board voted", 3, w.ADMIN)
        set_position(db, ids["coalition"], w.HB, "oppose", False, "Board voted", 3, actor="key:ab12")
        db.commit()
        hist = position_history(db, co, w.HB)
        assert [(c.who, c.from_stance, c.to_stance, c.from_public, c.to_public) for c in hist] == [
            ("key:ab12", "oppose", "oppose", True, False),
            (w.ADMIN, "support", "oppose", False, True),
            (w.EDITOR, None, "support", None, False)]
        assert hist[1].from_priority == 1 and hist[1].to_priority == 3 and hist[1].rationale_changed
        assert not hist[0].rationale_changed
        n = db.execute(select(func.count()).select_from(PositionHistory)).scalar_one()
        assert n == 3
        pos = db.execute(select(Position)).scalar_one()
        assert (pos.stance, pos.public, pos.set_by) == ("oppose", False, "key:ab12")


def test_the_old_keyword_form_still_works(engine, ids):
    """The coalition file loader and the JSON API call set_position(..., stance=, by=), with the
    API's bounds (priority -1000 to 1000, rationale up to 10,000 characters)."""
    with Session(engine) as db:
        pos, _ = set_position(db, ids["coalition"], w.SB, stance="neutral", public=True, by="yaml:edfund.yaml")
        assert pos.set_by == "yaml:edfund.yaml"
        pos, _ = set_position(db, ids["coalition"], w.SB, stance="oppose", priority=-1000, rationale="x" * 10_000,
                              by="key:ab12")
        assert (pos.priority, len(pos.rationale)) == (-1000, 10_000)


@pytest.mark.parametrize("args,field", [
    (("maybe", False, None, 0), "stance"),
    (("support", False, None, 1001), "priority"),
    (("support", False, None, -1001), "priority"),
    (("support", False, None, "2"), "priority"),
    (("support", False, "x" * 10_001, 0), "rationale"),
])
def test_bad_input_names_the_field_and_writes_nothing(engine, ids, args, field):
    with Session(engine) as db:
        with pytest.raises(PositionError) as err:
            set_position(db, ids["coalition"], w.HB, *args, actor=w.EDITOR)
        assert err.value.field == field
        db.commit()
        assert db.execute(select(func.count()).select_from(PositionHistory)).scalar_one() == 0
        assert db.execute(select(func.count()).select_from(Position)).scalar_one() == 0


def test_history_of_one_coalition_never_shows_another(engine, ids):
    with Session(engine) as db:
        set_position(db, ids["coalition"], w.HB, "support", True, "ours", 0, w.EDITOR)
        set_position(db, ids["other"], w.HB, "oppose", False, "theirs", 0, w.OTHER_ADMIN)
        db.commit()
        assert [c.rationale for c in position_history(db, ids["coalition"])] == ["ours"]
        assert [r.position.rationale for r in positions(db, ids["other"])] == ["theirs"]


def test_history_csv_has_every_change_and_defuses_formulas(engine, ids):
    with Session(engine) as db:
        set_position(db, ids["coalition"], w.HB, "support", False, "=HYPERLINK(\"http://x\")", 0, w.EDITOR)
        set_position(db, ids["coalition"], w.HB, "oppose", True, "-2 votes short", 2, w.ADMIN)
        db.commit()
        out = rows(history_csv(position_history(db, ids["coalition"])))
    assert [(r["changed_by"], r["from_stance"], r["to_stance"], r["to_public"]) for r in out] == [
        (w.ADMIN, "support", "oppose", "yes"), (w.EDITOR, "", "support", "no")]
    assert out[1]["rationale"] == "'=HYPERLINK(\"http://x\")" and out[0]["rationale"] == "'-2 votes short"
    assert cell("-3.5") == "-3.5" and cell(None) == ""


def test_member_organizations_and_who_acts_for_them(engine, ids):
    with Session(engine) as db:
        with pytest.raises(PositionError) as err:
            create_member(db, ids["coalition"], name="Parents again", slug="parents")
        assert (err.value.field, err.value.code) == ("slug", "slug_taken")
        with pytest.raises(PositionError) as err:
            create_member(db, ids["coalition"], name="Bad", slug="Not A Slug!")
        assert err.value.field == "slug"
        # The same short name in another coalition is another organization.
        other = create_member(db, ids["other"], name="Parents (other)", slug="parents")
        user = db.execute(select(StaffUser).where(StaffUser.email == w.PARENTS)).scalar_one()
        assert (user.role, member_of(db, user).slug) == ("member", "parents")
        staff = db.execute(select(StaffUser).where(StaffUser.email == w.ADMIN)).scalar_one()
        assert member_of(db, staff) is None
        # A member login pointing at another coalition's organization acts for nobody.
        user.member_id = other.id
        assert member_of(db, user) is None


def test_a_member_sees_public_positions_and_its_own_notes_only(engine, ids):
    with Session(engine) as db:
        set_position(db, ids["coalition"], w.HB, "support", True, "public reason", 0, w.EDITOR)
        set_position(db, ids["coalition"], w.SB, "oppose", False, "SECRET reason", 0, w.EDITOR)
        set_member_stance(db, ids["coalition"], ids["teachers"], w.SB, stance="support", note="TEACHERS NOTE")
        set_member_stance(db, ids["coalition"], ids["parents"], w.HB, stance="oppose", note="our note", by=w.PARENTS)
        db.commit()
        view = member_view(db, db.get(MemberOrganization, ids["parents"]))
    assert [(r.bill_key, r.coalition_stance, r.stance, r.note) for r in view] == [
        (w.HB, "support", "oppose", "our note")]   # SB: private position, no stance of ours


def test_the_matrix_marks_differences_and_opposite_sides(engine, ids):
    with Session(engine) as db:
        set_position(db, ids["coalition"], w.HB, "support", True, None, 0, w.EDITOR)
        set_position(db, ids["coalition"], w.SB, "oppose", False, None, 0, w.EDITOR)
        set_member_stance(db, ids["coalition"], ids["parents"], w.HB, stance="oppose")
        set_member_stance(db, ids["coalition"], ids["teachers"], w.HB, stance="support_if_amended")
        set_member_stance(db, ids["coalition"], ids["teachers"], w.SB, stance="oppose")
        db.commit()
        m = matrix(db, ids["coalition"])
        text = matrix_csv(m)
    assert [o.slug for o in m.members] == ["parents", "teachers"]
    hb, sb = m.rows
    assert (hb.bill_key, [(c.stance, c.differs, c.against) for c in hb.cells]) == (
        w.HB, [("oppose", True, True), ("support_if_amended", True, False)])
    assert (hb.disagreements, sb.disagreements) == (2, 0)
    assert [(c.stance, c.differs) for c in sb.cells] == [(None, False), ("oppose", False)]
    out = rows(text)
    assert out[0]["coalition"] == "support" and out[0]["parents_differs"] == "against"
    assert out[0]["teachers_differs"] == "differs" and out[0]["disagreements"] == "2"
    assert out[1]["coalition_public"] == "no" and out[1]["parents"] == ""


def test_watchlist_items_need_a_real_bill_and_a_staff_owner(engine, ids):
    with Session(engine) as db:
        editor = db.execute(select(StaffUser).where(StaffUser.email == w.EDITOR)).scalar_one()
        member = db.execute(select(StaffUser).where(StaffUser.email == w.PARENTS)).scalar_one()
        outsider = db.execute(select(StaffUser).where(StaffUser.email == w.OTHER_ADMIN)).scalar_one()
        for kwargs, field in (({"bill_key": "ms-2013-hb9999"}, "bill_key"),
                              ({"bill_key": w.HB, "status": "urgent"}, "status"),
                              ({"bill_key": w.HB, "owner_id": member.id}, "owner"),
                              ({"bill_key": w.HB, "owner_id": outsider.id}, "owner")):
            key = kwargs.pop("bill_key")
            with pytest.raises(PositionError) as err:
                watch(db, ids["coalition"], key, **kwargs)
            assert err.value.field == field, kwargs
        item, changed = watch(db, ids["coalition"], w.SB, status="done", note="Signed", actor=w.EDITOR)
        watch(db, ids["coalition"], w.HB, status="working", note="Call the chair", owner_id=editor.id, actor=w.EDITOR)
        assert watch(db, ids["coalition"], w.SB, status="done", note="Signed")[1] is False
        set_position(db, ids["coalition"], w.HB, "support", False, None, 0, w.EDITOR)
        db.commit()
        listed = watchlist(db, ids["coalition"])
        assert [(r.item.bill_key, r.item.status, r.owner, r.stance, r.public) for r in listed] == [
            (w.HB, "working", w.EDITOR, "support", False), (w.SB, "done", None, None, None)]
        assert listed[0].title and listed[0].stage
        assert [r.item.bill_key for r in watchlist(db, ids["coalition"], "done")] == [w.SB]
        assert watchlist(db, ids["other"]) == []
        out = rows(watchlist_csv(listed))
        assert (out[0]["owner"], out[0]["note"], out[0]["stance_public"]) == (w.EDITOR, "Call the chair", "no")
        assert unwatch(db, ids["coalition"], w.SB) and not unwatch(db, ids["coalition"], w.SB)


def test_bill_csv_keeps_filters_and_private_positions_out_of_public_files(engine, ids):
    with Session(engine) as db:
        set_position(db, ids["coalition"], w.HB, "oppose", False, None, 0, w.EDITOR)
        set_position(db, ids["coalition"], w.SB, "support", True, None, 0, w.EDITOR)
        db.commit()
        everything, n, truncated = bills_csv(db, SearchParams(jurisdiction="ms"))
        assert (n, truncated) == (2, False)
        assert {r["key"] for r in rows(everything)} == {w.HB, w.SB}
        assert "LegiScan" in rows(everything)[0]["credit"]   # CC BY 4.0: the credit rides along
        public, _, _ = bills_csv(db, SearchParams(jurisdiction="ms"), coalition_id=ids["coalition"])
        assert {r["key"]: r["position"] for r in rows(public)} == {w.HB: "", w.SB: "support"}
        # Filtering on the private stance finds nothing in public, the bill for staff.
        hidden, n, _ = bills_csv(db, SearchParams(stance="oppose"), coalition_id=ids["coalition"])
        assert n == 0 and "oppose" not in hidden
        staff, n, _ = bills_csv(db, SearchParams(stance="oppose"), coalition_id=ids["coalition"], public_only=False)
        assert [(r["key"], r["position"], r["position_public"]) for r in rows(staff)] == [(w.HB, "oppose", "no")]
        one, n, _ = bills_csv(db, SearchParams(q="charter", jurisdiction="ms"))
        assert n >= 1 and all(r["key"] in (w.HB, w.SB) for r in rows(one))
