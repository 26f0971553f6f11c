"""English and Spanish: complete catalogs, the language a request gets, names and dates."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from api.i18n import LANGS, catalog, from_accept_language, negotiate, translator
from api.i18n import format as fmt

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_catalogs_have_the_same_keys_and_placeholders():
    en = catalog("en")
    for lang in LANGS:
        other = catalog(lang)
        assert set(other) == set(en), f"{lang}: missing {set(en) - set(other)}, extra {set(other) - set(en)}"
        for key, text in other.items():
            assert text.strip(), f"{lang}:{key} is empty"
            assert set(_PLACEHOLDER.findall(text)) == set(_PLACEHOLDER.findall(en[key])), f"{lang}:{key}"


def test_spanish_differs_where_it_should():
    """A Spanish catalog that copied English would pass the key check; the page words must differ."""
    en, es = catalog("en"), catalog("es")
    same = [k for k in en if en[k] == es[k] and not k.startswith(("site.name", "nav.api"))
            and len(en[k]) > 3 and not _PLACEHOLDER.fullmatch(en[k].strip())]
    assert len(same) <= 0.1 * len(en), f"untranslated: {same}"


@pytest.mark.parametrize("header, expected", [
    ("es-MX,es;q=0.9,en;q=0.8", "es"),
    ("en-US,en;q=0.9,es;q=0.8", "en"),
    ("fr-FR,fr;q=0.9,es;q=0.5", "es"),
    ("fr-FR", None),
    ("es;q=0.2, en;q=0.9", "en"),
    ("es;q=0", None),
    ("*", "en"),
    ("", None),
    (None, None),
    ("es;q=abc", "es"),
])
def test_accept_language(header, expected):
    assert from_accept_language(header) == expected


def test_negotiation_order():
    assert negotiate("es", "en", "en") == "es"         # the switch link wins
    assert negotiate(None, "es", "en-US") == "es"      # then the remembered choice
    assert negotiate("xx", None, "es-ES") == "es"      # an unknown ?lang= is ignored
    assert negotiate(None, None, "de") == "en"


def test_translator_falls_back_to_english_then_the_key():
    t = translator("es")
    assert t("stage.enacted") == "Promulgado"
    assert t("bills.count", n=3) == "3 proyectos de ley"
    assert t("no.such.key") == "no.such.key"


@pytest.mark.parametrize("jurisdiction, chamber, lang, expected", [
    ("us", "lower", "en", "House"), ("us", "lower", "es", "Cámara de Representantes"),
    ("ca", "lower", "en", "Assembly"), ("ny", "lower", "es", "Asamblea"),
    ("ky", "upper", "es", "Senado"), ("ne", "upper", "en", "Legislature"),
    ("va", "lower", "en", "House of Delegates"), ("us", None, "en", ""),
])
def test_chamber_names(jurisdiction, chamber, lang, expected):
    assert fmt.chamber_name(jurisdiction, chamber, lang) == expected


def test_parties_jurisdictions_and_dates():
    assert fmt.party_name("Democrat", "es") == "Demócrata"
    assert fmt.party_name("R", "en") == "Republican"
    assert fmt.party_name("Working Families Party of the Moon", "es") == "Working Families Party of the Moon"
    assert fmt.jurisdiction_name("ny", "es") == "Nueva York"
    assert fmt.jurisdiction_name("ky", "es") == "Kentucky"
    assert fmt.jurisdiction_name("us", "en") == "U.S. Congress"
    assert fmt.format_date(dt.date(2026, 12, 3), "en") == "Dec 3, 2026"
    assert fmt.format_date("2026-12-03", "es", "long") == "3 de diciembre de 2026"
    assert fmt.format_date("not a date", "es") == "not a date"
    assert fmt.format_date(None, "en") == ""
