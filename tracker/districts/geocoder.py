"""The U.S. Census Geocoder's `geographies/onelineaddress` service: an address in, its
congressional and state legislative districts out (no key needed).

The service answers `{"result": {"addressMatches": [{"matchedAddress", "addressComponents",
"geographies": {layer name: [records]}}]}}`. District layers are named by Congress or by year
("119th Congressional Districts", "2024 State Legislative Districts - Upper"); the newest of each
kind is read, and a layer can come back as an error object (`[{"status": "Layer query
encountered an error ..."}]`) instead of records. A request it cannot serve is its own error
shape, `{"errors": [...], "status": "400"}`. Nothing here logs or keeps the address.
"""
from __future__ import annotations

import http.client
import json
import logging
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import us

log = logging.getLogger("edtracker.geocoder")

BENCHMARK = "Public_AR_Current"
VINTAGE = "Current_Current"
MAX_ADDRESS = 200
MAX_ANSWER_BYTES = 4_000_000

_CONGRESS_LAYER = re.compile(r"^(?:(\d+)(?:st|nd|rd|th) )?Congressional Districts$", re.I)
_SLD_LAYER = re.compile(r"^(?:(\d{4}) )?State Legislative Districts - (Upper|Lower)$", re.I)
_CD_FIELD = re.compile(r"^CD\d+(FP)?$")
# Census codes that name no seat: ZZ / ZZZ are areas with no district defined (water, some towns).
_UNDEFINED = {"ZZ", "ZZZ"}


class GeocoderUnavailable(Exception):
    """The service did not answer usably: down, too slow, or an answer that is not its JSON.
    `kind` is timeout, unreachable, http (with `status`) or bad_answer; no address in the text."""

    def __init__(self, kind: str, status: int | None = None):
        super().__init__(kind if status is None else f"{kind} {status}")
        self.kind, self.status = kind, status


@dataclass
class District:
    """One district of the address. `level` is congressional, state_upper or state_lower;
    `code` is the Census code as given ("07", "011", "98"), `number` the seat as legislatures
    number it ("7", "11", "AL" for an at-large seat or a delegate's)."""

    level: str
    state: str
    code: str
    number: str
    name: str | None = None
    geoid: str | None = None
    layer: str | None = None


@dataclass
class Geocoded:
    """What the service said about an address. `status`: ok (districts found), partial (the
    address was found, but its district layers failed or are missing), no_match, rejected (the
    service's own error answer; `message` says why)."""

    status: str
    matched_address: str | None = None
    state: str | None = None
    districts: list[District] = field(default_factory=list)
    failed_layers: list[str] = field(default_factory=list)
    message: str | None = None
    other_matches: int = 0


def state_of_fips(fips: str | None) -> str | None:
    """"06" -> "ca", "11" -> "dc", "72" -> "pr"."""
    if not fips:
        return None
    found = us.states.lookup(str(fips).zfill(2)) if str(fips).isdigit() else None
    return found.abbr.lower() if found else None


def seat_number(code: str, level: str) -> str:
    """A Census district code as the legislature numbers the seat: zero padding dropped ("007" ->
    "7", "01A" -> "1A"); a congressional "00" (at large) or "98" (a delegate's) -> "AL"."""
    code = code.strip().upper()
    if level == "congressional" and (code in ("00", "0", "98", "AL") or not code.strip("0")):
        return "AL"
    stripped = code.lstrip("0")
    return stripped or "0"


def _newest(geographies: dict, pattern: re.Pattern, which: str | None = None) -> tuple[str, list] | None:
    """The newest layer of a kind (by Congress number or year): (name, records or errors)."""
    best = None
    for name, records in geographies.items():
        m = pattern.match(name.strip())
        if not m or (which and m.group(2).lower() != which):
            continue
        rank = int(m.group(1) or 0)
        if best is None or rank > best[0]:
            best = (rank, name, records if isinstance(records, list) else [])
    return (best[1], best[2]) if best else None


def _failed(records: list) -> bool:
    return any(isinstance(r, dict) and "status" in r and "GEOID" not in r for r in records)


def _district(level: str, record: dict, layer: str) -> District | None:
    if level == "congressional":
        code = next((str(v) for k, v in record.items() if _CD_FIELD.match(k) and v not in (None, "")), None)
    else:
        fields = ("SLDUST", "SLDU") if level == "state_upper" else ("SLDLST", "SLDL")
        code = next((str(record[k]) for k in fields if record.get(k) not in (None, "")), None)
    geoid = str(record.get("GEOID") or "") or None
    code = code or (str(record.get("BASENAME")) if record.get("BASENAME") not in (None, "") else None) \
        or (geoid[2:] if geoid and len(geoid) > 2 else None)
    state = state_of_fips(str(record.get("STATE") or "") or (geoid[:2] if geoid else None))
    if not code or not state or code.strip().upper() in _UNDEFINED:
        return None
    return District(level=level, state=state, code=code.strip(), number=seat_number(code, level),
                    name=str(record.get("NAME") or "") or None, geoid=geoid, layer=layer)


