"""Languages of the public pages: English and Spanish.

The language of a request comes from, in order: `?lang=` (a switch link; it also sets the
`edtracker_lang` cookie), that cookie, the `Accept-Language` header, then English. Strings live
in one catalog per language (`en.yaml`, `es.yaml`, dotted keys); `tests/pages` checks both have
the same keys and the same `{placeholders}`.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Callable

import yaml

LANGS = ("en", "es")
DEFAULT = "en"
COOKIE = "edtracker_lang"
NAMES = {"en": "English", "es": "Español"}
_HERE = Path(__file__).resolve().parent
_QUALITY = re.compile(r"^\s*q\s*=\s*([0-9.]+)\s*$")
# LibYAML reads a catalog in ~15 ms where the pure-Python loader takes ~200 ms of GIL-holding CPU.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = str(value)
    return out


@lru_cache
def catalog(lang: str) -> dict[str, str]:
    """Every message of `lang`, by dotted key."""
    return _flatten(yaml.load((_HERE / f"{lang}.yaml").read_text(encoding="utf-8"), Loader=FAST_LOADER) or {})


def warm() -> None:
    """Read every catalog now (at start-up): a first Spanish visitor must not stall the other requests."""
    for lang in LANGS:
        catalog(lang)


def from_accept_language(header: str | None) -> str | None:
    """The best of our languages in an `Accept-Language` header (RFC 9110 quality values)."""
    best, best_q = None, 0.0
    for order, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        m = _QUALITY.match(params) if params else None
        if m:
            try:
                q = float(m.group(1))
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary == "*":
            primary = DEFAULT
        # Ties keep the earlier entry: browsers list preferences in order.
        if primary in LANGS and q > best_q:
            best, best_q = primary, q
    return best


def negotiate(query_lang: str | None, cookie_lang: str | None, accept_language: str | None) -> str:
    """The language to answer in (see the module docstring for the order)."""
    for candidate in (query_lang, cookie_lang):
        if candidate and candidate.lower() in LANGS:
            return candidate.lower()
    return from_accept_language(accept_language) or DEFAULT


def request_lang(request) -> str:
    """The language of a Starlette request (cached on the request)."""
    lang = getattr(request.state, "lang", None)
    if lang is None:
        lang = negotiate(request.query_params.get("lang"), request.cookies.get(COOKIE),
                         request.headers.get("accept-language"))
        request.state.lang = lang
    return lang


def translator(lang: str) -> Callable[..., str]:
    """`t(key, **values)`: the message in `lang`, else English, else the key itself (visible in tests)."""
    messages, fallback = catalog(lang), catalog(DEFAULT)

    def t(key: str, **values) -> str:
        text = messages.get(key) or fallback.get(key) or key
        return text.format(**values) if values else text
    return t
