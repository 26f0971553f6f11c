"""Rendered anonymous public pages kept in memory per worker, with validators (issue 19).

A route opts in with `public(request)` (bill, legislator and scorecard pages, embeds). This
pure ASGI middleware, outermost, then keeps the finished answer (body and headers, security
headers included) under (scheme, host, path, query, language, whether it asks for HTML) and answers the next anonymous request
for it without entering the app: 200 from memory, or 304 on If-None-Match / If-Modified-Since.

Never shared across users: a request carrying any cookie but the language cookie (a staff or
member session), an Authorization or X-API-Key header is passed through untouched, neither
served from nor stored in the cache; an answer that sets any cookie but the language cookie,
or is not a 200, is not stored.

Freshness: every entry carries the database's data version seen before it was rendered; it is
served while the version is unchanged, or for one check interval after its rendering began
(more once settled, below: so while an import commits every moment each page is rendered at
most once per interval, not once per commit), and never past `page_cache_ttl_seconds` (pages that depend on the date). The version
is read at most once per `page_cache_check_ms` per worker, so a committed change shows on every
worker within that delay. It is the whole store's change marker (`api.data_version`),
read without any table of ours: SQLite's `PRAGMA data_version` on a connection of its own
(changes whenever another connection, of any process, commits), PostgreSQL's
`pg_current_snapshot()` (changes whenever a write transaction of the cluster becomes visible;
it moves only once the commit is visible, so a page rendered after a change is never stored
under the version before it). A commit made through this process's ORM
sessions (staff pages, services) shows on this worker's next page at once. Any write (sign-ups, crawl bookkeeping) empties the cache: it
errs on the side of rendering again.

Stale while revalidating: when another process's commit makes a kept page stale and that page
was known current (rendered, or found at the data version by a reading) less than one check
interval past its settling time (below) ago, the request gets the kept page and one
background task renders the new one (one at a time per worker). So
a request never waits behind renders while an import commits, and a change still shows within
two intervals. A page older than that, or kept from before this process's own last commit, is
rendered while the request waits, as before; requests for a page already being rendered wait
for that one rendering instead of starting their own (no dog-pile on a new page).

Settling: while other processes keep committing (an import), most kept pages show none of the
new rows, and re-rendering each of them every interval only takes CPU from the requests and
the importer. A page whose background re-rendering came back byte for byte the same as the
page it replaces is served for twice as long before it is re-rendered again (2, then 4
intervals: `SETTLE_INTERVALS`); any difference, or any rendering in the open, starts it at one
interval again, and a commit of this process still shows at once. So while an import runs, a
change to a page that stayed the same through its last re-renderings shows within five
intervals (5 s by default), any other change within two; a page is never re-rendered while the
data version holds. The same body keeps its Last-Modified, so revalidations keep getting 304.
"""
from __future__ import annotations

import email.utils
import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import asyncio
import logging

import anyio
from fastapi import Request
from sqlalchemy.engine import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.data_version import DataVersion
from api.i18n import COOKIE, LANGS, negotiate

log = logging.getLogger(__name__)
MARK = "edtracker.page_cache"
# Browsers and shared caches ask again each time (a 304 from memory is cheap).
PAGE_CACHE_CONTROL = "public, no-cache"
_DROP_ON_304 = {b"content-length", b"content-type"}
_CONDITIONAL = {b"if-none-match", b"if-modified-since"}
_AGAIN = "edtracker.page_cache.again"   # scope mark of a background re-rendering
_WAIT_SECONDS = 10.0    # longest a request waits for another's render of its page, then renders
_STUCK_SECONDS = 30.0   # a background render older than this is presumed lost (its loop ended)
SETTLE_INTERVALS = (1, 2, 4)   # a page served fresh this many intervals after 0, 1, 2+ unchanged re-renders


def public(request: Request, cache_control: str = PAGE_CACHE_CONTROL, *, remember_lang: bool = True) -> None:
    """Mark this request's answer as the same for every anonymous visitor (the middleware keeps
    it only when the request is anonymous). `remember_lang`: `?lang=` sets the language cookie."""
    request.scope[MARK] = (cache_control, remember_lang)


