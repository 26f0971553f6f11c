"""Voter and sponsor name matching: right jurisdiction, chamber and date, or unmatched."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from tracker.people.aliases import AliasError, add_alias
from tracker.ingest import Ingestor
from tracker.models import Legislator, PersonVote, Sponsorship
from tracker.people.namematch import NameMatcher, fold, parse_name
from tracker.people.quality import quality_report

SRC = {"format": "test", "url": "file:///tests/test_namematch.py"}
D = dt.date(2025, 3, 4)


def person(uid, name, chamber, district, *, given=None, family=None, other=(), start="2025-01-14",
           end=None, places=(), juris="tx"):
    return {"type": "legislator", "key": f"test:{uid}", "name": name, "given_name": given,
            "family_name": family, "other_names": list(other), "extras": {"places": list(places)},
            "roles": [{"jurisdiction": juris, "chamber": chamber, "district": district,
                       "start_date": start, "end_date": end}], "source": SRC}


PEOPLE = [
    person("john-smith", "John Smith", "lower", "12", given="John", family="Smith"),
    person("jane-smith", "Jane Smith", "lower", "40", given="Jane", family="Smith"),
    person("larry-taylor", "Larry Taylor", "lower", "24", given="Larry", family="Taylor",
           places=["Galveston"]),
    person("van-taylor", "Van Taylor", "lower", "66", given="Van", family="Taylor", places=["Plano"]),
    person("ana-pena", "Ana Peña", "lower", "7", given="Ana", family="Peña"),
    person("rafael-anchia", "Rafael Anchía", "lower", "103", given="Rafael", family="Anchía",
           other=["Anchia, R."]),
    person("bob-old", "Bob Oldham", "lower", "9", given="Bob", family="Oldham", start="2017-01-10",
           end="2021-01-11"),
    person("kelly-hancock", "Kelly Hancock", "upper", "9", given="Kelly", family="Hancock"),
    person("dade-phelan", "Dade Phelan", "lower", "21", given="Dade", family="Phelan"),
    person("joe-deshotel", "Joe Deshotel", "lower", "22", given="Joe", family="Deshotel"),
    person("jc-lopez", "J.C. López", "upper", "5", juris="ca"),  # another state
    person("ray-lopez", "Ray Lopez", "lower", "125", given="Ray", family="Lopez"),
    person("jm-lozano", "J. M. Lozano", "lower", "43", given="J. M.", family="Lozano"),
]


@pytest.fixture
def db(engine):
    report = Ingestor(engine, today=D).ingest([dict(p) for p in PEOPLE])
    assert report.counts["insert"] == len(PEOPLE), report.errors
    return engine


def key_of(session, match):
    return session.get(Legislator, match.legislator_id).key if match.legislator_id else None


@pytest.mark.parametrize("raw,chamber,date,expected", [
    ("Smith", "lower", D, None),                          # two Smiths: ambiguous
    ("Smith, J.", "lower", D, None),                      # John or Jane: ambiguous
    ("Smith, Jane", "lower", D, "test:jane-smith"),
    ("Jane Smith", "lower", D, "test:jane-smith"),
    ("Rep. John Smith", "lower", D, "test:john-smith"),
    ("Taylor", "lower", D, None),
    ("Taylor of Galveston", "lower", D, "test:larry-taylor"),
    ("Taylor (66)", "lower", D, "test:van-taylor"),
    ("Pena", "lower", D, "test:ana-pena"),                 # accent dropped by the source
    ("PEÑA, A.", "lower", D, "test:ana-pena"),
    ("Anchia, R.", "lower", D, "test:rafael-anchia"),      # other_names
    ("Oldham", "lower", D, None),                         # left in 2021
    ("Oldham", "lower", dt.date(2019, 5, 1), "test:bob-old"),
    ("Hancock", "lower", D, None),                        # a senator, on a House vote
    ("Hancock", "upper", D, "test:kelly-hancock"),
    ("Hancock", None, D, "test:kelly-hancock"),
    ("Mr. Speaker", "lower", D, None),                    # an office, not a name
    ("Hancok", "upper", D, "test:kelly-hancock"),          # one letter off
    ("Phelen", "lower", D, None),                         # too far for the threshold
    ("Lopez", "lower", D, "test:ray-lopez"),               # the CA López is another jurisdiction
    ("Lozano, J.M.", "lower", D, "test:jm-lozano"),
    ("Nobody", "lower", D, None),
])
def test_raw_names(db, raw, chamber, date, expected):
    with Session(db) as s:
        match = NameMatcher(s, threshold=0.8).match(raw, jurisdiction="tx", chamber=chamber, date=date)
        assert key_of(s, match) == expected, match
        if expected:
            assert match.method.startswith("name:") and 0.8 <= match.confidence <= 1


def test_ambiguous_and_low_confidence_say_why(db):
    with Session(db) as s:
        m = NameMatcher(s, threshold=0.8)
        assert m.match("Smith", jurisdiction="tx", chamber="lower", date=D).method == "ambiguous"
        assert NameMatcher(s, threshold=0.99).match(
            "Hancock", jurisdiction="tx", chamber="upper", date=D).method == "low-confidence"


@pytest.mark.parametrize("raw,family,given,qualifier", [
    ("Smith, J.", "smith", "j", None),
    ("Taylor of Galveston", "taylor", None, "galveston"),
    ("Green, Al (TX)", "green", "al", "tx"),
    ("Sen. María de la Cruz Jr.", "de la cruz", "maria", None),
    ("O'Brien", "obrien", None, None),
    ("Miller-Meeks", "miller meeks", None, None),   # one hyphenated family name, not Meeks
])
def test_parse_name(raw, family, given, qualifier):
    p = parse_name(raw)
    assert (p.family, p.given, p.qualifier) == (family, given, qualifier)


def vote(votes, key="tx-2025-hb1-1", chamber="lower"):
    return {"type": "vote_event", "key": key, "jurisdiction": "tx", "session": "89",
            "chamber": chamber, "date": D.isoformat(), "motion_text": "Passed", "result": "pass",
            "votes": [{"voter_name": n, "option": o} for n, o in votes], "source": SRC}


def test_votes_are_matched_at_ingest_reingest_is_noop_and_an_alias_fixes_the_rest(db):
    rec = vote([("Smith, Jane", "yes"), ("Mr. Speaker", "yes"), ("Smith", "no"), ("Deshotel", "no")])
    ing = Ingestor(db, today=D)
    assert ing.ingest([rec]).counts["insert"] == 1
    assert ing.ingest([rec]).summary()["noop"] == 1
    with Session(db) as s:
        rows = {r.voter_name: r for r in s.exec(select(PersonVote)).all()}
        assert rows["Deshotel"].match_method == "name:last" and rows["Deshotel"].legislator_id
        assert rows["Mr. Speaker"].legislator_id is None
        q = quality_report(s, jurisdiction="tx")[0]
        assert (q["votes"], q["votes_matched"]) == (4, 2)
        assert {n["name"] for n in q["unmatched_names"]} == {"Mr. Speaker", "Smith"}
    with Session(db) as s:
        _, fixed = add_alias(s, "tx", "Mr. Speaker", "test:dade-phelan", chamber="lower")
        s.commit()
        assert fixed == 1
        with pytest.raises(AliasError):
            add_alias(s, "tx", "X", "test:nobody")
    with Session(db) as s:
        speaker = s.exec(select(PersonVote).where(PersonVote.voter_name == "Mr. Speaker")).one()
        assert (speaker.match_method, speaker.match_confidence) == ("alias", 1.0)
        assert s.get(Legislator, speaker.legislator_id).key == "test:dade-phelan"
    # The alias is data: a re-crawl of the same vote keeps the match and changes nothing.
    assert ing.ingest([rec]).summary()["noop"] == 1


def test_sponsors_without_ids_are_matched_by_name(db):
    bill = {"type": "bill", "jurisdiction": "tx", "session": "89", "identifier": "HB 2",
            "title": "School finance", "introduced_date": D.isoformat(),
            "sponsorships": [{"name": "Taylor of Galveston", "primary": True, "classification": "primary"},
                             {"name": "Smith"}], "source": SRC}
    Ingestor(db, today=D).ingest([bill])
    with Session(db) as s:
        rows = {r.name: r for r in s.exec(select(Sponsorship)).all()}
        assert rows["Taylor of Galveston"].match_method == "name:last+district"
        assert rows["Smith"].legislator_id is None and rows["Smith"].match_method == "ambiguous"
        q = quality_report(s, jurisdiction="tx")[0]
        assert (q["sponsorships"], q["sponsorships_matched"]) == (2, 1)


def test_alias_cli(app_env, db):
    from cli.main import app

    out = CliRunner().invoke(app, ["aliases", "add", "tx", "Madam Speaker", "test:dade-phelan",
                                   "--chamber", "lower"])
    assert out.exit_code == 0, out.output
    listed = CliRunner().invoke(app, ["aliases", "list", "tx"])
    assert "Madam Speaker" in listed.stdout and "test:dade-phelan" in listed.stdout
    bad = CliRunner().invoke(app, ["aliases", "add", "zz", "X", "test:dade-phelan"])
    assert bad.exit_code == 2 and "zz" in bad.output


def test_fold():
    assert fold("  Peña-Nieto, J. ") == "pena nieto j"
