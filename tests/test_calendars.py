"""Issue 14, finding 7: session calendars as data, and bills that die when their session ends.

Real files where they exist: the NY OpenLegislation bill S609-2017, BILLSTATUS bills, LegiScan's
Alaska bills, California's 2025-26 pubinfo dump. There is no real Kentucky bill file among the
fixtures (see their README), so the Kentucky case is a small hand-made record.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlmodel import Session, select

from scrapers.formats.billstatus import parse_bill
from scrapers.importer import iter_records, plan
from tests.conftest import ROOT, real_fixture
from tracker.actions.state import classify_state_action
from tracker.bills.adjournment import sweep
from tracker.contract import build
from tracker.ingest import Ingestor
from tracker.jurisdictions import calendar
from tracker.jurisdictions.registry import JURISDICTION_IDS
from tracker.jurisdictions.seed import default_session
from tracker.models import Bill, ChangeEvent, LegislativeSession

D = dt.date


def stages(engine, *keys) -> dict:
    with Session(engine) as s:
        rows = s.exec(select(Bill).where(Bill.key.in_(keys)) if keys else select(Bill)).all()
        return {b.key: (b.stage, b.stage_date) for b in rows}


def died_events(engine) -> list[ChangeEvent]:
    with Session(engine) as s:
        return list(s.exec(select(ChangeEvent).where(ChangeEvent.kind == "died_at_adjournment")
                           .order_by(ChangeEvent.id)))


# --- the calendar file -------------------------------------------------------------------------


def test_calendar_file_states_the_rules_with_their_sources():
    text = (ROOT / "tracker" / "data" / "calendars.yaml").read_text()
    for cited in ("20th Amendment", "art. IV, sec. 3(a)", "art. IV, sec. 10(c)", "art. XIII sec. 4",
                  "Ky. Const. sec. 36", "sec. 42"):
        assert cited in text, cited
    assert set(calendar.calendars()) <= JURISDICTION_IDS
    for juris, rules in calendar.calendars().items():
        for entry in rules.get("sessions") or []:
            end = entry.get("sine_die") or entry.get("end")
            assert entry["start"] < end, (juris, entry)


@pytest.mark.parametrize("juris,ident,start,end,carry_over", [
    ("ca", "20252026", D(2024, 12, 2), D(2026, 11, 30), True),     # listed
    ("ca", "20272028", D(2026, 12, 7), D(2028, 11, 30), True),     # by rule: first Monday of December
    ("ny", "2025", D(2025, 1, 8), D(2026, 12, 31), True),
    ("ny", "2027", D(2027, 1, 6), D(2028, 12, 31), True),           # first Wednesday after first Monday
    ("ky", "2024", D(2024, 1, 2), D(2024, 4, 15), False),
    ("ky", "2025", D(2025, 1, 7), D(2025, 3, 28), False),
    ("ky", "2027", D(2027, 1, 5), D(2027, 3, 30), False),           # sec. 42: odd years by March 30
    ("ky", "2028", D(2028, 1, 4), D(2028, 4, 15), False),           # even years by April 15
    ("ky", "2022s1", D(2022, 8, 24), D(2022, 8, 26), False),
    ("us", "119", D(2025, 1, 3), D(2027, 1, 3), True),
    ("us", "121", D(2029, 1, 3), D(2031, 1, 3), True),
    ("ak", "20112012", D(2011, 1, 1), D(2012, 12, 31), True),      # no calendar: the nominal years
])
def test_session_dates(juris, ident, start, end, carry_over):
    s = default_session(juris, ident)
    assert (s["start_date"], s["end_date"], s["carry_over"]) == (start, end, carry_over)


# --- Kentucky: annual sessions, nothing carries over --------------------------------------------


def ky_bill(number: str, session: str, actions: list[tuple[str, str, list[str]]], **kw) -> dict:
    return {"type": "bill", "jurisdiction": "ky", "session": session, "identifier": number,
            "title": "AN ACT relating to school safety.",
            "actions": [{"date": d, "description": t, "actor": "lower", "classification": c}
                        for d, t, c in actions],
            "source": {"format": "openstates-api", "url": "https://v3.openstates.org/bills?page=1"}, **kw}


IN_COMMITTEE = [("2024-01-10", "introduced in House", ["introduction"]),
                ("2024-01-16", "to Education (H)", ["referral-committee"])]


def test_kentucky_bill_left_in_committee_dies_at_sine_die(engine):
    ing = Ingestor(engine, today=D(2024, 3, 1))
    ing.ingest([ky_bill("HB 99", "2024", IN_COMMITTEE),
                ky_bill("HB 98", "2024", IN_COMMITTEE + [
                    ("2024-03-20", "3rd reading, passed 80-15", ["passage"]),
                    ("2024-03-28", "received in Senate; passed 30-5", ["passage"]),
                    ("2024-03-29", "delivered to Governor", ["executive-receipt"])])])
    assert stages(engine)["ky-2024-hb99"] == ("in_committee", D(2024, 1, 16))

    assert sweep(engine, today=D(2024, 4, 15)).died == 0  # sine die day: it can still move
    report = sweep(engine, today=D(2024, 4, 16))
    assert report.died == 1 and report.bills[0]["key"] == "ky-2024-hb99"
    # Sent to the governor before adjournment: the governor acts after it, so not dead.
    assert stages(engine) == {"ky-2024-hb99": ("dead", D(2024, 4, 15)),
                              "ky-2024-hb98": ("to_executive", D(2024, 3, 29))}
    (event,) = died_events(engine)
    assert event.natural_key == "bill:ky-2024-hb99:died:2024"
    assert event.payload["date"] == "2024-04-15" and event.payload["old_stage"] == "in_committee"

    # Idempotent: a second sweep, and a re-import of the same record, change nothing.
    assert sweep(engine, today=D(2024, 4, 17)).died == 0
    again = Ingestor(engine, today=D(2024, 5, 1)).ingest([ky_bill("HB 99", "2024", IN_COMMITTEE)])
    assert again.summary()["noop"] == 1 and len(died_events(engine)) == 1


def test_kentucky_bill_imported_after_adjournment_is_dead_not_in_committee(engine):
    # Before issue 14 the session "ended" on a nominal December 31: in May it was "in committee".
    Ingestor(engine, today=D(2024, 5, 1)).ingest([ky_bill("HB 97", "2024", IN_COMMITTEE)])
    assert stages(engine)["ky-2024-hb97"] == ("dead", D(2024, 4, 15))


def test_kentucky_2025_session_is_its_own(engine):
    actions = [("2025-01-08", "introduced in House", ["introduction"]),
               ("2025-01-14", "to Education (H)", ["referral-committee"])]
    ing = Ingestor(engine, today=D(2025, 2, 1))
    ing.ingest([ky_bill("HB 120", "2025", actions)])
    assert sweep(engine, today=D(2025, 3, 28)).died == 0
    assert sweep(engine, today=D(2025, 3, 29)).died == 1
    assert stages(engine)["ky-2025-hb120"] == ("dead", D(2025, 3, 28))


# --- New York: a two-year session, bills carry over ----------------------------------------------


def test_real_new_york_bill_carries_over_then_dies_with_the_session(engine):
    path = real_fixture("ny-openleg", "api-v3", "bill_S609-2017.json")
    Ingestor(engine, today=D(2017, 6, 1)).ingest(list(iter_records(plan([str(path)]))))
    assert stages(engine)["ny-2017-s609"][0] == "in_committee"
    assert sweep(engine, today=D(2018, 6, 1)).died == 0  # the second year of 2017-2018
    assert sweep(engine, today=D(2019, 1, 1)).died == 1
    assert stages(engine)["ny-2017-s609"] == ("dead", D(2018, 12, 31))
    assert [e.natural_key for e in died_events(engine)] == ["bill:ny-2017-s609:died:2017"]


# --- Congress: a congress ends on 3 January --------------------------------------------------------


def test_real_federal_bill_dies_when_its_congress_ends(engine):
    path = real_fixture("billstatus", "legacy-noversion", "BILLSTATUS-114s469.xml")
    Ingestor(engine, today=D(2015, 6, 1)).ingest([parse_bill(path.read_bytes(), str(path))])
    assert stages(engine)["us-114-s469"][0] == "in_committee"
    assert sweep(engine, today=D(2016, 12, 31)).died == 0
    assert sweep(engine, today=D(2017, 1, 3)).died == 0
    assert sweep(engine, today=D(2017, 1, 4)).died == 1
    assert stages(engine)["us-114-s469"] == ("dead", D(2017, 1, 3))


# --- LegiScan's sine_die flag and Open States' end dates --------------------------------------------


def alaska_records():
    return list(iter_records(plan([str(real_fixture("legiscan", "bill"))])))


def legiscan_session(**flags) -> dict:
    # getSessionList's entry for the session of the real Alaska files (its documented fields).
    return {"type": "session", "jurisdiction": "ak", "identifier": "20112012", "name": "27th Legislature",
            "start_date": "2011-01-01", "end_date": "2012-12-31", "carry_over": True, **flags,
            "source": {"format": "legiscan-api", "url": "https://api.legiscan.com/?op=getSessionList&state=AK"}}


def test_legiscan_sine_die_flag_then_open_states_end_date(engine):
    ak = ("ak-20112012-hb1", "ak-20112012-hb2", "ak-20112012-hb3")
    ing = Ingestor(engine, today=D(2012, 6, 1))
    ing.ingest(alaska_records())
    # Pending (the nominal end of 2012 is ahead), whatever happened in Juneau in April.
    assert {k: s for k, (s, _) in stages(engine, *ak).items()} == {
        "ak-20112012-hb1": "passed_origin", "ak-20112012-hb2": "in_committee", "ak-20112012-hb3": "passed_origin"}

    # LegiScan says the session adjourned sine die, without a date: dead, the date left unknown.
    ing.ingest([legiscan_session(sine_die=True)])
    assert sweep(engine, today=D(2012, 6, 2)).died == 3
    assert set(stages(engine, *ak).values()) == {("dead", None)}
    assert ing.ingest(alaska_records()).summary()["update"] == 0  # their session blocks do not say

    # Open States gives the session's end date: the bills died that day.
    ing.ingest([{"type": "session", "jurisdiction": "ak", "identifier": "20112012", "name": "27th Legislature",
                 "start_date": "2011-01-18", "end_date": "2012-04-15",
                 "source": {"format": "openstates-api", "url": "https://v3.openstates.org/jurisdictions/ak"}}])
    sweep(engine, today=D(2012, 6, 3))
    assert set(stages(engine, *ak).values()) == {("dead", D(2012, 4, 15))}
    assert len(died_events(engine)) == 3
    with Session(engine) as s:
        row = s.exec(select(LegislativeSession).where(LegislativeSession.jurisdiction_id == "ak")).one()
    assert (row.adjourned, row.dates_source, sorted(row.reported)) == (
        True, "openstates", ["legiscan-api", "legiscan-json", "openstates-api"])


# --- California: two-year bills and the January 31 house-of-origin deadline ----------------------


def _pubinfo_rows(name: str) -> list[list[str]]:
    path = real_fixture("ca-pubinfo", "2025-daily", name)
    return [[c.strip("`") for c in line.split("\t")] for line in path.read_text(encoding="utf-8").splitlines()]


CA_TYPES = {"AB": "bill", "SB": "bill", "ACA": "constitutional amendment", "SCA": "constitutional amendment",
            "ACR": "concurrent resolution", "SCR": "concurrent resolution", "AJR": "joint resolution",
            "SJR": "joint resolution", "HR": "resolution", "SR": "resolution"}


def california_bills(per_type: int = 40) -> list[dict]:
    """Bills of the real 2025-26 dump (history up to March 2025) as records: the first
    `per_type` of each measure type, every constitutional amendment."""
    history: dict[str, list] = {}
    for row in _pubinfo_rows("BILL_HISTORY_TBL.dat"):
        history.setdefault(row[0], []).append(row)
    taken: Counter = Counter()
    out = []
    def order(bill_id: str) -> tuple[str, int]:  # 202520260AB12 -> ("AB", 12)
        kind = bill_id[9:].rstrip("0123456789")
        return kind, int(bill_id[9 + len(kind):] or 0)

    for bill_id in sorted(history, key=order):
        kind = bill_id[9:].rstrip("0123456789")
        if bill_id[8] != "0" or kind not in CA_TYPES or taken[kind] >= per_type:
            continue  # special sessions' bills aside
        taken[kind] += 1
        rows = sorted(history[bill_id], key=lambda r: (r[2], int(r[6])))
        out.append({"type": "bill", "jurisdiction": "ca", "session": "20252026",
                    "identifier": f"{kind} {bill_id[9 + len(kind):]}", "bill_type": CA_TYPES[kind],
                    "title": f"{kind} {bill_id[9 + len(kind):]}",
                    "actions": [{"date": r[2][:10], "description": r[3],
                                 "actor": {"Assembly": "lower", "Senate": "upper"}.get(r[9], "legislature"),
                                 "classification": classify_state_action("ca", r[3])} for r in rows],
                    "source": {"format": "ca-pubinfo", "url": "https://downloads.leginfo.legislature.ca.gov/"}})
    return out


def test_real_california_two_year_bills_die_at_the_origin_deadline_then_at_sine_die(engine):
    records = california_bills()
    Ingestor(engine, today=D(2025, 3, 10)).ingest([build("bill", r) for r in records], keep_results=False)
    before = stages(engine)
    kinds = {f"ca-20252026-{r['identifier'].lower().replace(' ', '')}": r["bill_type"] for r in records}
    before_origin = {k for k, (s, _) in before.items() if s in ("introduced", "in_committee", "out_of_committee")}
    amendments = {k for k in before_origin if kinds[k] == "constitutional amendment"}
    assert len(before_origin) > len(records) // 2 and amendments  # most of the dump still sits in its first house

    assert sweep(engine, today=D(2026, 1, 31)).died == 0
    sweep(engine, today=D(2026, 2, 1))
    after = stages(engine)
    # Art. IV sec. 10(c): first-year bills still in their house of origin die on January 31 ...
    assert {k for k, v in after.items() if v == ("dead", D(2026, 1, 31))} == before_origin - amendments
    # ... but not constitutional amendments, nor bills past their first house, nor resolutions
    # already adopted.
    assert all(after[k] == before[k] for k in amendments | (set(before) - before_origin))

    sweep(engine, today=D(2026, 12, 1))  # the session ended on November 30, 2026
    final = stages(engine)
    pending = {k for k, (s, _) in before.items() if s in calendar.PENDING} - (before_origin - amendments)
    assert pending >= amendments
    assert {k for k, v in final.items() if v == ("dead", D(2026, 11, 30))} == pending
    assert len(died_events(engine)) == len(pending) + len(before_origin - amendments)


def test_cli_sweep_and_sessions_list(app_env):
    import json

    from typer.testing import CliRunner

    from cli.main import app
    from tracker.db import get_engine

    engine = get_engine(app_env)
    Ingestor(engine, today=D(2024, 3, 1)).ingest([ky_bill("HB 99", "2024", IN_COMMITTEE)])
    runner = CliRunner()
    bad = runner.invoke(app, ["sessions", "sweep", "--today", "April 16"])
    assert bad.exit_code != 0 and "--today 'April 16': expected a date" in bad.output
    out = runner.invoke(app, ["sessions", "sweep", "--today", "2024-04-16", "--json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.stdout)
    assert report["died"] == 1 and report["bills"] == [
        {"key": "ky-2024-hb99", "old_stage": "in_committee", "date": "2024-04-15", "reason": "adjournment"}]
    again = runner.invoke(app, ["sessions", "sweep", "--today", "2024-04-16"])
    assert "0 bill(s) died at adjournment" in again.stdout
    listing = runner.invoke(app, ["sessions", "list", "-j", "ky", "--json"])
    (row,) = json.loads(listing.stdout)
    assert (row["identifier"], row["sine_die_date"], row["dates_source"], row["carry_over"]) == (
        "2024", "2024-04-15", "calendar", False)


def test_died_event_reads_well_in_alerts():
    from tracker.alerts.render import summary

    def ev(date):
        return ChangeEvent(natural_key="k", kind="died_at_adjournment", bill_key="ky-2024-hb99",
                           payload={"session": "2024", "date": date, "old_stage": "in_committee"})
    assert summary(ev("2024-04-15")) == "Died when session 2024 ended (2024-04-15), still In committee"
    assert summary(ev(None)) == "Died when session 2024 ended (day not published), still In committee"