@dataclass
class Entry:
    headers: list[tuple[bytes, bytes]]
    body: bytes
    version: str
    etag: str
    modified: float           # epoch seconds (Last-Modified)
    stored: float = field(default_factory=time.monotonic)
    remember_lang: bool = True
    unchanged: int = 0        # background re-renders in a row that gave this same body (settling)
    checked: float = 0.0      # the last reading of the data version that found it current


def _lang_cookie(lang: str) -> bytes:
    from starlette.responses import Response

    r = Response()
    r.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return r.headers["set-cookie"].encode("latin-1")


LANG_COOKIES = {lang: _lang_cookie(lang) for lang in LANGS}


class PageCache:
    """The middleware (see the module's docstring)."""

    def __init__(self, app: ASGIApp, engine: Engine, entries: int = 2000, check_ms: int = 1000,
                 ttl_seconds: int = 300, max_body: int = 2_000_000) -> None:
        self.app, self.size, self.ttl, self.max_body = app, entries, ttl_seconds, max_body
        self.version = DataVersion(engine, check_ms / 1000)
        self.items: OrderedDict[tuple, Entry] = OrderedDict()
        self.hits = self.misses = self.stale = 0
        self.revalidating: dict[tuple, float] = {}   # key -> when its background render began
        self.inflight: dict[tuple, tuple[float, asyncio.Future]] = {}   # key -> (began, its kept Entry or None)
        self._one_render: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        request = _anonymous(scope)
        if request is None:
            await self.app(scope, receive, send)
            return
        query_lang, cookie_lang, accept, headers = request
        lang = negotiate(query_lang, cookie_lang, accept)
        # a browser (Accept: text/html) and an API client may get different answers at one
        # address (api/legacy.py: /search is a page or, rewritten, JSON)
        html = b"text/html" in headers.get(b"accept", b"")
        key = (scope.get("scheme"), headers.get(b"host", b""), scope["path"], scope.get("query_string", b""), lang, html)
        v, entry = self.version, self.items.get(key)
        if entry is not None and not self._young(entry, v) and time.monotonic() >= v.until:
            await anyio.to_thread.run_sync(v.current)   # at most once per interval (a lock inside)
        if entry is not None and self._fresh(entry, v):
            self.hits += 1
            self.items.move_to_end(key)
            await self._answer(entry, headers, query_lang, cookie_lang, send)
            return
        if entry is not None and v.value is not None and self._may_serve_stale(entry, v):
            self.stale += 1
            self._revalidate(scope, key, v.value)
            await self._answer(entry, headers, query_lang, cookie_lang, send)
            return
        # A page about to be rendered is stored under any version read before its rendering (an
        # old one only makes it expire sooner): only the very first request waits for a reading.
        version = v.value if v.value is not None or v.until else await anyio.to_thread.run_sync(v.current)
        if version is None:
            await self.app(scope, receive, send)
            return
        shared = await self._rendered_meanwhile(key, v)
        if shared is not None:
            self.hits += 1
            await self._answer(shared, headers, query_lang, cookie_lang, send)
            return
        self.misses += 1
        await self._render(scope, receive, send, key, version)

    async def _rendered_meanwhile(self, key: tuple, v: DataVersion) -> Entry | None:
        """The page another request is rendering right now, once it is done (no dog-pile: while a
        new page renders, the requests for it wait for that one render instead of starting theirs).
        None when nothing is on its way, it began before this process's last commit, or it was not
        kept (not a 200, a cookie...): the caller renders."""
        pending = self.inflight.get(key)
        if pending is None or pending[0] <= v.local_commit:
            return None
        try:
            return await asyncio.wait_for(asyncio.shield(pending[1]), timeout=_WAIT_SECONDS)
        except (asyncio.TimeoutError, asyncio.CancelledError):
            return None

    def _fresh(self, entry: Entry, v: DataVersion) -> bool:
        """Rendered less than its settling time ago (one check interval, more for a page its last
        re-renders left unchanged) and after this process's last commit: while an import commits
        every moment, a page is rendered at most once per interval, not per commit; or rendered
        at the current data version, read again when the last reading is older than the interval."""
        if time.monotonic() - entry.stored >= self.ttl:
            return False
        if self._young(entry, v):
            return True
        if entry.version == v.value:
            entry.checked = max(entry.checked, v.read_at)
            return True
        return False

    @staticmethod
    def _settle(entry: Entry, v: DataVersion) -> float:
        """How long after its rendering a page is served without looking at the data version."""
        return v.interval * SETTLE_INTERVALS[min(entry.unchanged, len(SETTLE_INTERVALS) - 1)]

    def _young(self, entry: Entry, v: DataVersion) -> bool:
        return time.monotonic() - entry.stored < self._settle(entry, v) and entry.stored > v.local_commit

    def _may_serve_stale(self, entry: Entry, v: DataVersion) -> bool:
        """Stale by another process's commit only, and known current (rendered, or found at the data
        version by a reading) less than one interval past its settling time ago: a page kept
        through a quiet hour is still served while the import's first commit re-renders it."""
        now = time.monotonic()
        known = now - max(entry.stored, entry.checked)
        return (entry.stored > v.local_commit and known < self._settle(entry, v) + v.interval
                and now - entry.stored < self.ttl)

    def _revalidate(self, scope: Scope, key: tuple, version: str) -> None:
        """Render `key` again in a background task, unless one is already on its way."""
        began = self.revalidating.get(key)
        if began is not None and time.monotonic() - began < _STUCK_SECONDS:
            return
        self.revalidating[key] = time.monotonic()
        fresh = dict(scope)
        # no validators: the app must answer 200 with the whole page, not 304
        fresh["headers"] = [(k, v) for k, v in scope.get("headers") or () if k not in _CONDITIONAL]
        fresh.pop(MARK, None)
        fresh[_AGAIN] = True   # a re-rendering of a kept page: may settle (the module's docstring)
        asyncio.get_running_loop().create_task(self._render_in_background(fresh, key, version))

    async def _render_in_background(self, scope: Scope, key: tuple, version: str) -> None:
        if self._one_render is None:
            self._one_render = asyncio.Semaphore(1)   # one background render per worker at a time
        done, asked = asyncio.Event(), []

        async def receive() -> Message:
            if not asked:   # a GET's empty body, then "disconnected" once the page is rendered
                asked.append(True)
                return {"type": "http.request", "body": b"", "more_body": False}
            await done.wait()
            return {"type": "http.disconnect"}

        async def discard(message: Message) -> None:
            return None
        try:
            async with self._one_render:
                await self._render(scope, receive, discard, key, version)
        except Exception:  # noqa: BLE001 - the kept page stays; the next request renders in the open
            log.exception("page cache: background render of %s failed", scope.get("path"))
        finally:
            done.set()
            self.revalidating.pop(key, None)

    async def _answer(self, entry: Entry, headers: dict, query_lang, cookie_lang, send: Send) -> None:
        out = list(entry.headers)
        if entry.remember_lang and query_lang in LANGS and cookie_lang != query_lang:
            # the language switch: this answer now sets this browser's cookie, so it is its own
            out = [(k, v) for k, v in out if k != b"cache-control"]
            out += [(b"set-cookie", LANG_COOKIES[query_lang]), (b"cache-control", b"private, no-cache")]
        if _not_modified(entry, headers):
            await send({"type": "http.response.start", "status": 304,
                        "headers": [(k, v) for k, v in out if k not in _DROP_ON_304]})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": out})
        await send({"type": "http.response.body", "body": entry.body})

    async def _render(self, scope: Scope, receive: Receive, send: Send, key: tuple, version: str) -> None:
        began = time.monotonic()   # the render reads the data after this moment
        done: asyncio.Future = asyncio.get_running_loop().create_future()
        mine = key not in self.inflight
        if mine:
            self.inflight[key] = (began, done)
        try:
            await self._render_into(scope, receive, send, key, version, began, done)
        finally:
            if not done.done():
                done.set_result(None)
            if mine:
                self.inflight.pop(key, None)

    async def _render_into(self, scope: Scope, receive: Receive, send: Send, key: tuple, version: str,
                           began: float, done: asyncio.Future) -> None:
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if start is None and message["type"] == "http.response.start":
                if message["status"] == 200 and scope.get(MARK):
                    start = message   # held until the body is complete: the validators need it
                    return
                start = {}            # not for the cache: pass everything through
            if start == {} or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            entry = self._entry(start, body, version, *scope[MARK])
            if entry is not None:
                entry.stored = began
                if scope.get(_AGAIN):
                    _settled(entry, self.items.get(key))
                self._store(key, entry)
                start["headers"] = _with_validators(start["headers"], entry)
                if not done.done():
                    done.set_result(entry)
            await send(start)
            await send({"type": "http.response.body", "body": body})
        await self.app(scope, receive, capture)

    def _entry(self, start: Message, body: bytes, version: str, cache_control: str,
               remember_lang: bool) -> Entry | None:
        if len(body) > self.max_body:
            return None
        kept: list[tuple[bytes, bytes]] = []
        etag = modified = None
        for k, v in start["headers"]:
            k = k.lower()
            if k == b"set-cookie":
                if not v.startswith(COOKIE.encode() + b"="):
                    return None   # a session or other cookie: this answer is for one browser
                continue
            if k == b"cache-control":
                continue
            if k == b"etag":
                etag = v.decode("latin-1")
            elif k == b"last-modified":
                modified = _parse_date(v.decode("latin-1"))
            else:
                kept.append((k, v))
        # the route's validators (scorecards), else the body's hash and the time of rendering
        # (second precision, as HTTP dates have)
        etag = etag or '"p-' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
        modified = modified if modified is not None else float(int(time.time()))
        kept += [(b"cache-control", cache_control.encode("latin-1")), (b"etag", etag.encode("latin-1")),
                 (b"last-modified", email.utils.formatdate(modified, usegmt=True).encode())]
        return Entry(kept, body, version, etag, modified, remember_lang=remember_lang)

    def _store(self, key: tuple, entry: Entry) -> None:
        self.items[key] = entry
        self.items.move_to_end(key)
        while len(self.items) > self.size:
            self.items.popitem(last=False)


