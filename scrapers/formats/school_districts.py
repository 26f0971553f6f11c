"""School-district tables: OCD division lists, NCES EDGE relationship files, legislative crosswalks.

Told apart by their columns, never by file name:
- `ocd-names`: OCD's `us_school_districts.csv` (no header: division id, name);
- `ocd-nces`: OCD's `us_school_district_nces_mapping.csv` (id, sch_dist_stateid, census_geoid);
- `nces-grf`: NCES's LEA x congressional district relationship file, as published (.xlsx) or as
  CSV (LEAID, NAME_LEAyy, STCDnnn, LANDAREA, WATERAREA; nnn is the Congress of the boundaries);
- `sld-crosswalk`: our documented state legislative crosswalk (leaid, chamber, district,
  land_area [, state, water_area, vintage]; docs/school-districts.md).
An .xlsx is a zip of XML: its members are read within the import limits and parsed with
`scrapers.xmlsafe` (no entities, no external loads).
"""
from __future__ import annotations

import csv
import io
import re
import zipfile

from scrapers import xmlsafe
from scrapers.formats.trees import InputError, Limits
from tracker.schools.rows import LEAID, DivisionRow, PartRow, TableFile, fips_states

_OCD = re.compile(r"^ocd-division/country:us/(state|district|territory):([a-z]{2})(/.*)?$")
_STCD = re.compile(r"^stcd(\d{3})$")
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CROSSWALK_COLUMNS = {"leaid", "chamber", "district", "land_area"}
_CHAMBERS = {"upper": "state_upper", "lower": "state_lower", "legislature": "state_upper"}


def _header(head: bytes) -> list[str]:
    line = head.split(b"\n", 1)[0].decode("utf-8-sig", "replace").strip("\r")
    return [c.strip().lower() for c in next(csv.reader([line]), [])]


def sniff(name: str, head: bytes) -> str | None:
    """The kind of school-district table a file is, or None."""
    if name.lower().endswith(".xlsx") and head.startswith(b"PK\x03\x04"):
        return "nces-grf" if b"xl/" in head else None
    if not name.lower().endswith((".csv", ".txt")):
        return None
    cols = _header(head)
    if cols == ["id", "sch_dist_stateid", "census_geoid"]:
        return "ocd-nces"
    if len(cols) == 2 and cols[0].startswith("ocd-division/") and "/school_district:" in cols[0]:
        return "ocd-names"
    if "leaid" in cols and "landarea" in cols and any(_STCD.match(c) for c in cols):
        return "nces-grf"
    if CROSSWALK_COLUMNS <= set(cols):
        return "sld-crosswalk"
    return None


def _segments(ocd_id: str) -> dict[str, str]:
    out = {}
    for seg in ocd_id.split("/")[2:-1]:
        k, _, v = seg.partition(":")
        out.setdefault(k, v.replace("_", " ").replace("~", " ").strip())
    return out


def division(ocd_id: str, **kw) -> DivisionRow:
    m = _OCD.match(ocd_id.strip())
    if not m or "/school_district:" not in ocd_id:
        raise ValueError(f"not a school district's OCD division id: {ocd_id[:80]!r}")
    segs = _segments(ocd_id.strip())
    county = next((segs[k] for k in ("county", "parish", "borough", "census_area") if k in segs), None)
    return DivisionRow(ocd_id=ocd_id.strip(), state=m.group(2), county=county, place=segs.get("place"), **kw)


