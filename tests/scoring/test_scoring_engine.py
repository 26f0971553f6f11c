"""The scoring engine on a hand-made House, on SQLite and PostgreSQL: every setting, eligibility
by role, unmatched votes kept, incremental updates equal to a full recompute."""
from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from tests.scoring import helpers as h
from tracker.models import ScoreCell, Scorecard, ScoreSummary
from tracker.scoring import engine as eng
from tracker.scoring import service, views


def build(engine, settings=None, weights=(1, 2, 1)):
    h.small_house(engine)
    with Session(engine) as db:
        card = service.create_scorecard(db, coalition="edfund", slug="house-2025", jurisdiction="us",
                                        title="House 2025", chambers=["lower"], settings=settings)
        # V1 is a passage vote: preferred follows the stance (support -> yes).
        service.add_item(db, card, kind="floor_vote", vote_event_key="us-house-2025-1", weight=weights[0])
        service.add_item(db, card, kind="floor_vote", vote_event_key="us-house-2025-2", preferred="no",
                         weight=weights[1])
        service.add_item(db, card, kind="floor_vote", vote_event_key="us-house-2025-3", preferred="yes",
                         weight=weights[2])
        db.commit()
        return card.id


def scores(engine, card_id, session="119"):
    ids = {v: k for k, v in h.leg_ids(engine).items()}
    with Session(engine) as db:
        rows = db.exec(select(ScoreSummary).where(ScoreSummary.scorecard_id == card_id,
                                                  ScoreSummary.session == session)).all()
        return {ids[r.legislator_id]: (r.score, r.grade) for r in rows}


def snapshot(engine, card_id):
    with Session(engine) as db:
        # every field of every cell as pages show them, in their order, and the stored cell refs
        cells = ([tuple(c.values()) for c in views.cells(db, db.get(Scorecard, card_id))],
                 sorted((c.item_id, c.cell_ref) for c in db.exec(select(ScoreCell).where(ScoreCell.scorecard_id == card_id))))
        sums = sorted((s.legislator_id, s.session, s.earned, s.possible, s.counted, s.score, s.grade)
                      for s in db.exec(select(ScoreSummary).where(ScoreSummary.scorecard_id == card_id)))
    return cells, sums


def assert_same_as_full_recompute(engine, card_id):
    """The cells and totals the incremental updates left are those a full recompute gives."""
    incremental = snapshot(engine, card_id)
    with Session(engine) as db:
        eng.recompute(db, card_id)
        db.commit()
    assert snapshot(engine, card_id) == incremental


def test_default_policies_weights_and_eligibility(engine):
    card_id = build(engine)
    # Adams: V1 yes=pref (1x1) + V2 no=pref (2x1) + V3 excused (excluded) = 3/3 -> 100 A
    # Baker: V1 no (0) + V2 yes (0, w2) + V3 paired (excluded) = 0/3 -> 0 F
    # Cruz: V1 not yet a member (not eligible) + V2 not voting counts against (0, w2) + V3 yes (1) = 1/3 -> 33 F
    # Diaz sits in the Senate: no summary at all.
    assert scores(engine, card_id) == {"Adams": (100.0, "A"), "Baker": (0.0, "F"), "Cruz": (33.0, "F")}
    with Session(engine) as db:
        cells = views.cells(db, db.get(Scorecard, card_id))
    cruz_v1 = [c for c in cells if c["raw_name"] == "Cruz" and c["vote_event_key"] == "us-house-2025-1"][0]
    assert not cruz_v1["eligible"] and "not a member" in cruz_v1["rule"]
    unmatched = [c for c in cells if c["legislator_id"] is None]
    assert [(u["raw_name"], u["option"], u["source_url"]) for u in unmatched] == [
        ("Smithers (X-ZZ)", "yes", "https://example.org/rollcalls/us-house-2025-2.xml")]
    adams_v2 = [c for c in cells if c["raw_name"] == "Adams" and c["vote_event_key"] == "us-house-2025-2"][0]
    assert (adams_v2["match_method"], adams_v2["option"], adams_v2["points"]) == ("id:bioguide", "no", 2.0)


