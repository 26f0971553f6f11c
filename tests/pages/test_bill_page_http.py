"""The bill page over HTTP, on the demo's data and on real data: sponsors and voters linked to
their people by full name (never a "LegiScan person N" placeholder the data resolves), totals by
party, the chamber or committee of each roll call, hearings, text versions, public coalition
positions only (on both routes, for anonymous visitors), and the Follow links of bill,
legislator and committee pages with the sign-up page they prefill."""
from __future__ import annotations

from collections import Counter
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, select

from tests.conftest import real_fixture
from tests.pages.conftest import BROWSER
from tracker.db import get_engine
from tracker.models import Coalition, Position
from tracker.people.parties import party_key


def page(client, path: str):
    r = client.get(path)
    assert r.status_code == 200, (path, r.status_code, r.text[-500:])
    return lxml.html.fromstring(r.text)


def words(el) -> str:
    return " ".join(el.text_content().split())


def run(url: str, sql: str, **params):
    engine = get_engine(url)
    with engine.begin() as conn:
        rows = conn.execute(text(sql), params)
        out = rows.fetchall() if rows.returns_rows else None
    engine.dispose()
    return out


def app_client(url, tmp_path):
    from api.app import create_app
    from tracker.settings import Settings

    settings = Settings(database_url=url, data_dir=tmp_path, secret_key="test-secret-key-test-secret-key-123",
                        public_url="http://testserver", _env_file=None)
    return TestClient(create_app(settings), headers=BROWSER)


# --- 1. Sponsors ---------------------------------------------------------------------------------

def test_sponsors_and_cosponsors_link_to_their_people(site, demo_url):
    doc = page(site, "/bill/ca-20252026-ab412")
    sponsors = doc.xpath("//h2[@id='sponsors-h']/following-sibling::ul[1]/li")
    cosponsors = doc.xpath("//h3[@id='cosponsors-h']/following-sibling::ul[1]/li")
    assert [(a.get("href"), a.text) for li in sponsors for a in li.xpath("a")] == [
        ("/legislators/legiscan:990201", "Adriana Solis-Kerr")]
    assert [(a.get("href"), a.text) for li in cosponsors for a in li.xpath("a")] == [
        ("/legislators/legiscan:990203", "Kiyoko Watanabe")]
    # A sponsor the data does not resolve keeps the source's name, unlinked, and says so.
    run(demo_url, "UPDATE sponsorship SET legislator_id = NULL WHERE name = 'Kiyoko Watanabe'")
    cosponsors = page(site, "/bill/ca-20252026-ab412").xpath("//h3[@id='cosponsors-h']/following-sibling::ul[1]/li")
    assert [li.xpath("a") for li in cosponsors] == [[]]
    assert words(cosponsors[0]) == "Kiyoko Watanabe (not matched to a legislator)"


def test_federal_sponsors_show_the_persons_name_not_the_source_label(site, demo_url):
    printed = {n for (n,) in run(demo_url, "SELECT s.name FROM sponsorship s JOIN bill b ON b.id = s.bill_id "
                                           "WHERE b.key = 'us-119-s410'")}
    assert "Sen. Marchetti, Helen [D-CA]" in printed                 # what the source prints
    doc = page(site, "/bill/us-119-s410")
    links = {a.get("href"): a.text for a in doc.xpath("//ul[contains(@class,'sponsors')]//a")}
    expected = dict(run(demo_url, "SELECT l.key, l.name FROM sponsorship s JOIN bill b ON b.id = s.bill_id "
                                  "JOIN legislator l ON l.id = s.legislator_id WHERE b.key = 'us-119-s410'"))
    assert links == {f"/legislators/{k}": n for k, n in expected.items()} and "Helen Marchetti" in links.values()


# --- 2. Roll calls -------------------------------------------------------------------------------

def _roll_calls(doc):
    return doc.xpath("//details[contains(@class,'roll-call')]")


def _table(el, cls: str) -> list[list[str]]:
    return [[words(c) for c in tr.xpath("th|td")] for tr in el.xpath(f".//table[contains(@class,'{cls}')]/tbody/tr")]


