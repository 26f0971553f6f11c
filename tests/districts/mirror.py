"""A local Census Geocoder for the tests: the real recorded answers of
../shared/fixtures/census-geocoder, answers built from the service's documented format, its
error shapes, and servers that fail (down, never answering, dripping an answer).

No real recording carries district records (PROVENANCE.md of the fixture): the answers with
congressional and state legislative districts are built here from the documented format (layers
"119th Congressional Districts" and "2024 State Legislative Districts - Upper/Lower", records
with GEOID, STATE, CD119 / SLDUST / SLDLST, BASENAME and NAME). Their district numbers are
examples for the tests, not the Census Bureau's word on those addresses.
"""
from __future__ import annotations

import socket
import threading
import time
from urllib.parse import parse_qs, urlsplit

import yaml

from tests.conftest import real_fixture
from tests.spiders.jsonapi import JsonApiServer

PATH = "/geocoder/geographies/onelineaddress"
WHITE_HOUSE = "1600 Pennsylvania Avenue NW, Washington, DC, 20500"


class _CassetteLoader(yaml.SafeLoader):
    """vcrpy cassettes tag Python 2 strings `!!python/unicode`: read them as strings."""


_CassetteLoader.add_constructor("tag:yaml.org,2002:python/unicode", lambda loader, node: loader.construct_scalar(node))


def recording(name: str) -> list[dict]:
    """The interactions of a recorded cassette: [{uri, query, status, body (bytes), headers}]."""
    doc = yaml.load(real_fixture("census-geocoder", name).read_text(encoding="utf-8"), Loader=_CassetteLoader)
    out = []
    for item in doc["interactions"]:
        uri = item["request"]["uri"]
        out.append({"uri": uri, "path": urlsplit(uri).path,
                    "query": {k: v[0] for k, v in parse_qs(urlsplit(uri).query).items()},
                    "status": item["response"]["status"]["code"],
                    "body": item["response"]["body"]["string"].encode("utf-8")})
    return out


def _state(fips: str, stusab: str, name: str) -> dict:
    return {"STATE": fips, "STUSAB": stusab, "GEOID": fips, "NAME": name, "BASENAME": name, "LSADC": "00",
            "FUNCSTAT": "A", "MTFCC": "G4000"}


def built(address: str, matched: str, *, fips: str, stusab: str, state_name: str, cd: str | None,
          upper: str | None, lower: str | None, upper_field: str = "SLDUST", lower_field: str = "SLDLST",
          upper_name: str = "State Senate District {n}", lower_name: str = "State House District {n}",
          congress: int = 119, year: int = 2024, failed: tuple[str, ...] = ()) -> dict:
    """A geographies/onelineaddress answer in the documented format (one match)."""
    error = [{"status": "Layer query encountered an error: java.lang.RuntimeException: Failed to return"}]
    geos: dict = {"States": [_state(fips, stusab, state_name)]}
    cd_layer, up_layer, low_layer = (f"{congress}th Congressional Districts",
                                     f"{year} State Legislative Districts - Upper",
                                     f"{year} State Legislative Districts - Lower")
    if cd is not None:
        geos[cd_layer] = error if "cd" in failed else [{
            "GEOID": fips + cd, "STATE": fips, f"CD{congress}": cd, "BASENAME": str(int(cd)) if cd.isdigit() else cd,
            "NAME": ("Congressional District (at Large)" if cd == "00" else
                     "Delegate District (at Large)" if cd == "98" else
                     f"Congressional District {int(cd)}" if cd.isdigit() else "Congressional Districts not defined"),
            "CDSESSN": str(congress), "LSADC": "C2", "FUNCSTAT": "N", "MTFCC": "G5200"}]
    if upper is not None:
        geos[up_layer] = error if "upper" in failed else [{
            "GEOID": fips + upper, "STATE": fips, upper_field: upper, "BASENAME": upper.lstrip("0"),
            "NAME": upper_name.format(n=upper.lstrip("0")), "LSY": str(year), "LDTYP": "", "MTFCC": "G5210"}]
    if lower is not None:
        geos[low_layer] = error if "lower" in failed else [{
            "GEOID": fips + lower, "STATE": fips, lower_field: lower, "BASENAME": lower.lstrip("0"),
            "NAME": lower_name.format(n=lower.lstrip("0")), "LSY": str(year), "LDTYP": "", "MTFCC": "G5220"}]
    return {"result": {
        "input": {"address": {"address": address},
                  "benchmark": {"id": "4", "benchmarkName": "Public_AR_Current", "isDefault": True,
                                "benchmarkDescription": "Public Address Ranges - Current Benchmark"},
                  "vintage": {"id": "4", "vintageName": "Current_Current", "isDefault": True,
                              "vintageDescription": "Current Vintage - Current Benchmark"}},
        "addressMatches": [{"matchedAddress": matched, "coordinates": {"x": -100.0, "y": 40.0},
                            "tigerLine": {"tigerLineId": "1", "side": "L"},
                            "addressComponents": {"state": stusab, "zip": matched[-5:]}, "geographies": geos}]}}


