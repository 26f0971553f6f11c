"""A local copy of downloads.leginfo.legislature.ca.gov built from the real 2025-26 pubinfo rows.

The fixture (`ca-pubinfo/2025-daily`) is the Counsel's `.dat` files, not their zips: the zips
are written here. To keep a crawl short, a zip holds the real rows of a sample of bills (every
table's rows of those bills, all legislators and location codes); a "next day" zip is the same
rows plus one hand-made change: a new history line for AB 13 with a later change stamp.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from tests.conftest import real_fixture

TABLES = ("BILL_TBL", "BILL_HISTORY_TBL", "BILL_VERSION_AUTHORS_TBL", "BILL_SUMMARY_VOTE_TBL",
          "BILL_DETAIL_VOTE_TBL", "BILL_ANALYSIS_TBL", "LEGISLATOR_TBL", "LOCATION_CODE_TBL",
          "VETO_MESSAGE_TBL")
SAMPLE = ("202520260AB13", "202520260AB15", "202520260AB223", "202520260SB26", "202520260ACR10",
          "202520260AB336", "202520261SB2", "202520261AB1")
# A real history line of another bill, moved to AB 13 on a later day (hand-made for the test).
NEW_LINE = ("`202520260AB13`\t999000001\t2025-03-10 00:00:00\t`From committee: Do pass and re-refer to "
            "Com. on APPR. (Ayes 14. Noes 0.) (March 10). Re-referred to Com. on APPR.`\t`LEG_ESI`\t"
            "2025-03-10 17:00:00\t9\t`5`\t`Applied`\t`Assembly`\t`Committee`\t`CX25`\t`In Committee Process`\n")


def sample_files(extra_history: str = "") -> dict[str, bytes]:
    """{file name: bytes} of a dump holding the sample bills' real rows (plus `extra_history`)."""
    base = real_fixture("ca-pubinfo", "2025-daily")
    out = {}
    for table in TABLES:
        lines = (base / f"{table}.dat").read_bytes().decode("utf-8").splitlines(keepends=True)
        if table not in ("LEGISLATOR_TBL", "LOCATION_CODE_TBL"):
            if table == "BILL_VERSION_AUTHORS_TBL":
                latest = {line.split("\t")[10].strip("`") for line in
                          (base / "BILL_TBL.dat").read_text(encoding="utf-8").splitlines()
                          if line.split("\t")[0].strip("`") in SAMPLE}
                lines = [ln for ln in lines if ln.split("\t")[0].strip("`") in latest]
            else:
                lines = [ln for ln in lines if ln.split("\t")[0].strip("`") in SAMPLE]
        text = "".join(lines)
        if table == "BILL_HISTORY_TBL":
            text += extra_history
        out[f"{table}.dat"] = text.encode("utf-8")
    out["VETO_MESSAGE_TBL_1.lob"] = (base / "VETO_MESSAGE_TBL_1.lob").read_bytes()
    return out


def write_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in sorted(files.items()):
            zf.writestr(name, data)
    return path


def iis_listing(entries: list[tuple[str, str]]) -> str:
    """A directory page as the Legislature's IIS server writes it: date, time, size, link."""
    rows = "".join(f" {when}        1234 <A HREF=\"/{name}\">{name}</A><br>" for name, when in entries)
    return (f"<html><head><title>downloads.leginfo.legislature.ca.gov - /</title></head><body>"
            f"<H1>downloads.leginfo.legislature.ca.gov - /</H1><hr><pre>{rows}</pre><hr></body></html>")