@pytest.mark.parametrize("key", ["ca-20252026-ab412", "us-119-s410", "us-119-hr1822"])
def test_each_voter_by_full_name_linked_and_totals_by_party(site, demo_url, key):
    """Names, links and totals checked against the store's rows (voter -> person -> seat party)."""
    doc = page(site, f"/bill/{key}")
    assert "LegiScan person" not in doc.text_content()
    rows = run(demo_url, """
        SELECT v.key, pv.voter_name, pv.option, l.key, l.name, r.party
        FROM vote_event v JOIN person_vote pv ON pv.vote_event_id = v.id
        JOIN legislator l ON l.id = pv.legislator_id
        JOIN legislator_role r ON r.legislator_id = l.id AND r.jurisdiction_id = v.jurisdiction_id
        WHERE v.bill_key = :key ORDER BY v.date, v.key""", key=key)
    calls = _roll_calls(doc)
    keys = list(dict.fromkeys(r[0] for r in rows))           # in the page's order: date, then key
    assert len(calls) == len(keys) >= 1
    for details, vote_key in zip(calls, keys):
        mine = [r for r in rows if r[0] == vote_key]
        voters = details.xpath(".//table[contains(@class,'voters')]/tbody/tr")
        shown = {(tr.xpath("td[1]/a")[0].get("href"), words(tr.xpath("td[1]")[0])) for tr in voters}
        assert shown == {(f"/legislators/{r[3]}", r[4]) for r in mine}
        assert not {r[1] for r in mine if r[1] != r[4]} & {name for _, name in shown}   # no bare surnames
        expected = Counter()
        for r in mine:
            expected[(party_key(r[5]), "yes" if r[2] == "yes" else "no" if r[2] == "no" else "other")] += 1
        names = {"democratic": "Democratic", "republican": "Republican"}
        table = _table(details, "party-totals")
        assert table == sorted(table, key=lambda row: -sum(int(n) for n in row[1:]))
        assert {row[0]: tuple(int(n) for n in row[1:]) for row in table} == {
            names[p]: (expected[(p, "yes")], expected[(p, "no")], expected[(p, "other")])
            for p in {p for p, _ in expected}}


def test_unresolved_voter_shows_the_source_name_unlinked(site, demo_url):
    run(demo_url, "UPDATE person_vote SET legislator_id = NULL, match_method = 'unknown-id' "
                  "WHERE voter_name = 'LegiScan person 990205'")
    doc = page(site, "/bill/ca-20252026-ab412")
    rows = {words(tr.xpath("td[1]")[0]): tr for tr in doc.xpath("//table[contains(@class,'voters')]/tbody/tr")}
    row = rows["LegiScan person 990205 (not matched to a legislator)"]   # all the source says of this voter
    assert row.xpath("td[1]//a") == [] and words(row.xpath("td[2]")[0]) == "—"
    assert _table(doc, "party-totals")[-1] == ["Party not known", "0", "1", "0"]


def test_roll_calls_name_their_chamber(site):
    doc = page(site, "/bill/us-119-s410")
    places = [words(d.xpath("p[1]")[0]) for d in _roll_calls(doc)]
    assert places == ["Voted in: Senate · roll call 45", "Voted in: House · roll call 140"]
    es = page(site, "/bill/us-119-s410?lang=es")
    assert "Totales por partido" in es.text_content() and "Demócrata" in es.text_content()
    assert "Cómo votó cada legislador" in es.text_content()


def test_committee_vote_links_its_committee(sqlite_url, tmp_path):
    """Real California committee votes (pubinfo 2025): the Assembly Rules committee, linked."""
    from tests.test_bill_detail import _rows

    dump = tmp_path / "dump"
    dump.mkdir()
    for table in ("BILL_TBL", "BILL_HISTORY_TBL", "BILL_SUMMARY_VOTE_TBL", "BILL_DETAIL_VOTE_TBL"):
        (dump / f"{table}.dat").write_bytes(_rows(table, {"202520260SCR10"}))
    for table in ("LOCATION_CODE_TBL", "LEGISLATOR_TBL"):
        (dump / f"{table}.dat").write_bytes(_rows(table, set()))
    from scrapers.importer import iter_records, plan
    from tracker.ingest import Ingestor

    engine = get_engine(sqlite_url)
    Ingestor(engine).ingest(iter_records(plan([str(dump)])), keep_results=False)
    engine.dispose()
    with app_client(sqlite_url, tmp_path) as client:
        doc = page(client, "/bill/ca-20252026-scr10")
        places = {words(d.xpath("p[1]")[0]): [a.get("href") for a in d.xpath("p[1]/a")] for d in _roll_calls(doc)}
        assert places["Voted in: Assembly Rules (Assembly)"] == ["/committees/ca-20252026-cx20"]
        assert places["Voted in: Assembly"] == [] and places["Voted in: Senate"] == []
        assert client.get("/committees/ca-20252026-cx20").status_code == 200
        names = [words(tr.xpath("td[1]")[0]) for tr in doc.xpath("//table[contains(@class,'voters')]/tbody/tr")]
        assert "Heather Hadwick" in names and "Hadwick" not in names


