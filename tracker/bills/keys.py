"""Readable, stable keys for bills and other records."""
from __future__ import annotations

import re

_PUNCT = re.compile(r"[\s.\-_/]+")
_SPLIT = re.compile(r"^([A-Z]+?)0*(\d+)([A-Z]?)$")


def normalize_identifier(identifier: str) -> str:
    """`H.R. 1234` -> `HR1234`, `S00300` -> `S300`, `H Con Res 5` -> `HCONRES5`.

    A trailing amendment letter is kept (`S609A`); sources that use it for versions strip it
    themselves with `split_amendment`.
    """
    compact = _PUNCT.sub("", identifier.upper())
    m = _SPLIT.match(compact)
    if not m:
        if not compact:
            raise ValueError(f"empty bill identifier {identifier!r}")
        return compact
    prefix, number, suffix = m.groups()
    return f"{prefix}{int(number)}{suffix}"


def split_amendment(normalized: str) -> tuple[str, str]:
    """`S609A` -> (`S609`, `A`); `S609` -> (`S609`, ``)."""
    m = _SPLIT.match(normalized)
    if not m or not m.group(3):
        return normalized, ""
    return f"{m.group(1)}{int(m.group(2))}", m.group(3)


def bill_key(jurisdiction: str, session: str, identifier: str) -> str:
    """`us`, `119`, `H.R. 1234` -> `us-119-hr1234`."""
    session_part = _PUNCT.sub("", session).lower()
    return f"{jurisdiction.lower()}-{session_part}-{normalize_identifier(identifier).lower()}"


def bill_page_url(base: str, key: str) -> str:
    """The public page of a bill under the site's address (emails, feeds, webhooks link here;
    the JSON is at /api/bills/{key})."""
    from urllib.parse import quote

    return f"{base.rstrip('/')}/bill/{quote(key, safe='')}"