# Addresses of the state capitols (and one in Cheyenne, Wyoming's single House seat), with the
# districts the tests expect to map to stored seats.
CA = "1315 10th Street, Sacramento, CA 95814"
NY = "198 State Street, Albany, NY 12210"
KY = "700 Capital Avenue, Frankfort, KY 40601"
WY = "200 W 24th Street, Cheyenne, WY 82001"
PR = "1 Calle Fortaleza, San Juan, PR 00901"
BUILT = {
    CA: built(CA, "1315 10TH ST, SACRAMENTO, CA, 95814", fips="06", stusab="CA", state_name="California",
              cd="07", upper="008", lower="007", lower_name="Assembly District {n}"),
    NY: built(NY, "198 STATE ST, ALBANY, NY, 12210", fips="36", stusab="NY", state_name="New York",
              cd="20", upper="046", lower="109", upper_field="SLDU", lower_field="SLDL",
              lower_name="Assembly District {n}"),
    KY: built(KY, "700 CAPITAL AVE, FRANKFORT, KY, 40601", fips="21", stusab="KY", state_name="Kentucky",
              cd="06", upper="007", lower="057"),
    WY: built(WY, "200 W 24TH ST, CHEYENNE, WY, 82001", fips="56", stusab="WY", state_name="Wyoming",
              cd="00", upper="008", lower="008"),
    PR: built(PR, "1 CALLE FORTALEZA, SAN JUAN, PR, 00901", fips="72", stusab="PR", state_name="Puerto Rico",
              cd="98", upper=None, lower=None),
}
# The capitol address again, with the state legislative layers failing (a partial answer).
CA_PARTIAL = "1315 10th St, Sacramento, CA"
BUILT[CA_PARTIAL] = built(CA_PARTIAL, "1315 10TH ST, SACRAMENTO, CA, 95814", fips="06", stusab="CA",
                          state_name="California", cd="07", upper="008", lower="007", failed=("upper", "lower"))
NO_MATCH = "1 Nowhere Lane, Atlantis, ZZ 00000"
REJECTED = "x"
SERVER_ERROR = "500 Error Street, Springfield, IL 62701"
NOT_JSON = "404 Html Road, Springfield, IL 62701"
# The service's own error shape (HTTP 400): a list of messages and the status as a string.
ERROR_SHAPE = {"errors": ["Address cannot be empty and cannot exceed 100 characters"], "status": "400"}


class GeocoderMirror(JsonApiServer):
    """Answers like the Census Geocoder: the recorded White House answer, the built answers, no
    match, its error shape, a 500 and an HTML page; every request is kept in `log`."""

    def __init__(self):
        self.recorded = {r["query"]["address"]: r for r in recording("onelineaddress.yaml")}
        super().__init__(self.answer)

    def answer(self, path: str, q: dict, headers):
        if path != PATH:
            return 404, b"<html>not found</html>", {"Content-Type": "text/html"}
        address = q.get("address", "")
        if address in self.recorded:
            return self.recorded[address]["status"], self.recorded[address]["body"], {"Content-Type": "application/json"}
        if address in BUILT:
            return 200, BUILT[address]
        if address == NO_MATCH:
            return 200, {"result": {"input": {"address": {"address": address}}, "addressMatches": []}}
        if address == REJECTED or not address.strip():
            return 400, ERROR_SHAPE
        if address == SERVER_ERROR:
            return 500, b"<html><body>Internal Server Error</body></html>", {"Content-Type": "text/html"}
        if address == NOT_JSON:
            return 200, b"<html><body>Service temporarily unavailable</body></html>", {"Content-Type": "text/html"}
        return 200, {"result": {"input": {"address": {"address": address}}, "addressMatches": []}}

    @property
    def base_url(self) -> str:
        return self.url + "/geocoder"


class Silent:
    """A server that accepts connections and never answers (the backlog holds them)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.base_url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/geocoder"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.sock.close()


class Drip:
    """A server that sends headers, then its body one byte every `pause` seconds."""

    def __init__(self, pause: float = 0.2):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.pause, self.stop = pause, threading.Event()
        self.base_url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/geocoder"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
                while not self.stop.is_set():
                    conn.sendall(b" ")
                    time.sleep(self.pause)
            except OSError:
                return

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.sock.close()