# --- 3. Hearings ---------------------------------------------------------------------------------

def test_hearings_with_date_committee_place_and_agenda(sqlite_url, tmp_path):
    from tests.hearings import data

    engine = get_engine(sqlite_url)
    data.load(engine)
    engine.dispose()
    with app_client(sqlite_url, tmp_path) as client:
        doc = page(client, "/bill/ca-20252026-ab100")
        items = doc.xpath("//h2[@id='hearings-h']/following-sibling::ul[1]/li")
        assert [words(li.xpath("h3")[0]) for li in items] == [
            "Apr 9, 2025, 08:00 (PDT) · Appropriations", "Apr 9, 2025, 13:30 (PDT) · Education"]
        assert items[1].xpath("h3/a")[0].get("href") == f"/committees/{data.CA_ASSEMBLY_EDUCATION}"
        assert items[0].xpath("h3/a") == []                               # no stored committee of that name
        assert "Where: 1021 O Street, Room 1100" in words(items[0])
        assert [a.get("href") for a in items[0].xpath(".//a")] == ["https://aedn.assembly.ca.gov/hearings"]
        assert "Held" in words(items[1]) and "Assembly" in words(items[1])
        es = page(client, "/bill/ca-20252026-ab100?lang=es")
        assert es.xpath("//h2[@id='hearings-h']")[0].text == "Audiencias"
        assert "Orden del día 1" in es.text_content()


def test_demo_hearings_in_the_legislatures_time(site):
    doc = page(site, "/bill/ny-2025-s3150")
    heads = [words(h) for h in doc.xpath("//h2[@id='hearings-h']/following-sibling::ul[1]/li/h3")]
    assert heads == ["Mar 11, 2025, 10:00 (EDT) · Education", "Apr 29, 2025, 11:00 (EDT) · Finance"]


# --- 4. Coalition positions ----------------------------------------------------------------------

def _quiet_coalition(url):
    """A second coalition with a private stance on a bill the demo coalition supports in public."""
    engine = get_engine(url)
    with Session(engine) as db:
        quiet = Coalition(slug="quiet", name="Quiet Coalition")
        db.add(quiet)
        db.flush()
        db.add(Position(coalition_id=quiet.id, bill_key="us-119-s410", stance="oppose", public=False,
                        rationale="Internal: do not publish"))
        db.commit()
        assert db.exec(select(Position).where(Position.bill_key == "us-119-s615")).one().public is False
    engine.dispose()


def test_public_positions_on_the_bill_page_never_a_private_one(site, demo_url):
    _quiet_coalition(demo_url)
    doc = page(site, "/bill/us-119-s410")
    items = doc.xpath("//h2[@id='positions-h']/following-sibling::ul[1]/li")
    assert [(li.xpath("a")[0].get("href"), li.xpath("a")[0].text, li.xpath("strong")[0].text) for li in items] == [
        ("/c/demo-public-schools/", "Public Schools Forward (demo)", "Support")]
    assert "Quiet Coalition" not in doc.text_content() and "do not publish" not in doc.text_content()
    private_only = page(site, "/bill/us-119-s615")                      # the demo coalition's stance is private
    assert private_only.xpath("//h2[@id='positions-h']") == [] and "Watching" not in private_only.text_content()
    assert "A favor" in page(site, "/bill/us-119-s410?lang=es").text_content()