def _districts(geographies: dict) -> tuple[list[District], list[str]]:
    found, failed = [], []
    for level, pattern, which in (("congressional", _CONGRESS_LAYER, None), ("state_upper", _SLD_LAYER, "upper"),
                                  ("state_lower", _SLD_LAYER, "lower")):
        layer = _newest(geographies, pattern, which)
        if layer is None:
            continue
        name, records = layer
        if _failed(records):
            failed.append(name)
            continue
        for record in records:
            if isinstance(record, dict):
                d = _district(level, record, name)
                if d is not None:
                    found.append(d)
    return found, failed


def _state(match: dict, districts: list[District]) -> str | None:
    states = (match.get("geographies") or {}).get("States") or []
    for record in states if isinstance(states, list) else []:
        if isinstance(record, dict) and record.get("STUSAB"):
            return str(record["STUSAB"]).lower()
        if isinstance(record, dict) and record.get("STATE"):
            return state_of_fips(str(record["STATE"]))
    code = str((match.get("addressComponents") or {}).get("state") or "").strip().lower()
    if code and us.states.lookup(code.upper()) is not None:
        return code
    return districts[0].state if districts else None


def parse(answer: dict) -> Geocoded:
    """A service answer (parsed JSON) -> `Geocoded`; the first address match is read."""
    if not isinstance(answer, dict):
        raise GeocoderUnavailable("bad_answer")
    if "result" not in answer and answer.get("errors"):
        errors = answer["errors"] if isinstance(answer["errors"], list) else [answer["errors"]]
        return Geocoded("rejected", message="; ".join(str(e) for e in errors)[:300])
    result = answer.get("result")
    if not isinstance(result, dict):
        raise GeocoderUnavailable("bad_answer")
    matches = [m for m in result.get("addressMatches") or [] if isinstance(m, dict)]
    if not matches:
        return Geocoded("no_match")
    match = matches[0]
    geographies = match.get("geographies") if isinstance(match.get("geographies"), dict) else {}
    districts, failed = _districts(geographies)
    state = _state(match, districts)
    others = sum(1 for m in matches[1:] if _districts(m.get("geographies") or {})[0] != districts)
    status = "ok" if districts and not failed else "partial"
    return Geocoded(status, matched_address=str(match.get("matchedAddress") or "") or None, state=state,
                    districts=districts, failed_layers=failed, other_matches=others)


def _cut(conn: http.client.HTTPConnection) -> None:
    sock = conn.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def fetch(address: str, *, base_url: str, timeout: float, user_agent: str) -> dict:
    """GET `geographies/onelineaddress` for `address` (all layers, JSON) within `timeout`
    seconds in all; the parsed JSON answer. Raises `GeocoderUnavailable`."""
    parts = urlsplit(base_url.rstrip("/") + "/geographies/onelineaddress")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        log.error("EDTRACKER_GEOCODER_BASE_URL is not an http(s) URL: /find cannot look up addresses")
        raise GeocoderUnavailable("unreachable")
    query = urlencode({"address": address, "benchmark": BENCHMARK, "vintage": VINTAGE, "layers": "all",
                       "format": "json"})
    conn_cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = conn_cls(parts.hostname, parts.port, timeout=timeout)
    # A server that answers byte by byte must not hold the page: cut the connection at the deadline.
    timer = threading.Timer(timeout, _cut, (conn,))
    started = time.monotonic()
    timer.start()
    try:
        conn.request("GET", f"{parts.path}?{query}", headers={
            "User-Agent": user_agent, "Accept": "application/json", "Connection": "close"})
        resp = conn.getresponse()
        body = resp.read(MAX_ANSWER_BYTES + 1)
    except (OSError, http.client.HTTPException) as exc:
        late = time.monotonic() - started >= timeout * 0.95 or isinstance(exc, TimeoutError)
        kind = "timeout" if late else "unreachable"
        log.warning("census geocoder %s (%s)", kind, type(exc).__name__)   # never the address
        raise GeocoderUnavailable(kind) from None
    finally:
        timer.cancel()
        conn.close()
    if time.monotonic() - started >= timeout:   # cut at the deadline: what was read is partial
        log.warning("census geocoder timeout (answer not complete)")
        raise GeocoderUnavailable("timeout")
    if len(body) > MAX_ANSWER_BYTES:
        log.warning("census geocoder answer over %d bytes", MAX_ANSWER_BYTES)
        raise GeocoderUnavailable("bad_answer")
    try:
        answer = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        answer = None
    # Its own error shape comes with a 400; other statuses and non-JSON answers mean it is down.
    if isinstance(answer, dict) and ("result" in answer or ("errors" in answer and resp.status < 500)):
        return answer
    log.warning("census geocoder answered HTTP %d without its JSON", resp.status)
    raise GeocoderUnavailable("http" if resp.status != 200 else "bad_answer", resp.status)


def geocode(address: str, *, base_url: str, timeout: float, user_agent: str) -> Geocoded:
    """Districts of `address` from the service (see `fetch` and `parse`)."""
    return parse(fetch(address, base_url=base_url, timeout=timeout, user_agent=user_agent))
