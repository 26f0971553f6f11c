"""The methodology page cannot contradict the numbers (issue 14, finding 5): its rules are written
from the scorecard's settings and items, in English and Spanish; the coalition's own text is shown
apart as its note. Each setting is changed and the page read again; the demo's data agree."""
from __future__ import annotations

from dataclasses import fields

import lxml.html
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from typer.testing import CliRunner

from api.app import create_app
from tests.scoring import demo_data
from tests.scoring import helpers as h
from tracker.db import get_engine
from tracker.models import Legislator, ScoreCell, Scorecard, ScoreRuleText
from tracker.scoring import methodology, service
from tracker.scoring.settings import ScoringSettings
from tracker.settings import get_settings

BASE = "/c/edfund/scorecards/house-2025"


def rule(html: str, key: str) -> str:
    """The text of one rule of the page (whitespace collapsed)."""
    el = lxml.html.fromstring(html).get_element_by_id(f"rule-{key}")
    return " ".join(el.text_content().split())


def section(html: str, element_id: str) -> str:
    return " ".join(lxml.html.fromstring(html).get_element_by_id(element_id).text_content().split())


# --- the demo --------------------------------------------------------------------------------


def test_demo_methodology_agrees_with_its_scores(app_env):
    """The issue's report: the demo's intro said absences do not count while its settings counted
    them against, and two members lost points for it."""
    engine = get_engine(app_env)
    demo_data.load(engine)
    with Session(engine) as db:
        card = db.exec(select(Scorecard)).one()
        absent = db.exec(select(Legislator.name, ScoreRuleText.words).select_from(ScoreCell)
                         .join(Legislator, Legislator.id == ScoreCell.legislator_id)
                         .join(ScoreRuleText, ScoreRuleText.id == ScoreCell.rule_id)
                         .where(ScoreCell.option.in_(("not voting", "absent")))).all()
        settings = ScoringSettings.from_dict(card.settings)
    assert len(absent) == 2 and all(r.endswith("absence counted against") for _, r in absent)
    assert settings.absence_policy == "count_against"
    # The demo coalition's own text adds context and states no rule.
    assert methodology.note_warnings(card.methodology) == []
    with TestClient(create_app(get_settings())) as c:
        page = c.get(f"{demo_data.CARD}/methodology").text
        table = c.get(demo_data.CARD).text
        es = c.get(f"{demo_data.CARD}/methodology", params={"lang": "es"}).text
    assert rule(page, "absence").startswith('Absences ("not voting", "absent", not recorded): count against')
    assert rule(es, "absence").startswith('Las ausencias ("no vota", "ausente", sin registro): cuentan en contra')
    assert "do not count against" not in page and "absences do not count" not in table.lower()
    assert "count against the legislator" in section(table, "how-scored")
    for name, _ in absent:  # each of them shows the rule that cost the points on their page
        assert name in table


# --- each setting changes the words ------------------------------------------------------------

# setting -> (changes, rule key, English words before, English words after, Spanish words after)
CASES = {
    "absence_policy": ({"absence_policy": "exclude"}, "absence", "count against the legislator",
                       "do not count at all", "no cuentan en absoluto"),
    "excused_policy": ({"excused_policy": "with_outcome"}, "excused", "do not count at all",
                       "count as a vote with the outcome", "cuentan como un voto a favor del resultado"),
    "paired_policy": ({"paired_policy": "count_against"}, "paired", "do not count at all",
                      "count against the legislator", "cuentan en contra del legislador"),
    "present_policy": ({"present_policy": "exclude"}, "present", "count against the legislator",
                       "do not count at all", "no cuentan en absoluto"),
    "partial_credit": ({"absence_policy": "partial", "partial_credit": 0.25}, "absence", "count against",
                       "earn partial credit: 25% of the item's weight", "el 25 % del peso"),
    "missing_from_roll": ({"missing_from_roll": "absent"}, "missing_from_roll", "is not scored on it",
                          "counts as absent", "cuenta como ausente"),
    "min_participation": ({"min_participation": 3}, "min_participation", "with no counted item has no score",
                          "needs at least 3 counted items", "al menos 3 elementos contados"),
    "grade_bands": ({"grade_bands": [[85, "Gold"], [50, "Silver"]]}, "grades",
                    "A from 90, B from 80 to under 90, C from 70 to under 80, D from 60 to under 70, F from 0 to under 60",
                    "Gold from 85, Silver from 50 to under 85, no grade under 50",
                    "Gold desde 85, Silver desde 50 hasta menos de 85, sin nota por debajo de 50"),
    "rounding": ({"rounding": 1}, "rounding", "rounded to whole numbers", "rounded to 1 decimal place",
                 "se redondean a 1 decimal"),
    "sponsorship_mode": ({"sponsorship_mode": "scored"}, "sponsorship", "only the bill's sponsors",
                         "every member of the bill's chamber is scored", "se califica a todos los miembros"),
    "withdrawal": ({"withdrawal": "debit"}, "sponsorship", "counts as never made",
                   "counts against the legislator", "cuenta en contra del legislador"),
    "lifetime": ({"lifetime": False}, "lifetime", "a lifetime score pools every scored item",
                 "there is no lifetime score", "no hay puntuación de trayectoria"),
}


