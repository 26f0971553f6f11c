"""The text versions a BILLSTATUS file lists, for the us_bills spider: which to fetch (those not
stored from the same URL), and each parsed as USLM or GPO's bill DTD XML by its root element."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import scrapy
from sqlalchemy import text

from scrapers.formats import billxml, uslm
from scrapers.formats.us_vote_rules import federal_bill_key
from tracker.contract import BillTextIn, RecordError

# .../content/pkg/BILLS-117hr1ih/{xml|uslm}/BILLS-117hr1ih.xml -> the version code (ih)
_TEXT_URL = re.compile(r"/BILLS-\d+[a-z]+?\d+([a-z]+)\.xml$", re.I)
_STORED = text("SELECT t.version_code, t.source_url FROM bill_text t JOIN bill b ON b.id = t.bill_id "
               "WHERE b.key = :key")


def listed_texts(versions) -> dict[str, str]:
    """Version code -> the XML URL to fetch, from a bill's `versions` (USLM preferred where GovInfo
    lists both it and the bill DTD file)."""
    out: dict[str, str] = {}
    for v in versions:
        m = _TEXT_URL.search(urlsplit(v.url or "").path)
        if not m:
            continue
        code = m.group(1).lower()
        if code not in out or "/uslm/" in v.url:
            out[code] = v.url
    return out


class BillTextsMixin:
    """Text-version requests and callbacks of `UsBillsSpider` (which owns `_pending`, `_file_done`)."""

    fetch_texts: bool = True

    def text_requests(self, bill, key: str, path: str, lastmod: str) -> list[scrapy.Request]:
        if not self.fetch_texts:
            return []
        listed = listed_texts(bill.versions)
        if not listed:
            return []
        bill_key = federal_bill_key(bill.session, bill.identifier)
        with self.engine().connect() as conn:
            stored = set(conn.execute(_STORED, {"key": bill_key}).all())
        todo = {code: url for code, url in listed.items() if (code, url) not in stored}
        self.crawler.stats.inc_value("edtracker/us_bills/texts_unchanged", len(listed) - len(todo))
        if not todo:
            return []
        self._pending[key] += len(todo)
        self._texts_left[path] = [len(todo), lastmod, False]
        return [scrapy.Request(self.local(url), callback=self.parse_text, errback=self.text_failed,
                               cb_kwargs={"key": key, "path": path, "listed": url, "bill_key": bill_key})
                for code, url in sorted(todo.items())]

    def parse_text(self, response, key: str, path: str, listed: str, bill_key: str):
        self.crawler.stats.inc_value("edtracker/us_bills/texts_fetched")
        fmt = uslm if uslm.sniff(listed, response.body[:4096]) else billxml
        items = list(fmt.parse(response.body, listed))
        rec = items[0] if items else RecordError(listed, bill_key, None, "no text version in the file")
        if isinstance(rec, BillTextIn) and rec.bill_key != bill_key:
            rec = RecordError(listed, rec.natural_key(), "bill_key",
                              f"the text names {rec.bill_key}, BILLSTATUS lists it for {bill_key}")
        if isinstance(rec, RecordError):
            # logged with its URL and counted; the BILLSTATUS file is not remembered, so the next
            # crawl tries this version again (the versions stored meanwhile are not refetched)
            self.logger.error("skipped text version %s: %s", listed, rec)
            self.crawler.stats.inc_value("edtracker/malformed")
            self._text_done(key, path, failed=True)
            return
        self._text_done(key, path, failed=False)
        yield rec.model_copy(update={"url": listed, "source": self.source_ref(response, fmt.FORMAT_NAME)})

    def text_failed(self, failure):
        request = failure.request
        self.logger.error("cannot fetch text version %s: %s", request.url, failure.value)
        self.crawler.stats.inc_value("edtracker/fetch_failed")
        self._text_done(request.cb_kwargs["key"], request.cb_kwargs["path"], failed=True)

    def _text_done(self, key: str, path: str, failed: bool) -> None:
        """Remember the BILLSTATUS file once every text it needed is handled, none failed."""
        entry = self._texts_left[path]
        entry[0] -= 1
        entry[2] = entry[2] or failed
        if failed:
            self._incomplete.add(key)
        if entry[0] == 0 and not entry[2] and entry[1]:
            self.state_updates[path] = entry[1]
        self._file_done(key)