def _settled(entry: Entry, kept: Entry | None) -> None:
    """A re-rendering that gave the kept page's body again: one more unchanged render in a row,
    and the kept page's Last-Modified (its validators hold)."""
    if kept is not None and kept.body == entry.body and kept.etag == entry.etag:
        entry.unchanged = kept.unchanged + 1
        entry.modified = kept.modified
        entry.headers = [(k, email.utils.formatdate(kept.modified, usegmt=True).encode()) if k == b"last-modified"
                         else (k, v) for k, v in entry.headers]


def _anonymous(scope: Scope) -> tuple | None:
    """(?lang=, the language cookie, Accept-Language, headers) of a request with no credential
    of any kind, or None."""
    headers = {}
    for k, v in scope.get("headers") or ():
        if k in headers:
            return None   # a repeated header (two Cookie lines...): not worth reasoning about
        headers[k] = v
    if b"authorization" in headers or b"x-api-key" in headers:
        return None
    cookie_lang = None
    raw = headers.get(b"cookie")
    if raw:
        jar = SimpleCookie()
        try:
            jar.load(raw.decode("latin-1"))
        except Exception:  # noqa: BLE001 - an odd cookie header: let the app deal with it
            return None
        if set(jar) - {COOKIE} or not jar:
            return None
        cookie_lang = jar[COOKIE].value
    query_lang = None
    qs = scope.get("query_string", b"")
    if b"lang=" in qs:
        from urllib.parse import parse_qsl

        query_lang = dict(parse_qsl(qs.decode("latin-1"))).get("lang")
    return query_lang, cookie_lang, (headers.get(b"accept-language") or b"").decode("latin-1"), headers


def _parse_date(value: str) -> float | None:
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


def _not_modified(entry: Entry, headers: dict) -> bool:
    inm = headers.get(b"if-none-match")
    if inm is not None:
        tags = [t.strip().removeprefix("W/") for t in inm.decode("latin-1").split(",")]
        return entry.etag.removeprefix("W/") in tags or "*" in tags
    ims = headers.get(b"if-modified-since")
    if ims is not None:
        since = _parse_date(ims.decode("latin-1"))
        return since is not None and entry.modified <= since
    return False


def _with_validators(headers, entry: Entry) -> list[tuple[bytes, bytes]]:
    """The first answer gets the same validators the cached ones carry."""
    out = [(k, v) for k, v in headers if k.lower() not in (b"etag", b"last-modified")]
    out.append((b"etag", entry.etag.encode("latin-1")))
    out.append((b"last-modified", email.utils.formatdate(entry.modified, usegmt=True).encode()))
    if not any(k.lower() == b"cache-control" for k, _ in out):
        # an answer that sets the language cookie is this browser's own
        own = any(k.lower() == b"set-cookie" for k, _ in out)
        out.append((b"cache-control", b"private, no-cache" if own else PAGE_CACHE_CONTROL.encode()))
    return out