@pytest.mark.parametrize("path", ["/c/demo-public-schools/bills/us-119-s615", "/c/quiet/bills/us-119-s410"])
def test_coalition_route_hides_a_private_position_from_anonymous_visitors(site, demo_url, path):
    _quiet_coalition(demo_url)
    doc = page(site, path)
    body = doc.text_content()
    assert "No public position." in body
    assert "Watching" not in body and "Oppose" not in body and "do not publish" not in body
    assert doc.xpath("//h2[@id='positions-h']") == []                  # no other coalition's positions either


# --- 5. Text versions ----------------------------------------------------------------------------

def test_text_versions_linked_with_dates(sqlite_url, tmp_path, site):
    from scrapers.importer import iter_records, plan
    from tracker.ingest import Ingestor

    engine = get_engine(sqlite_url)
    Ingestor(engine).ingest(iter_records(plan([str(real_fixture("ca-pubinfo", "1989"))])), keep_results=False)
    engine.dispose()
    with app_client(sqlite_url, tmp_path) as client:
        doc = page(client, "/bill/ca-19891990-sb729")
        items = doc.xpath("//h2[@id='versions-h']/following-sibling::ul[1]/li")
        # the source's own page, and the stored text's page (issue 21)
        assert [(words(li), [a.get("href") for a in li.xpath("a")]) for li in items] == [
            ("Chaptered (Sep 21, 1989) · Read the text: Chaptered",
             ["https://leginfo.legislature.ca.gov/faces/billTextClient.xhtml?bill_id=198919900SB729",
              items[0].xpath("a")[1].get("href")])]
        assert items[0].xpath("a")[1].get("href").startswith("/bill/ca-19891990-sb729/text?version=")
        es = page(client, "/bill/ca-19891990-sb729?lang=es")
        assert words(es.xpath("//h2[@id='versions-h']/following-sibling::ul[1]/li")[0]).startswith(
            "Chaptered (21 sep 1989) · Leer el texto")
    demo = page(site, "/bill/ny-2025-s3150").xpath("//h2[@id='versions-h']/following-sibling::ul[1]/li")
    assert [words(li) for li in demo] == ["S3150 (original) (Jan 29, 2025)"]


# --- 6. Follow -----------------------------------------------------------------------------------

def _follow(doc) -> str:
    links = doc.xpath("//a[@id='follow']")
    assert len(links) == 1 and "button" in links[0].get("class")
    return links[0].get("href")


@pytest.mark.parametrize("path,target_type,target", [
    ("/bill/us-119-s410", "bill", "us-119-s410"),
    ("/c/demo-public-schools/bills/us-119-hr1201", "bill", "us-119-hr1201"),
    ("/legislators/bioguide:Z900001", "legislator", "bioguide:Z900001"),
    ("/committees/us-HSED", "committee", "us-HSED"),
])
def test_follow_opens_the_sign_up_page_prefilled(site, path, target_type, target):
    href = _follow(page(site, path))
    url = urlsplit(href)
    assert url.path == "/alerts/signup" and parse_qs(url.query) == {"target_type": [target_type], "target": [target]}
    form = page(site, href).xpath("//form[@action='/alerts/signup']")[0]
    assert form.xpath(".//input[@name='target_type']/@value") == [target_type]   # chosen: named, not asked
    assert form.xpath(".//input[@name='target']/@value") == [target]


def test_follow_words_in_both_languages(site):
    assert page(site, "/bill/us-119-s410?lang=es").xpath("//a[@id='follow']")[0].text == "Seguir este proyecto de ley"
    assert page(site, "/legislators/bioguide:Z900001?lang=es").xpath("//a[@id='follow']")[0].text == "Seguir a este legislador"
    assert page(site, "/committees/us-HSED?lang=es").xpath("//a[@id='follow']")[0].text == "Seguir esta comisión"


def test_no_follow_link_for_a_target_type_alerts_do_not_offer(site, monkeypatch):
    from tracker.alerts import kinds

    monkeypatch.setattr(kinds, "TARGET_TYPES", {k: v for k, v in kinds.TARGET_TYPES.items() if k != "committee"})
    import api.pages.people as people

    monkeypatch.setattr(people, "TARGET_TYPES", kinds.TARGET_TYPES)
    assert page(site, "/committees/us-HSED").xpath("//a[@id='follow']") == []
    assert len(page(site, "/bill/us-119-s410").xpath("//a[@id='follow']")) == 1
