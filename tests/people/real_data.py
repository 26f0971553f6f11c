"""The real files of ../shared/fixtures loaded for the legislator and committee tests, plus the
few hand-made records the real data lacks (a coalition with public and private positions, a
Mississippi committee, NY Senate and Assembly Labor committees for the real Senate agendas)."""
from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from scrapers.importer import iter_records, plan
from tests.conftest import real_fixture
from tracker.ingest import Ingestor
from tracker.models import Coalition, Position, VoteEvent
from tracker.scoring import service
from tracker.tagging.store import retag

# "Today" of these tests: Open States roles without an end are current; the 119th Congress
# (congress-legislators' current terms) runs to 2027-01-03. Queries and pages over this data
# take it as today (`on=TODAY`, `make_client(url, tmp_path, TODAY)`), whatever the calendar says.
TODAY = dt.date(2026, 1, 15)
SRC = {"format": "test-hand-made", "url": "tests/people/real_data.py", "fetched_at": "2026-01-15T12:00:00Z"}


def load(engine, *parts: str):
    """Import one folder of the shared fixtures with the importer `edtracker import` uses."""
    report = Ingestor(engine, today=TODAY).ingest(iter_records(plan([real_fixture(*parts)])), keep_results=False)
    assert report.summary()["error"] == 0, report.errors[:3]
    return report


def hand(engine, records: list[dict]):
    report = Ingestor(engine, today=TODAY).ingest(records, keep_results=False)
    assert report.summary()["error"] == 0, report.errors[:3]


def congress(engine):
    """congress-legislators: the 537 current members, committees and memberships."""
    load(engine, "congress-legislators")


def states(engine, *codes: str):
    """Open States people YAML: full legislatures and education committees of `codes`."""
    for code in codes:
        load(engine, "openstates-people", code)


def federal_bills(engine):
    """Real BILLSTATUS files with House Education and Labor referrals (116 H.R. 5177, 117 H.R. 1)."""
    load(engine, "billstatus", "v1-actions-committees")
    load(engine, "billstatus", "v1-current")


def ny_senate_hearings(engine):
    """NY Senate committee agendas (2017), and hand-made Senate and Assembly Labor committees:
    the agendas name only "Labor", and they are the Senate's."""
    load(engine, "ny-openleg", "processor", "bill", "senAgenda")
    hand(engine, [{"type": "committee", "key": f"ny-{chamber}-labor", "jurisdiction": "ny", "name": "Labor",
                   "chamber": chamber, "source": SRC} for chamber in ("upper", "lower")])


def mississippi(engine):
    """LegiScan's Mississippi 2012-2014 education bills, roll calls and people, tagged, and a
    hand-made House Education committee for the real "Referred To Education" actions."""
    load(engine, "legiscan-ms-xml")
    retag(engine)
    hand(engine, [{"type": "committee", "key": "ms-lower-education", "jurisdiction": "ms", "name": "Education",
                   "chamber": "lower", "source": SRC}])


# A public and a private position on the same bill (two coalitions), and a private one alone.
PUBLIC = ("edfund", "ms-2013-hb369", "support")
PRIVATE = [("edfund", "ms-2014-hb504", "oppose"), ("quiet", "ms-2013-hb369", "oppose")]
HOUSE_PASSAGE_HB369 = "ms-legiscan-221575"


def coalitions(engine) -> None:
    """Two coalitions with positions, a published scorecard of House votes on HB 369 (2013) and
    an unpublished one that must not show."""
    with Session(engine) as db:
        ids = {}
        for slug, name in (("edfund", "Education Fund"), ("quiet", "Quiet Coalition")):
            co = Coalition(slug=slug, name=name)
            db.add(co)
            db.flush()
            ids[slug] = co.id
        slug, bill, stance = PUBLIC
        db.add(Position(coalition_id=ids[slug], bill_key=bill, stance=stance, public=True))
        for slug, bill, stance in PRIVATE:
            db.add(Position(coalition_id=ids[slug], bill_key=bill, stance=stance, public=False))
        db.commit()
        assert db.exec(select(VoteEvent).where(VoteEvent.key == HOUSE_PASSAGE_HB369)).first() is not None
        for card_slug, publish in (("house-2013", True), ("draft", False)):
            card = service.create_scorecard(db, coalition="edfund", slug=card_slug, jurisdiction="ms",
                                            title=f"Mississippi House 2013 ({card_slug})", publish=publish)
            service.add_item(db, card, kind="floor_vote", vote_event_key=HOUSE_PASSAGE_HB369)
        db.commit()


def everything(engine) -> None:
    """What the real-data pages are served from."""
    congress(engine)
    states(engine, "ca", "ny", "ky", "us")
    federal_bills(engine)
    ny_senate_hearings(engine)
    mississippi(engine)
    coalitions(engine)
