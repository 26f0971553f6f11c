"""Names and dates as people read them, in English or Spanish: chambers as each legislature calls
them, parties, jurisdictions, stages and vote options (through the catalogs), and dates."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from api.i18n import catalog, translator
from tracker.jurisdictions.registry import all_jurisdictions
from tracker.people.parties import PARTY_KEYS

# What a legislature calls its lower chamber, where it is not "House" (state constitutions).
_LOWER_NAMES = {"ca": "assembly", "ny": "assembly", "nv": "assembly", "nj": "assembly", "wi": "assembly",
                "md": "delegates", "va": "delegates", "wv": "delegates"}
# Nebraska's legislature and the DC Council have one chamber.
_ONLY_CHAMBER = {"ne": "legislature", "dc": "council"}

_PARTIES = PARTY_KEYS  # one table for pages and the legislator filters

# Spanish names of the states whose names differ (Real Academia Española's usual forms).
_STATE_NAMES_ES = {
    "nh": "Nuevo Hampshire", "nj": "Nueva Jersey", "nm": "Nuevo México", "ny": "Nueva York",
    "nc": "Carolina del Norte", "sc": "Carolina del Sur", "nd": "Dakota del Norte",
    "sd": "Dakota del Sur", "pa": "Pensilvania", "wv": "Virginia Occidental", "hi": "Hawái",
    "la": "Luisiana", "mi": "Míchigan", "or": "Oregón", "ms": "Misisipi", "mo": "Misuri",
    "dc": "Distrito de Columbia", "us": "Estados Unidos",
}

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
           "octubre", "noviembre", "diciembre"),
}


def chamber_name(jurisdiction: str | None, chamber: str | None, lang: str) -> str:
    """"Assembly" for California's lower chamber, "Cámara de Representantes" for the U.S. House..."""
    if not chamber:
        return ""
    t = translator(lang)
    j = (jurisdiction or "").lower()
    if chamber == "lower":
        word = _ONLY_CHAMBER.get(j) or _LOWER_NAMES.get(j, "house")
    elif chamber == "upper":
        word = _ONLY_CHAMBER.get(j, "senate")
    else:
        word = chamber
    return t(f"chamber.{word}") if f"chamber.{word}" in catalog("en") else chamber


def party_name(party: str | None, lang: str) -> str:
    """"Democratic" / "Demócrata"; a party we do not know is shown as the source spells it."""
    if not party:
        return ""
    key = _PARTIES.get(party.strip().lower())
    return translator(lang)(f"party.{key}") if key else party


@lru_cache
def _jurisdiction_names() -> dict[str, str]:
    return {row["id"]: row["name"] for row in all_jurisdictions()}


def jurisdiction_name(jurisdiction: str | None, lang: str) -> str:
    """"California", "Nueva York"; `us` is Congress ("U.S. Congress" / "Congreso de EE. UU.")."""
    if not jurisdiction:
        return ""
    j = jurisdiction.lower()
    if j == "us":
        return translator(lang)("jurisdiction.us")
    if lang == "es" and j in _STATE_NAMES_ES:
        return _STATE_NAMES_ES[j]
    return _jurisdiction_names().get(j, jurisdiction.upper())


def stage_label(stage: str | None, lang: str) -> str:
    return translator(lang)(f"stage.{stage}") if stage else ""


def vote_option(option: str | None, lang: str) -> str:
    return translator(lang)(f"vote.{option.replace(' ', '_')}") if option else ""


def format_date(value, lang: str, style: str = "medium") -> str:
    """3 Dec 2026 style dates: "Dec 3, 2026" / "3 dic 2026" (medium), "December 3, 2026" /
    "3 de diciembre de 2026" (long). Strings in ISO form are parsed; anything else is shown as is."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.date()
    months = _MONTHS.get(lang, _MONTHS["en"])
    month = months[value.month - 1]
    if lang == "es":
        return (f"{value.day} de {month} de {value.year}" if style == "long"
                else f"{value.day} {month[:3]} {value.year}")
    return f"{month} {value.day}, {value.year}" if style == "long" else f"{month[:3]} {value.day}, {value.year}"


def label(prefix: str, value: str | None, lang: str) -> str:
    """The catalog's name of `value` under `prefix` ("outcome.success"), else the value as is."""
    if not value:
        return ""
    key = f"{prefix}.{value}"
    return translator(lang)(key) if key in catalog("en") else value


def area_name(slug: str, name: str, lang: str) -> str:
    """A default-taxonomy issue area in the page's language (English keeps the stored name, which a
    deployment may have edited); other areas are shown as their coalition names them."""
    key = f"area.{slug}"
    return translator(lang)(key) if lang != "en" and key in catalog(lang) else name


@lru_cache
def _timezones() -> dict[str, str]:
    return {row["id"]: row.get("timezone") or "America/New_York" for row in all_jurisdictions()}


def format_when(value: dt.datetime | None, jurisdiction: str | None, lang: str) -> str:
    """A meeting time where it happens: "Dec 3, 2026, 10:00 (PST)" / "3 dic 2026, 10:00 (PST)"."""
    if value is None:
        return ""
    from zoneinfo import ZoneInfo

    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    local = value.astimezone(ZoneInfo(_timezones().get((jurisdiction or "").lower(), "America/New_York")))
    return f"{format_date(local.date(), lang)}, {local:%H:%M} ({local.tzname()})"


def format_utc(value, lang: str) -> str:
    """A moment in UTC: "Dec 3, 2026, 09:08 UTC" (ISO strings are parsed)."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc)
    return f"{format_date(value.date(), lang)}, {value:%H:%M} UTC"
