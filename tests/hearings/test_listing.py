"""The hearings list on real and documented-format data, SQLite and PostgreSQL: education by
committee or by a bill on the agenda, upcoming from today in the legislature's time zone, past
newest first, dates read as local dates, chamber and committee filters, committees linked when
one is meant, agenda bills with their stage, and the filters' checks."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from tests.hearings import data
from tests.hearings.data import CA_ASSEMBLY_EDUCATION, CA_SENATE_EDUCATION, NOW
from tracker.hearings.listing import HearingFilter, list_hearings
from tracker.ingest import Ingestor
from tracker.models import Hearing
from tracker.people.directory import FilterError

ASSEMBLY_ED = "ocd-event/33333333-3333-4333-8333-333333333333"


@pytest.fixture
def db(engine):
    data.load(engine)
    with Session(engine) as session:
        yield session


def keys(page) -> list[str]:
    return [h.key for h in page.items]


def listed(db, now=NOW, **filters):
    return list_hearings(db, HearingFilter.checked(**filters), now=now)


def test_upcoming_education_hearings_from_today_in_the_legislatures_time(db):
    page = listed(db)
    # Appropriations at 08:00 today (before "now", still today in Sacramento) hears AB 100, an
    # education bill; Transportation hears none, and is left out; yesterday's hearing is past.
    assert keys(page) == ["ocd-event/a1", ASSEMBLY_ED, "ocd-event/k1", "ocd-event/a3", "ocd-event/a4"]
    assert page.total == 5 and page.when == "upcoming" and page.scope == "education"
    first = page.items[0]
    assert first.local_start == dt.datetime(2025, 4, 9, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=-7)))
    assert first.start == dt.datetime(2025, 4, 9, 15, 0, tzinfo=dt.timezone.utc)
    assert first.timezone == "America/Los_Angeles" and first.education
    assert [(b.identifier, b.stored, b.stage, b.education) for b in first.bills] == [("AB 100", True, "introduced", True)]
    everything = listed(db, scope="all")
    assert keys(everything) == ["ocd-event/a1", ASSEMBLY_ED, "ocd-event/a2", "ocd-event/k1", "ocd-event/a3",
                                "ocd-event/a4"]
    assert not everything.items[2].education


def test_times_of_other_offsets_are_stored_as_the_same_instant(db):
    """Regression: SQLite kept the clock time of "13:30-07:00" and dropped the offset, so the
    hearing showed at 06:30 in Sacramento and every re-import was an update."""
    h = db.exec(select(Hearing).where(Hearing.key == ASSEMBLY_ED)).one()
    start = h.start if h.start.tzinfo else h.start.replace(tzinfo=dt.timezone.utc)
    assert start == dt.datetime(2025, 4, 9, 20, 30, tzinfo=dt.timezone.utc)
    again = Ingestor(db.get_bind(), today=dt.date(2025, 4, 1)).ingest(data.hearing_records(), keep_results=False)
    assert again.summary()["update"] == 0 and again.summary()["insert"] == 0


def test_past_hearings_newest_first_and_real_ny_agendas(db):
    past = listed(db, when="past", scope="all")
    assert keys(past)[0] == "ocd-event/a5"
    starts = [h.start for h in past.items]
    assert starts == sorted(starts, reverse=True)
    labor = next(h for h in past.items if h.key == "ny-2017-agenda5-labor")
    # The NY Senate's agenda: noon in Albany, the Senate's Labor committee (not the Assembly's)
    assert labor.local_start.isoformat() == "2017-02-06T12:00:00-05:00"
    assert labor.committee.key == "ny-upper-labor" and labor.chamber == "upper"
    assert labor.location == "Room 123 CAP"
    assert [b.identifier for b in labor.bills] == ["S905", "S1155", "S1975", "S2052"]   # in agenda order
    assert all(not b.stored for b in labor.bills)            # these bills are not loaded here
    assert "ny-2007-agenda20-rules" in keys(past)           # a 2008 meeting of the 2007 session
    assert listed(db, when="past").total == 1               # none of the NY agendas is an education hearing


def test_committees_are_linked_only_when_one_is_meant(db):
    page = listed(db, scope="all")
    by_key = {h.key: h for h in page.items}
    # "Education" with "Assembly Standing Committee on Education": the Assembly's
    assert by_key[ASSEMBLY_ED].committee.key == CA_ASSEMBLY_EDUCATION and by_key[ASSEMBLY_ED].chamber == "lower"
    assert by_key["ocd-event/a3"].committee.key == CA_SENATE_EDUCATION
    # nothing says which chamber's Education committee: none is linked, the name is kept
    assert by_key["ocd-event/a4"].committee is None and by_key["ocd-event/a4"].committee_name == "Education"
    assert by_key["ocd-event/a4"].status == "cancelled"
    assert by_key["ocd-event/a1"].committee is None        # no Appropriations committee is stored
    assert {c.key for c in page.committees} == {CA_ASSEMBLY_EDUCATION, CA_SENATE_EDUCATION}


def test_filters_jurisdiction_chamber_committee_and_local_dates(db):
    assert keys(listed(db, jurisdiction="ky")) == ["ocd-event/k1"]
    assert keys(listed(db, chamber="upper")) == ["ocd-event/a3"]
    assert keys(listed(db, chamber="lower", scope="all")) == [ASSEMBLY_ED]
    only = listed(db, committee=CA_ASSEMBLY_EDUCATION, when="all")
    assert keys(only) == ["ocd-event/a5", ASSEMBLY_ED]          # all dates: soonest first
    # the committee filter keeps the other committees on offer
    assert {c.key for c in only.committees} >= {CA_ASSEMBLY_EDUCATION, CA_SENATE_EDUCATION}
    # 23:30 in Sacramento on April 9 is April 10 in UTC: it belongs to April 9
    day = listed(db, scope="all", date_from=dt.date(2025, 4, 9), date_to=dt.date(2025, 4, 9))
    assert day.when == "all" and "ocd-event/a2" in keys(day)
    assert "ocd-event/a2" not in keys(listed(db, scope="all", date_from=dt.date(2025, 4, 10),
                                             date_to=dt.date(2025, 4, 10)))
    assert keys(listed(db, scope="all", date_from=dt.date(2017, 2, 7), date_to=dt.date(2017, 2, 7)))[0] \
        == "ny-2017-agenda5-agriculture"                       # with dates: soonest first
    # the 2017 agenda's twelve meetings (the thirteenth hearing is of 2008)
    assert listed(db, scope="all", date_from=dt.date(2017, 2, 6), date_to=dt.date(2017, 2, 7), when="past").total == 12


def test_paging(db):
    full = listed(db, when="past", scope="all")
    page = list_hearings(db, HearingFilter.checked(when="past", scope="all"), now=NOW, limit=3, offset=3)
    assert page.total == full.total and keys(page) == keys(full)[3:6]


@pytest.mark.parametrize("values, field", [
    ({"jurisdiction": "zz"}, "jurisdiction"), ({"chamber": "both"}, "chamber"), ({"when": "soon"}, "when"),
    ({"scope": "everything"}, "scope"), ({"committee": "x" * 201}, "committee"),
    ({"date_from": dt.date(2025, 5, 1), "date_to": dt.date(2025, 4, 1)}, "to"),
    ({"date_from": dt.date(1, 1, 1)}, "from")])
def test_bad_filters_name_the_parameter(values, field):
    with pytest.raises(FilterError) as err:
        HearingFilter.checked(**values)
    assert err.value.field == field
