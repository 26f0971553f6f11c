"""The Census Geocoder client against a local mirror: the real recorded answers (one whose district
layers failed), answers built from the documented format, the service's error shape, no match,
a server error, a page that is not JSON, a server that never answers, one that drips its answer,
and none at all. The address is never logged."""
from __future__ import annotations

import json
import logging
import time

import pytest

from tests.districts import mirror
from tests.districts.mirror import GeocoderMirror, Silent, Drip, recording
from tracker.districts.geocoder import GeocoderUnavailable, geocode, parse, seat_number

UA = "edtracker/0.1 (+https://example.org; ops@example.org)"


@pytest.fixture(scope="module")
def census():
    with GeocoderMirror() as m:
        yield m


def ask(census, address, timeout=5.0):
    return geocode(address, base_url=census.base_url, timeout=timeout, user_agent=UA)


def test_real_recording_whose_district_layers_failed(census):
    g = ask(census, mirror.WHITE_HOUSE)
    # The address was found; its congressional and state legislative layers came back as the
    # service's error objects, so the answer is partial: the state is known, no district.
    assert g.status == "partial" and g.state == "dc" and g.districts == []
    assert g.matched_address == "1600 PENNSYLVANIA AVE NW, WASHINGTON, DC, 20502"
    assert set(g.failed_layers) == {"115th Congressional Districts", "2016 State Legislative Districts - Upper",
                                    "2016 State Legislative Districts - Lower"}
    request = census.log[-1]
    assert request.path == mirror.PATH and request.query["address"] == mirror.WHITE_HOUSE
    assert (request.query["benchmark"], request.query["vintage"], request.query["layers"], request.query["format"]) \
        == ("Public_AR_Current", "Current_Current", "all", "json")
    assert request.headers["User-Agent"] == UA                    # a contact, as for every source


def test_real_recordings_without_district_layers():
    # geographies/address and the benchmark test ask no district layers: the state comes from "States"
    for name in ("address-geographies.yaml", "test_benchmark_vintage.yaml"):
        (rec,) = recording(name)
        g = parse(json.loads(rec["body"]))
        assert (g.status, g.state, g.districts, g.failed_layers) == ("partial", "dc", [], [])
    # two matches of the same address with the same (no) districts: not "other matches"
    assert parse(json.loads(recording("test_benchmark_vintage.yaml")[0]["body"])).other_matches == 0


@pytest.mark.parametrize("address, state, expected", [
    (mirror.CA, "ca", [("congressional", "07", "7"), ("state_upper", "008", "8"), ("state_lower", "007", "7")]),
    (mirror.NY, "ny", [("congressional", "20", "20"), ("state_upper", "046", "46"), ("state_lower", "109", "109")]),
    (mirror.KY, "ky", [("congressional", "06", "6"), ("state_upper", "007", "7"), ("state_lower", "057", "57")]),
    (mirror.WY, "wy", [("congressional", "00", "AL"), ("state_upper", "008", "8"), ("state_lower", "008", "8")]),
    (mirror.PR, "pr", [("congressional", "98", "AL")]),
])
def test_documented_format_answers_give_districts(census, address, state, expected):
    g = ask(census, address)
    assert g.status == "ok" and g.state == state and g.failed_layers == []
    assert [(d.level, d.code, d.number) for d in g.districts] == expected
    assert all(d.state == state for d in g.districts)


def test_newest_layers_are_read():
    answer = mirror.built("1 Main St", "1 MAIN ST, X, CA, 95814", fips="06", stusab="CA", state_name="California",
                          cd="07", upper="008", lower="007")
    geos = answer["result"]["addressMatches"][0]["geographies"]
    older = mirror.built("1 Main St", "1 MAIN ST", fips="06", stusab="CA", state_name="California", cd="03",
                         upper="001", lower="002", congress=118, year=2022)["result"]["addressMatches"][0]["geographies"]
    geos.update({k: v for k, v in older.items() if k != "States"})
    g = parse(answer)
    assert [(d.level, d.number, d.layer) for d in g.districts] == [
        ("congressional", "7", "119th Congressional Districts"),
        ("state_upper", "8", "2024 State Legislative Districts - Upper"),
        ("state_lower", "7", "2024 State Legislative Districts - Lower")]


def test_partial_when_state_layers_fail(census):
    g = ask(census, mirror.CA_PARTIAL)
    assert g.status == "partial" and [d.level for d in g.districts] == ["congressional"]
    assert g.failed_layers == ["2024 State Legislative Districts - Upper", "2024 State Legislative Districts - Lower"]


def test_no_match_and_the_services_error_shape(census):
    assert ask(census, mirror.NO_MATCH).status == "no_match"
    rejected = ask(census, mirror.REJECTED)
    assert rejected.status == "rejected" and rejected.message == mirror.ERROR_SHAPE["errors"][0]


@pytest.mark.parametrize("address, kind", [(mirror.SERVER_ERROR, "http"), (mirror.NOT_JSON, "bad_answer")])
def test_down_or_not_json_is_unavailable(census, address, kind, caplog):
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(GeocoderUnavailable) as err:
            ask(census, address)
    assert err.value.kind == kind
    assert address not in caplog.text and "Springfield" not in caplog.text     # never the address


def test_a_server_that_never_answers_times_out(caplog):
    with Silent() as silent, caplog.at_level(logging.DEBUG):
        started = time.monotonic()
        with pytest.raises(GeocoderUnavailable) as err:
            geocode(mirror.CA, base_url=silent.base_url, timeout=0.5, user_agent=UA)
        assert err.value.kind == "timeout" and time.monotonic() - started < 3
    assert "Sacramento" not in caplog.text


def test_an_answer_dripped_byte_by_byte_is_cut_at_the_deadline():
    with Drip(pause=0.1) as drip:
        started = time.monotonic()
        with pytest.raises(GeocoderUnavailable) as err:
            geocode(mirror.CA, base_url=drip.base_url, timeout=0.6, user_agent=UA)
        assert err.value.kind == "timeout" and time.monotonic() - started < 3


def test_a_base_url_that_is_not_http_is_unavailable_not_a_crash(caplog):
    with pytest.raises(GeocoderUnavailable):
        geocode(mirror.CA, base_url="ftp://example.org/geocoder", timeout=1, user_agent=UA)
    assert "EDTRACKER_GEOCODER_BASE_URL" in caplog.text


def test_nobody_listening_is_unavailable():
    with Silent() as gone:
        url = gone.base_url
    with pytest.raises(GeocoderUnavailable) as err:
        geocode(mirror.CA, base_url=url, timeout=2, user_agent=UA)
    assert err.value.kind == "unreachable"


@pytest.mark.parametrize("code, level, number", [
    ("07", "congressional", "7"), ("00", "congressional", "AL"), ("98", "congressional", "AL"),
    ("12", "congressional", "12"), ("008", "state_upper", "8"), ("109", "state_lower", "109"),
    ("01A", "state_lower", "1A"), ("000", "state_lower", "0")])
def test_seat_numbers_lose_zero_padding_and_at_large_codes(code, level, number):
    assert seat_number(code, level) == number


def test_undefined_district_codes_name_no_seat():
    answer = mirror.built("1 Lake", "1 LAKE, X, IL, 60601", fips="17", stusab="IL", state_name="Illinois",
                          cd="ZZ", upper="ZZZ", lower="ZZZ")
    g = parse(answer)
    assert g.districts == [] and g.status == "partial"
