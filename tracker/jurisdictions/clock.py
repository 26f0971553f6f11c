"""The day "current" is judged on: today, or the `as_of` setting (`EDTRACKER_AS_OF`).

Which members serve, which Congress sits, whether a session has ended (a pending bill is then
dead): all of it is asked of `today()`. Setting `as_of` shows and stores everything as of that
day, for a demo of dated sample data (`edtracker demo` sets it, so the demo does not empty itself
when its Congress ends) or to look at a past state again. Only the day moves: timestamps (sign-in
tokens, sends, crawl times, source staleness) keep the real clock."""
from __future__ import annotations

import datetime as dt

from tracker.settings import get_settings


def today() -> dt.date:
    """The `as_of` setting when set, else today's date."""
    return get_settings().as_of or dt.date.today()
