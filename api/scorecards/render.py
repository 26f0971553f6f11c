"""Rendering for the scorecard pages and embeds: a Jinja2 environment with autoescape on for
HTML and SVG, the message catalog, security headers (CSP frame-ancestors from the coalition's
`embed_origins`) and HTTP caching (ETag / Last-Modified / 304, rendered bodies cached by ETag)."""
from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

import yaml
from fastapi import Request, Response
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

from api.i18n import FAST_LOADER

from tracker.models import Coalition, Scorecard

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "scorecards"
STATIC = Path(__file__).resolve().parent.parent / "static" / "scorecards"
LANGS = ("en", "es")
CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=600"

SITE_TEMPLATES = TEMPLATES.parent
# The scorecard's own templates first; the site's (base.html, _footer.html) for the pages, which
# show the site's header, menu, language switch and footer. Embeds keep their bare layout.
env = Environment(loader=ChoiceLoader([FileSystemLoader(str(TEMPLATES)), FileSystemLoader(str(SITE_TEMPLATES))]),
                  autoescape=select_autoescape(enabled_extensions=("html", "svg", "xml"), default=True),
                  trim_blocks=True, lstrip_blocks=True)


@lru_cache
def catalog() -> dict[str, dict[str, str]]:
    """The message catalog (messages.yaml), by language."""
    return yaml.load((TEMPLATES / "messages.yaml").read_text(encoding="utf-8"), Loader=FAST_LOADER)


def lang_of(request: Request) -> str:
    """The site's language choice: `?lang=`, the language cookie, then Accept-Language."""
    from api.i18n import request_lang

    lang = request_lang(request)
    return lang if lang in LANGS else "en"


def translator(lang: str) -> Callable[..., str]:
    messages, fallback = catalog()[lang], catalog()["en"]

    def t(key: str, **kw) -> str:
        text = messages.get(key) or fallback.get(key) or key
        return text.format(**kw) if kw else text
    return t


def valid_origins(origins) -> list[str]:
    """Keep only well-formed http(s) origins: they go into a CSP header."""
    out = []
    for o in origins or []:
        parts = urlsplit(str(o))
        if parts.scheme in ("http", "https") and parts.netloc and not parts.path.strip("/") \
                and all(c not in o for c in " ;,'\"\n\r"):
            out.append(f"{parts.scheme}://{parts.netloc}")
    return out


def csp(frame_ancestors: list[str] | None = None) -> str:
    """No third-party anything: our own CSS and JS only; an embed (`frame_ancestors` a list) is
    framed by those origins and us, any other page by nobody."""
    ancestors = " ".join(["'self'", *frame_ancestors]) if frame_ancestors is not None else "'none'"
    return ("default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
            "form-action 'self'; base-uri 'none'; frame-ancestors " + ancestors)


def etag_for(card: Scorecard, request: Request, extra: str = "") -> str:
    """A strong validator: the scorecard's version (bumped by every recompute) and the exact URL."""
    raw = (f"{card.id}:{card.version}:{card.updated_at}:{request.url.path}?{request.url.query}:{extra}:"
           f"{lang_of(request)}")
    return '"sc-' + hashlib.sha1(raw.encode()).hexdigest()[:20] + '"'


def _utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes (stored as UTC); PostgreSQL aware ones in its zone."""
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


def http_date(card: Scorecard) -> str | None:
    return email.utils.format_datetime(_utc(card.updated_at), usegmt=True) if card.updated_at else None


def not_modified(request: Request, etag: str, card: Scorecard) -> bool:
    inm = request.headers.get("if-none-match")
    if inm is not None:
        return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
    ims = request.headers.get("if-modified-since")
    if ims and card.updated_at:
        try:
            since = email.utils.parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        return _utc(card.updated_at).replace(microsecond=0) <= since
    return False


class RenderCache:
    """Rendered bodies by ETag (LRU); the ETag changes with the scorecard's version."""

    def __init__(self, size: int = 512):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get_or_render(self, key: str, render: Callable[[], bytes]) -> bytes:
        with self.lock:
            body = self.items.get(key)
            if body is not None:
                self.items.move_to_end(key)
                return body
        body = render()
        with self.lock:
            self.items[key] = body
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return body


CACHE = RenderCache()


def cached_response(request: Request, card: Scorecard, coalition: Coalition, media_type: str,
                    render: Callable[[], str | bytes], *, embed: bool, extra: str = "") -> Response:
    """A cacheable response: 304 on a matching conditional request, else the (cached) body;
    with ETag, Last-Modified, Cache-Control and the security headers."""
    etag = etag_for(card, request, extra)
    origins = valid_origins((coalition.settings or {}).get("embed_origins")) if embed else []
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept-Encoding, Accept-Language, Cookie",
               "Content-Security-Policy": csp(origins if embed else None), "X-Content-Type-Options": "nosniff",
               "Referrer-Policy": "strict-origin-when-cross-origin"}
    if not embed:
        headers["X-Frame-Options"] = "DENY"
        headers["Content-Language"] = lang_of(request)
    last = http_date(card)
    if last:
        headers["Last-Modified"] = last
    from api.page_cache import public
    public(request, CACHE_CONTROL, remember_lang=not embed)   # a published scorecard is public
    if not_modified(request, etag, card):
        return _remember_lang(request, Response(status_code=304, headers=headers), embed)

    def _bytes() -> bytes:
        out = render()
        return out.encode("utf-8") if isinstance(out, str) else out
    return _remember_lang(request, Response(CACHE.get_or_render(etag, _bytes), media_type=media_type,
                                            headers=headers), embed)


def _remember_lang(request: Request, response: Response, embed: bool) -> Response:
    """A page's language switch (`?lang=`) sets the site's language cookie, as every page does;
    that answer is then for this browser only. Embeds never set cookies."""
    from api.i18n import COOKIE

    chosen = request.query_params.get("lang")
    if not embed and chosen in LANGS and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(COOKIE, chosen, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
        response.headers["Cache-Control"] = "private, no-cache"
    return response


def site(request: Request, db, card: Scorecard) -> dict:
    """What every scorecard page and embed shows besides the scorecard: the credits its data
    requires and the link to this site's source code."""
    from tracker.bills.attribution import scorecard_credits

    return {"credits": scorecard_credits(db, card.id), "source_url": request.app.state.settings.source_url}


def names(lang: str) -> dict:
    """The site's names of parties and chambers ("Demócrata", "Asamblea") and a cell's audit
    words in `lang`."""
    from api.i18n import format as fmt

    from api.scorecards.rule_words import rule_text

    return {"party_name": lambda p: fmt.party_name(p, lang),
            "chamber_name": lambda j, c: fmt.chamber_name(j, c, lang),
            "rule_words": lambda rule: rule_text(rule, lang, translator(lang))}


def render(template: str, lang: str, **ctx) -> str:
    return env.get_template(template).render(t=translator(lang), lang=lang, **names(lang), **ctx)


def render_page(request: Request, template: str, lang: str, **ctx) -> str:
    """A scorecard page inside the site's layout: the site's menu, switch, footer and messages
    (dotted keys) beside the scorecard's own catalog."""
    from api.pages.common import site_context

    site_ctx = site_context(request)
    own, site_t = catalog()[lang], site_ctx["t"]
    fallback = translator(lang)

    def t(key: str, **kw) -> str:
        return fallback(key, **kw) if key in own else site_t(key, **kw)
    return env.get_template(template).render(**{**site_ctx, **names(lang), "request": request, "t": t, "lang": lang,
                                                **ctx})
