"""What a person sees when a command fails: one line naming the problem and the fix, never a
traceback (unless `edtracker --debug`), never a database password.

Exit status of every command: 0 done; 1 done in part (`import`: some files or records failed,
the others are stored; `bills show`: not found); 2 wrong arguments; 3 the database cannot be
used (unreachable, a bad URL, or a schema that `edtracker db upgrade` must create or bring up
to date); 4 an unexpected error, a bug to report (rerun with `--debug` for the traceback).
"""
from __future__ import annotations

import re
import traceback

EXIT_FAILED, EXIT_USAGE, EXIT_DATABASE, EXIT_BUG = 1, 2, 3, 4
EXIT_CODES_HELP = ("Exit status: 0 done; 1 some of the work failed (import: files or records, the "
                   "others stored); 2 wrong arguments; 3 the database cannot be used (run `edtracker "
                   "db upgrade`, check EDTRACKER_DATABASE_URL); 4 unexpected error (rerun with --debug).")

_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][\w+.-]*://)(?P<user>[^:/@\s]*):(?P<pw>[^@\s]*)@", re.I)
# Driver messages for a schema that is missing or older than this version of edtracker.
_NO_SCHEMA = re.compile(r"no such table|no such column|relation \"?[\w.]+\"? does not exist|"
                        r"column \"?[\w.]+\"? (?:of relation \"?[\w.]+\"? )?does not exist|UndefinedTable|UndefinedColumn",
                        re.I)


def safe_url(url: str | None) -> str:
    """The database URL with its password replaced by ***."""
    if not url:
        return "<no database URL>"
    return _CREDENTIALS.sub(lambda m: f"{m['scheme']}{m['user']}:***@", url)


def _scrub(text: str, url: str | None) -> str:
    """A driver's message without credentials: URLs masked, and the password itself wherever
    it appears (when long enough not to be mistaken for ordinary text)."""
    text = _CREDENTIALS.sub(lambda m: f"{m['scheme']}{m['user']}:***@", text)
    m = _CREDENTIALS.search(url or "")
    if m and len(m["pw"]) >= 4:
        text = text.replace(m["pw"], "***")
    return text


def _first_line(exc: BaseException, url: str | None = None) -> str:
    orig = getattr(exc, "orig", None) or exc
    lines = [ln.strip() for ln in str(orig).splitlines() if ln.strip()]
    return _scrub(lines[0] if lines else type(orig).__name__, url)


def _from_sqlalchemy(exc: BaseException) -> bool:
    return any("sqlalchemy" in f.filename for f in traceback.extract_tb(exc.__traceback__))


def describe(exc: BaseException, url: str | None) -> tuple[str, int]:
    """(one-line message, exit status) for an exception that ended a command."""
    from alembic.util import CommandError
    from pydantic import ValidationError
    from sqlalchemy import exc as sa

    where = safe_url(url)
    if isinstance(exc, ValidationError):
        problems = "; ".join(f"EDTRACKER_{'_'.join(map(str, e['loc'])).upper() or 'SETTINGS'}: {e['msg']}"
                             for e in exc.errors())
        return f"a setting is invalid ({problems}); see .env.example", EXIT_USAGE
    if isinstance(exc, sa.ArgumentError):
        return (f"EDTRACKER_DATABASE_URL is not a database URL ({where}): expected sqlite:///PATH or "
                "postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE", EXIT_DATABASE)
    if isinstance(exc, (sa.NoSuchModuleError, ImportError)) and (
            isinstance(exc, sa.NoSuchModuleError) or _from_sqlalchemy(exc)):
        return (f"EDTRACKER_DATABASE_URL ({where}) needs a database driver that is not installed "
                f"({_first_line(exc, url)}): use sqlite:/// or postgresql+psycopg://", EXIT_DATABASE)
    if isinstance(exc, sa.DBAPIError):
        detail = _first_line(exc, url)
        if _NO_SCHEMA.search(str(getattr(exc, "orig", exc))) or _NO_SCHEMA.search(type(getattr(exc, "orig", exc)).__name__):
            return (f"the database at {where} has no edtracker tables yet, or an older schema "
                    f"({detail}): run `edtracker db upgrade`", EXIT_DATABASE)
        lowered = detail.lower()
        if (isinstance(exc, sa.OperationalError) and exc.statement is None) or "connect" in lowered \
                or "unable to open" in lowered:
            return (f"cannot connect to the database at {where} ({detail}): check EDTRACKER_DATABASE_URL "
                    "and that the database server is running", EXIT_DATABASE)
        return f"database error at {where} ({detail}); if the schema is older, run `edtracker db upgrade`", EXIT_DATABASE
    if isinstance(exc, sa.SQLAlchemyError):
        return f"database error at {where} ({_first_line(exc, url)})", EXIT_DATABASE
    if isinstance(exc, CommandError):
        return (f"cannot bring the database at {where} to this version's schema ({exc}); was it made by "
                "a newer edtracker?", EXIT_DATABASE)
    return (f"unexpected {type(exc).__name__}: {_first_line(exc, url)} (a bug: rerun with --debug for the "
            "traceback and report it)", EXIT_BUG)


message = describe