def test_absence_partial_excused_against_paired_with_outcome(engine):
    card_id = build(engine, settings={"absence_policy": "partial", "partial_credit": 0.5,
                                      "excused_policy": "count_against", "paired_policy": "with_outcome",
                                      "rounding": 1})
    # Adams: 1 + 2 + excused counted against (0 of 1) = 3/4 -> 75.0 C
    # Baker: 0 + 0 + paired credited with the outcome (V3 passed -> yes = preferred: 1) = 1/4 -> 25.0 F
    # Cruz: V2 not voting, partial 0.5 x 2 = 1, + V3 1 = 2/3 -> 66.7 D
    assert scores(engine, card_id) == {"Adams": (75.0, "C"), "Baker": (25.0, "F"), "Cruz": (66.7, "D")}


def test_exclude_absences_and_minimum_participation(engine):
    card_id = build(engine, settings={"absence_policy": "exclude", "min_participation": 2})
    # Adams counted 2 (V1, V2): 3/3 -> 100; Baker counted 2: 0/3 -> 0;
    # Cruz counted only V3 (V2 excluded, V1 not a member): 1 < 2 -> N/A
    assert scores(engine, card_id) == {"Adams": (100.0, "A"), "Baker": (0.0, "F"), "Cruz": (None, None)}


def test_pooled_lifetime_is_not_an_average_of_sessions(engine):
    card_id = build(engine)
    later = h.rollcall("us-house-2027-9", "2027-02-01", [("A000001", "Adams", "no")], session="120",
                       bill_key="us-120-hr9")
    adams_again = h.person("A000001", "Ann Adams", "Democratic", "1", extra_roles=[
        {"jurisdiction": "us", "chamber": "lower", "district": "1", "party": "Democratic",
         "start_date": "2027-01-03", "end_date": "2029-01-03"}])
    h.ingest(engine, [adams_again, later])
    with Session(engine) as db:
        card = db.get(eng.Scorecard, card_id)
        service.add_item(db, card, kind="floor_vote", vote_event_key="us-house-2027-9", preferred="yes")
        db.commit()
    # Adams: 119th 3/3 = 100; 120th 0/1 = 0; pooled (3+0)/(3+1) = 75 (an average would say 50)
    assert scores(engine, card_id, "119")["Adams"] == (100.0, "A")
    assert scores(engine, card_id, "120")["Adams"] == (0.0, "F")
    assert scores(engine, card_id, "*")["Adams"] == (75.0, "C")


def test_summaries_show_each_legislators_newest_seat(engine):
    """A summary's chamber, district and party are those of the newest seat (the first of
    `load_roles`' spans), on a full recompute and on an incremental update alike."""
    card_id = build(engine)
    moved = h.person("A000001", "Ann Adams", "Democratic", "1", extra_roles=[
        {"jurisdiction": "us", "chamber": "lower", "district": "7", "party": "Independent",
         "start_date": "2025-06-01", "end_date": "2027-01-03"},
        {"jurisdiction": "us", "chamber": "lower", "district": "0", "party": "Whig",
         "start_date": None, "end_date": "2025-01-03"}])
    h.ingest(engine, [moved])
    with Session(engine) as db:
        adams = h.leg_ids(engine)["Adams"]
        spans = eng.load_roles(db, "us")
        assert eng.seats(db, "us") == {lid: (r[0].chamber, r[0].district, r[0].party) for lid, r in spans.items()}
        assert eng.seats(db, "us")[adams] == ("lower", "7", "Independent")
        eng.recompute(db, card_id)
        db.commit()

    def adams_seat():
        with Session(engine) as db:
            return {(r.chamber, r.district, r.party) for r in db.exec(select(ScoreSummary).where(
                ScoreSummary.scorecard_id == card_id, ScoreSummary.legislator_id == adams)).all()}

    assert adams_seat() == {("lower", "7", "Independent")}
    with Session(engine) as db:  # an incremental update writes the same seat
        card = db.get(eng.Scorecard, card_id)
        item = db.exec(select(eng.ScoredItem).where(eng.ScoredItem.scorecard_id == card_id)).first()
        db.exec(update(ScoreSummary).where(ScoreSummary.legislator_id == adams).values(district="stale"))
        eng.recompute(db, card.id, [item.id])
        db.commit()
    assert adams_seat() == {("lower", "7", "Independent")}