@pytest.fixture
def house(app_env):
    engine = get_engine(app_env)
    h.published_house(engine, evil=False)
    with Session(engine) as db:
        card = db.exec(select(Scorecard)).one()
        service.add_item(db, card, kind="cosponsorship", bill_key="us-119-hr5", preferred="yes")
        db.commit()
    with TestClient(create_app(get_settings())) as c:
        yield c, engine


def test_every_setting_has_a_case():
    assert set(CASES) == {f.name for f in fields(ScoringSettings)}


@pytest.mark.parametrize("setting", sorted(CASES))
def test_changing_a_setting_changes_the_rule_on_the_page(house, setting):
    client, engine = house
    changes, key, before, after, after_es = CASES[setting]
    page = client.get(f"{BASE}/methodology").text
    assert before in rule(page, key) and after not in rule(page, key)
    with Session(engine) as db:
        service.update_settings(db, db.exec(select(Scorecard)).one(), changes)
        db.commit()
    page = client.get(f"{BASE}/methodology").text
    assert after in rule(page, key), rule(page, key)
    assert before not in rule(page, key)
    assert after_es in rule(client.get(f"{BASE}/methodology", params={"lang": "es"}).text, key)


def test_the_absence_rule_is_the_one_the_cells_apply(house):
    client, engine = house
    for policy, words, cell_rule in (("count_against", "count against", "absence counted against"),
                                     ("exclude", "do not count at all", "absence excluded"),
                                     ("partial", "earn partial credit", "absence earns partial credit 0.5")):
        with Session(engine) as db:
            service.update_settings(db, db.exec(select(Scorecard)).one(), {"absence_policy": policy})
            db.commit()
        page = client.get(f"{BASE}/methodology").text
        cruz = client.get("/api/scorecards/edfund/house-2025/legislators/bioguide:C000003").json()
        rules = [v["cell"]["rule"] for v in cruz["votes"] if v["cell"]["option"] == "not voting"]
        assert words in rule(page, "absence") and rules == [f"not voting: {cell_rule}"]


def test_weights_sponsorships_and_manual_items_come_from_the_items(house):
    client, engine = house
    page = client.get(f"{BASE}/methodology").text
    # V2 (an amendment vote) counts twice; the rest once.
    assert rule(page, "weights") == ('Items count by their weight: "On Agreeing to the Amendment" has weight 2; '
                                     'every other item has weight 1.')
    assert "Signed the school-meals letter" in rule(page, "manual")
    assert rule(page, "sponsorship").startswith("Sponsorships: only the bill's sponsors")
    es = client.get(f"{BASE}/methodology", params={"lang": "es"}).text
    assert rule(es, "weights").startswith('Los elementos cuentan según su peso: "On Agreeing to the Amendment" tiene peso 2')


def test_a_scorecard_without_sponsorship_or_manual_items_says_so(app_env):
    engine = get_engine(app_env)
    h.small_house(engine)
    with Session(engine) as db:
        card = service.create_scorecard(db, coalition="edfund", slug="plain", jurisdiction="us", title="Plain",
                                        publish=True, methodology="Absences do not count against members.")
        service.add_item(db, card, kind="floor_vote", vote_event_key="us-house-2025-1")
        db.commit()
    with TestClient(create_app(get_settings())) as c:
        page = c.get("/c/edfund/scorecards/plain/methodology").text
    assert rule(page, "sponsorship") == "No sponsorship is scored on this scorecard."
    assert rule(page, "manual").startswith("There are no manual items")
    assert rule(page, "weights") == "Every item has the same weight, 1."
    # The coalition's text stays its own note, apart from the rules, and says so; the rules
    # (written from the settings) say what the scores do.
    assert "Absences do not count" not in section(page, "rules")
    note = section(page, "coalition-note")
    assert note.startswith("A note from Education Fund <Coalition> In the coalition's own words.")
    assert "Absences do not count against members." in note
    assert rule(page, "absence").startswith('Absences ("not voting", "absent", not recorded): count against')


def test_staff_are_warned_when_a_note_states_a_rule(app_env, tmp_path):
    from cli.main import app as cli

    h.small_house(get_engine(app_env))
    note = tmp_path / "note.md"
    note.write_text("We score public-school votes. Absences do not count, and the final vote has double weight.")
    out = CliRunner().invoke(cli, ["scorecard", "create", "edfund/noted", "-j", "us", "--title", "Noted",
                                   "--methodology", str(note)])
    assert out.exit_code == 0, out.output
    assert "warning: the methodology note reads like a scoring rule (Absences, do not count, weight)" in out.output
    assert methodology.note_warnings("We track votes on community schools and school meals.") == []
    assert methodology.note_warnings("Las ausencias no cuentan.") == ["ausencias", "no cuentan"]


def test_both_languages_are_complete():
    words = methodology.texts()
    assert set(words["en"]) == set(words["es"])
    assert all(words["es"][k] != words["en"][k] for k in words["en"] if k not in ("list_join", "grade_join"))