def _text(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _ocd_rows(kind: str, rows, out: TableFile) -> None:
    for n, row in enumerate(rows, start=1 if kind == "ocd-names" else 2):
        if not row or not any(c.strip() for c in row):
            continue
        try:
            if kind == "ocd-names":
                if len(row) != 2:
                    raise ValueError(f"expected 2 columns (id, name), got {len(row)}")
                out.divisions.append(division(row[0], name=row[1].strip() or None))
            else:
                if len(row) != 3:
                    raise ValueError(f"expected 3 columns (id, sch_dist_stateid, census_geoid), got {len(row)}")
                leaid = row[2].strip()
                if not LEAID.match(leaid):
                    raise ValueError(f"census_geoid {leaid[:20]!r} is not a 7-digit NCES LEAID")
                out.divisions.append(division(row[0], leaid=leaid, state_code=row[1].strip() or None))
        except ValueError as exc:
            out.problems.append((f"line {n}", str(exc)))


def _number(value, column: str) -> float | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{column} {str(value)[:20]!r} is not a number") from None
    if number < 0 or number != number:
        raise ValueError(f"{column} {value!r} is not an area")
    return number


def _leaid(value) -> str:
    text = str(value or "").strip()
    if text.isdigit() and len(text) < 7:   # a spreadsheet that dropped the leading zero
        text = text.zfill(7)
    if not LEAID.match(text):
        raise ValueError(f"LEAID {text[:20]!r} is not a 7-digit NCES id")
    return text


def _state_of(leaid: str) -> str:
    state = fips_states().get(leaid[:2])
    if state is None:
        raise ValueError(f"LEAID {leaid} starts with {leaid[:2]}, no state's FIPS code")
    return state


def _bad(out: TableFile, raw: str, line: int, exc: Exception) -> None:
    """A bad row: its district's other parts are not stored either (their shares would be wrong)."""
    try:
        leaid = _leaid(raw)
    except ValueError:
        out.problems.append((f"line {line}", str(exc)))
        return
    out.bad_leaids.add(leaid)
    out.problems.append((f"line {line} (LEAID {leaid}, none of its parts stored)", str(exc)))


def _grf_rows(header: list[str], rows, out: TableFile) -> None:
    cols = [c.strip().lower() for c in header]
    stcd = next((c for c in cols if _STCD.match(c)), None)
    if "leaid" not in cols or stcd is None or "landarea" not in cols:
        raise InputError("not an NCES relationship file: needs LEAID, STCDnnn and LANDAREA columns")
    vintage = f"cd{int(_STCD.match(stcd).group(1))}"
    name_col = next((c for c in cols if c.startswith("name_lea")), None)
    at = {c: i for i, c in enumerate(cols)}
    for n, row in rows:
        cell = lambda c: row[at[c]] if c in at and at[c] < len(row) else None  # noqa: E731
        if not any(str(v or "").strip() for v in row):
            continue
        raw = str(cell("leaid") or "").strip()
        try:
            leaid = _leaid(raw)
            code = str(cell(stcd) or "").strip()
            code = code.zfill(4) if code.isdigit() else code
            if code[2:].upper() == "ZZ":   # water outside every district (Great Lakes): nobody's seat
                continue
            if not re.match(r"^\d{4}$", code):
                raise ValueError(f"{stcd.upper()} {code[:20]!r} is not state FIPS + district number")
            state = fips_states().get(code[:2])
            if state is None:
                raise ValueError(f"{stcd.upper()} {code} starts with {code[:2]}, no state's FIPS code")
            _state_of(leaid)
            number = code[2:]
            district = "AL" if number in ("00", "98") else str(int(number))
            name = str(cell(name_col) or "").strip() or None if name_col else None
            out.parts.append(PartRow(leaid, "us_house", state, district, _number(cell("landarea"), "LANDAREA"),
                                     _number(cell("waterarea"), "WATERAREA"), vintage, name, n))
        except ValueError as exc:
            _bad(out, raw, n, exc)


def _crosswalk_rows(rows, out: TableFile) -> None:
    for n, row in enumerate(rows, start=2):
        row = {str(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        if not any(row.values()):
            continue
        raw = row.get("leaid", "")
        try:
            leaid = _leaid(raw)
            level = _CHAMBERS.get(row.get("chamber", "").lower())
            if level is None:
                raise ValueError(f"chamber {row.get('chamber', '')[:20]!r} is not upper or lower")
            state = (row.get("state") or _state_of(leaid)).lower()
            if state not in fips_states().values():
                raise ValueError(f"state {state[:10]!r} is not a postal code")
            district = row.get("district", "")
            if not re.match(r"^[A-Za-z0-9][A-Za-z0-9 .'_-]{0,39}$", district):
                raise ValueError(f"district {district[:40]!r} is not a district name or number")
            district = str(int(district)) if district.isdigit() else district
            out.parts.append(PartRow(leaid, level, state, district, _number(row.get("land_area"), "land_area"),
                                     _number(row.get("water_area"), "water_area"),
                                     row.get("vintage") or "crosswalk", row.get("name") or None, n))
        except ValueError as exc:
            _bad(out, raw, n, exc)


def _member(zf: zipfile.ZipFile, name: str, source: str, limits: Limits) -> bytes:
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise InputError(f"{source}: not a spreadsheet: no {name} inside") from None
    if info.file_size > limits.max_file:
        raise InputError(f"{source}: {name} declares {info.file_size} bytes, over the import limit")
    if info.compress_size and info.file_size > 1024 * 1024 and info.file_size / info.compress_size > limits.max_ratio:
        raise InputError(f"{source}: {name} is compressed {info.file_size // info.compress_size}:1, refused")
    try:
        return zf.read(name)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(f"{source}: {name} cannot be read: {exc}") from None


def _xml(data: bytes, source: str, name: str):
    try:
        return xmlsafe.parse_xml(data)
    except xmlsafe.etree.XMLSyntaxError as exc:
        raise InputError(f"{source}: {name}: {'refused' if isinstance(exc, xmlsafe.HostileXML) else 'bad'} XML: {exc}") from None


def _col(ref: str) -> int:
    n = 0
    for ch in re.match(r"[A-Z]*", ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1


def xlsx_rows(data: bytes, source: str, limits: Limits | None = None) -> list[list[str | None]]:
    """The first worksheet of an .xlsx as rows of cell texts."""
    limits = limits or Limits.from_settings()
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputError(f"{source}: not an .xlsx (zip) file: {exc}") from None
    with zf:
        book = _xml(_member(zf, "xl/workbook.xml", source, limits), source, "workbook.xml")
        sheet = book.find(f"{_NS}sheets/{_NS}sheet")
        if sheet is None:
            raise InputError(f"{source}: the workbook has no sheet")
        rels = _xml(_member(zf, "xl/_rels/workbook.xml.rels", source, limits), source, "workbook.xml.rels")
        target = next((r.get("Target") for r in rels.iter(f"{_PKG}Relationship") if r.get("Id") == sheet.get(_REL)), None)
        if not target or ".." in target:
            raise InputError(f"{source}: the first sheet's part is not named inside the package")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        strings = []
        if "xl/sharedStrings.xml" in zf.namelist():
            sst = _xml(_member(zf, "xl/sharedStrings.xml", source, limits), source, "sharedStrings.xml")
            strings = ["".join(t.text or "" for t in si.iter(f"{_NS}t")) for si in sst.iter(f"{_NS}si")]
        root = _xml(_member(zf, target, source, limits), source, target)
    out = []
    for row in root.iter(f"{_NS}row"):
        cells: list[str | None] = []
        for c in row.iter(f"{_NS}c"):
            i = _col(c.get("r", "")) if c.get("r") else len(cells)
            kind, v = c.get("t"), c.find(f"{_NS}v")
            if kind == "s":
                try:
                    text = strings[int(v.text)]
                except (TypeError, ValueError, IndexError, AttributeError):
                    raise InputError(f"{source}: cell {c.get('r')} names a shared string that is not there") from None
            elif kind == "inlineStr":
                text = "".join(t.text or "" for t in c.iter(f"{_NS}t"))
            else:
                text = v.text if v is not None else None
            cells.extend([None] * (i + 1 - len(cells)))
            cells[i] = text
        out.append(cells)
    return out


def parse(kind: str, data: bytes, source: str, limits: Limits | None = None) -> TableFile:
    """Read a whole file; an unreadable file raises InputError naming it, bad rows become problems."""
    out = TableFile(kind, [], [], [])
    if kind == "nces-grf" and data.startswith(b"PK\x03\x04"):
        rows = xlsx_rows(data, source, limits)
        if not rows:
            raise InputError(f"{source}: the first sheet is empty")
        try:
            _grf_rows([str(c or "") for c in rows[0]], ((n, r) for n, r in enumerate(rows[1:], start=2)), out)
        except InputError as exc:
            raise InputError(f"{source}: {exc}") from None
        return out
    text = _text(data, source)
    try:
        if kind in ("ocd-names", "ocd-nces"):
            reader = csv.reader(io.StringIO(text))
            if kind == "ocd-nces":
                next(reader, None)
            _ocd_rows(kind, reader, out)
        elif kind == "nces-grf":
            reader = csv.reader(io.StringIO(text))
            header = next(reader, [])
            _grf_rows(header, ((n, r) for n, r in enumerate(reader, start=2)), out)
        elif kind == "sld-crosswalk":
            _crosswalk_rows(csv.DictReader(io.StringIO(text)), out)
        else:
            raise InputError(f"{source}: unknown school-district table kind {kind!r}")
    except csv.Error as exc:
        raise InputError(f"{source}: malformed CSV: {exc}") from None
    except InputError as exc:
        raise InputError(str(exc) if str(exc).startswith(source) else f"{source}: {exc}") from None
    return out