def test_incremental_updates_equal_full_recompute(engine):
    card_id = build(engine)
    # A corrected roll call: Baker's V1 vote becomes yes; only V1's cells are rebuilt.
    fixed = h.rollcall("us-house-2025-1", "2025-03-05", [("A000001", "Adams", "yes"),
                                                         ("B000002", "Baker", "yes"),
                                                         ("C000003", "Cruz", "yes")])
    h.ingest(engine, [fixed])
    with Session(engine) as db:
        stats = service.on_vote_changed(db, "us-house-2025-1")
        db.commit()
    assert stats[card_id].items == 1
    # Baker: V1 now agrees: 1/3 -> 33
    assert scores(engine, card_id)["Baker"] == (33.0, "F")
    # The coalition turns against the bill: V1 follows the stance (now no); V2, V3 are staff-set.
    with Session(engine) as db:
        pos = db.exec(select(eng.Position)).one()
        pos.stance = "oppose"
        db.add(pos)
        service.on_position_changed(db, pos.coalition_id, "us-119-hr5")
        db.commit()
    # Adams: V1 yes now disagrees (0) + 2 = 2/3 -> 67
    assert scores(engine, card_id)["Adams"] == (67.0, "D")
    assert_same_as_full_recompute(engine, card_id)


def test_settings_change_recomputes(engine):
    card_id = build(engine)
    with Session(engine) as db:
        card = db.get(eng.Scorecard, card_id)
        version = card.version
        service.update_settings(db, card, {"absence_policy": "exclude"})
        db.commit()
        assert card.version > version
    # Cruz: V2 excluded -> 1/1 = 100
    assert scores(engine, card_id)["Cruz"] == (100.0, "A")


def test_sponsorship_items_and_manual_entries(engine):
    h.small_house(engine)
    ids = h.leg_ids(engine)
    with Session(engine) as db:
        card = service.create_scorecard(db, coalition="edfund", slug="sponsors", jurisdiction="us",
                                        title="Sponsors", settings={"sponsorship_mode": "scored"})
        # factories.bill(5): Doe (unknown here, unmatched) is the sponsor, Roe (unknown) a cosponsor;
        # none of our House members sponsored it, so in "scored" mode everyone in the House on
        # the introduction date (2025-01-05: Adams, Baker; Cruz joins in June) disagrees.
        service.add_item(db, card, kind="cosponsorship", bill_key="us-119-hr5")
        letter = service.add_item(db, card, kind="manual", label="Pledge", rationale="Signed the pledge",
                                  weight=2)
        service.add_manual_entry(db, letter, ids["Cruz"], 1.0, "signed on 2025-07-04")
        with pytest.raises(ValueError, match="rationale"):
            service.add_item(db, card, kind="manual", label="No reason")
        db.commit()
        card_id = card.id
    # Adams, Baker: cosponsorship 0/1 = 0. Cruz: only the pledge, 2 x 1 / 2 = 100 (shown separately).
    assert scores(engine, card_id) == {"Adams": (0.0, "F"), "Baker": (0.0, "F")}
    assert scores(engine, card_id, "*")["Cruz"] == (100.0, "A")
    with Session(engine) as db:
        unmatched = db.exec(select(ScoreCell).where(ScoreCell.scorecard_id == card_id,
                                                    ScoreCell.legislator_id.is_(None))).all()
        cruz = db.exec(select(ScoreSummary).where(ScoreSummary.scorecard_id == card_id,
                                                  ScoreSummary.legislator_id == ids["Cruz"])).first()
    assert [u.raw_name for u in unmatched] == ["Rep. Roe, Rick [R-TX-3]"]
    assert (cruz.manual_earned, cruz.manual_possible) == (2.0, 2.0)


def test_cells_have_no_foreign_keys_and_deletions_leave_no_orphan_cells(engine):
    """score_cell is derived data without foreign keys (issue 19): removing an item (its cells, then
    the scorecard's recompute) or deleting the scorecard (its explicit delete) leaves no cell behind."""
    from sqlalchemy import inspect

    from tracker.models import Scorecard, ScoredItem
    from tracker.scoring import builder
    assert inspect(engine).get_foreign_keys("score_cell") == []
    card_id = build(engine)
    with Session(engine) as db:
        eng.recompute(db, card_id)
        db.commit()
        item_ids = [i.id for i in db.exec(select(ScoredItem).where(ScoredItem.scorecard_id == card_id)
                                          .order_by(ScoredItem.id))]
        builder.remove_item(db, db.get(ScoredItem, item_ids[0]))
        db.commit()
        left = {c.item_id for c in db.exec(select(ScoreCell))}
        assert left == set(item_ids[1:])
        builder.delete_card(db, db.get(Scorecard, card_id))
        db.commit()
        assert db.exec(select(ScoreCell)).all() == []
