"""Hand-made chambers, roll calls and coalitions for the scorecard tests."""
from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from tests import factories as f
from tracker.ingest import Ingestor
from tracker.models import Coalition, Legislator, Position

SRC = f.SRC


def person(bio, name, party, district, start="2025-01-03", end="2027-01-03", chamber="lower",
           jurisdiction="us", extra_roles=()):
    roles = [{"jurisdiction": jurisdiction, "chamber": chamber, "district": district, "party": party,
              "start_date": start, "end_date": end}, *extra_roles]
    return {"type": "legislator", "name": name, "family_name": name.split()[-1], "party": party,
            "ids": {"bioguide": bio}, "roles": roles, "source": SRC}


def rollcall(key, date, votes, *, motion="On Passage", classification=("passage",), result="pass",
             bill_key="us-119-hr5", session="119", chamber="lower", jurisdiction="us", organization=None):
    return {"type": "vote_event", "key": key, "jurisdiction": jurisdiction, "session": session,
            "bill_key": bill_key, "chamber": chamber, "date": date, "motion_text": motion,
            "organization": organization,
            "motion_classification": list(classification), "result": result,
            "votes": [{"voter_name": name, "ids": ({"bioguide": bio} if bio else {}), "option": opt,
                       "raw_option": opt.title()} for bio, name, opt in votes],
            "source": {**SRC, "url": f"https://example.org/rollcalls/{key}.xml"}}


def ingest(engine, records):
    report = Ingestor(engine, today=f.TODAY).ingest(records)
    assert report.counts["error"] == 0, [str(e) for e in report.errors[:3]]
    return report


def coalition(engine, slug="edfund", stances=None, embed_origins=None) -> int:
    with Session(engine) as db:
        co = Coalition(slug=slug, name="Education Fund <Coalition>",
                       settings={"embed_origins": embed_origins or []})
        db.add(co)
        db.flush()
        for bill_key, stance in (stances or {}).items():
            db.add(Position(coalition_id=co.id, bill_key=bill_key, stance=stance, public=True))
        db.commit()
        return co.id


def leg_ids(engine) -> dict[str, int]:
    """Legislator id by family name."""
    with Session(engine) as db:
        return {l.family_name: l.id for l in db.exec(select(Legislator)).all()}


# A small House: Adams and Baker serve all term, Cruz joins on 2025-06-01, Diaz sits in the Senate.
PEOPLE = [person("A000001", "Ann Adams", "Democratic", "1"),
          person("B000002", "Bob Baker", "Republican", "2"),
          person("C000003", "Cara Cruz", "Democratic", "3", start="2025-06-01"),
          person("D000004", "Dan Diaz", "Republican", "At-large", chamber="upper")]
V1 = rollcall("us-house-2025-1", "2025-03-05", [("A000001", "Adams", "yes"), ("B000002", "Baker", "no"),
                                               ("C000003", "Cruz", "yes")])
V2 = rollcall("us-house-2025-2", "2025-07-01", [("A000001", "Adams", "no"), ("B000002", "Baker", "yes"),
                                               ("C000003", "Cruz", "not voting"),
                                               (None, "Smithers (X-ZZ)", "yes")],
              motion="On Agreeing to the Amendment", classification=("amendment-passage",))
V3 = rollcall("us-house-2025-3", "2025-07-02", [("A000001", "Adams", "excused"),
                                               ("B000002", "Baker", "paired"), ("C000003", "Cruz", "yes")])


def small_house(engine, **coalition_kw):
    ingest(engine, [*PEOPLE, f.bill(5), V1, V2, V3])
    return coalition(engine, stances={"us-119-hr5": "support"}, **coalition_kw)


EVIL_TITLE = 'Schools <script>window.__xss=1</script><img src=x onerror="window.__xss=2"> Act'


def published_house(engine, embed_origins=None, evil=True):
    """The small House, a published scorecard of its three roll calls, a manual item, and a bill
    title carrying script payloads (they must show as text, never run)."""
    from tests import factories as f
    from tracker.scoring import service

    h_bill = f.bill(5, title=EVIL_TITLE) if evil else f.bill(5)
    ingest(engine, [*PEOPLE, h_bill, V1, V2, V3])
    coalition(engine, stances={"us-119-hr5": "support"}, embed_origins=embed_origins)
    ids = leg_ids(engine)
    with Session(engine) as db:
        card = service.create_scorecard(db, coalition="edfund", slug="house-2025", jurisdiction="us",
                                        title="House <b>2025</b>", chambers=["lower"], sessions=["119"],
                                        methodology="We score votes on public schools.", publish=True)
        service.add_item(db, card, kind="floor_vote", vote_event_key="us-house-2025-1",
                         notice_text="We will score this vote", notice_published_at=dt.datetime(2025, 3, 1, tzinfo=dt.timezone.utc))
        service.add_item(db, card, kind="floor_vote", vote_event_key="us-house-2025-2", preferred="no", weight=2)
        service.add_item(db, card, kind="floor_vote", vote_event_key="us-house-2025-3", preferred="yes")
        letter = service.add_item(db, card, kind="manual", label="Signed the school-meals letter",
                                  rationale="Letter of 2025-04-01 to the Secretary", slug="meals-letter")
        service.add_manual_entry(db, letter, ids["Baker"], 1.0, "signed the letter")
        db.commit()
        return card.id
