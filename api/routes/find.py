"""JSON API of "find my legislators": by street address (the U.S. Census Geocoder) or by state
and district numbers; the same service as the `/find` page (`tracker.districts.find`)."""
from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from api.deps import SessionDep, SettingsDep, TodayDep
from tracker.districts.find import find_by_address, find_by_district
from tracker.districts.views import FindResult
from tracker.people.directory import FilterError

router = APIRouter(prefix="/api", tags=["find my legislators"])

Address = Annotated[str | None, Query(max_length=200, description="a street address with city and state or ZIP "
                                      "code; sent to the Census Geocoder, never stored or logged")]
State = Annotated[str | None, Query(max_length=2, pattern=r"^[A-Za-z]{0,2}$", description="postal code: ca, dc, pr")]
DistrictText = Annotated[str | None, Query(max_length=40)]
_ADDRESS_IN_QUERY = re.compile(r"(?i)((?:^|[?&])address=)[^&\s]*")
# Links that are credentials: whoever reads them in a log could confirm, unsubscribe, read a
# private feed, reset a password or join a coalition's staff.
_SECRET_IN_PATH = re.compile(r"(/alerts/(?:confirm|preferences|unsubscribe)/|/staff/(?:reset|invite)/)[^/?\s\"]+"
                             r"|(/alerts/feeds/)[^/?\s.\"]+")


def redact(text: str) -> str:
    """A request line with the value of `address=` and the tokens of secret links removed."""
    return _SECRET_IN_PATH.sub(lambda m: f"{m.group(1) or m.group(2)}[redacted]",
                               _ADDRESS_IN_QUERY.sub(r"\1[redacted]", text))


def _sensitive(text: str) -> bool:
    low = text.lower()
    return "address=" in low or "/alerts/" in low or "/staff/" in low


class RedactAddresses(logging.Filter):
    """Access logs (uvicorn's) never show an address asked for (`address=` values are cut) nor
    the token of a secret link (confirmation, preferences, unsubscribe, feed, reset, invitation)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(isinstance(a, str) and _sensitive(a) for a in record.args):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str) and _sensitive(record.msg):
            record.msg = redact(record.msg)
        return True


def install_log_redaction() -> None:
    """Put the filter on uvicorn's access logger once (its handlers read the redacted record)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactAddresses) for f in access.filters):
        access.addFilter(RedactAddresses())


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def lookup(request: Request, db, settings, *, address: str | None, state: str | None, district: str | None,
           upper: str | None, lower: str | None, on: dt.date | None = None) -> FindResult:
    """By address when one is given, else by state and districts (`FilterError` names a bad input);
    the members serving `on` (default today)."""
    if (address or "").strip():
        return find_by_address(db, address, base_url=settings.geocoder_base_url,
                               timeout=settings.geocoder_timeout_seconds, user_agent=settings.effective_user_agent,
                               client=client_of(request), per_hour=settings.find_per_hour, on=on)
    if not (state or "").strip():
        raise FilterError("address", "give an address, or a state (and district numbers)")
    return find_by_district(db, state, district, upper, lower, on=on)


@router.get("/find", response_model=FindResult, responses={
    503: {"model": FindResult, "description": "the geocoder is down or too slow (status unavailable)"},
    429: {"model": FindResult, "description": "too many address look-ups from this client (status throttled)"}})
def find(request: Request, db: SessionDep, settings: SettingsDep, day: TodayDep, address: Address = None,
         state: State = None,
         district: Annotated[DistrictText, Query(description="congressional district (1-99, or AL at large)")] = None,
         upper: Annotated[DistrictText, Query(description="state senate (upper chamber) district")] = None,
         lower: Annotated[DistrictText, Query(description="state house or assembly (lower chamber) district")] = None,
         ) -> FindResult:
    """The current legislators who represent an address (its congressional and state legislative
    districts from the U.S. Census Geocoder) or a state and its district numbers: the state's
    two U.S. senators, its House member, its state senator and representative, each with their
    grades on published scorecards. The geocoder's answers other than a match come back as
    `status` (no_match, rejected with its message, partial when its district layers failed)."""
    try:
        result = lookup(request, db, settings, address=address, state=state, district=district,
                        upper=upper, lower=lower, on=day)
    except FilterError as err:
        raise HTTPException(422, str(err)) from None
    if result.status == "unavailable":
        return JSONResponse(result.model_dump(mode="json"), status_code=503, headers={"Retry-After": "60"})
    if result.status == "throttled":
        return JSONResponse(result.model_dump(mode="json"), status_code=429,
                            headers={"Retry-After": str(result.retry_after or 60)})
    return result
