"""Wrong types in real files (issue 15.3): every reader turns them into record errors naming the
file, the record and the field, and goes on with the other files and records.

Real fixture files are mutated a little (a seeded sample of fields turned string <-> number <->
list <-> object <-> null; in XML, text made non-numeric, empty, nested or repeated; in CSV, cells
changed), imported beside an untouched file of the same reader, and the import must: never
crash (no reader exception reaching the importer's last-resort guard), name the mutated file in
every error about it with the record and the field, and still read the untouched file.
"""
from __future__ import annotations

import copy
import functools
import csv
import io
import json
import logging
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from lxml import etree

from scrapers.importer import iter_records, plan
from scrapers.xmlsafe import parse_xml
from tests.conftest import FIXTURES, real_fixture
from tracker.contract import RecordError

SEED = 1515
PER_FILE = 24  # mutations per mutated file


@dataclass
class Case:
    reader: str
    folder: str  # fixture folder the files come from
    files: tuple[str, ...]  # copied as they are, relative paths kept
    mutated: str  # the file that is mutated (one of `files`)
    untouched: str  # a file whose records must still come through
    keep: int | None = None  # a long YAML list: its first `keep` entries are enough


CASES = [
    Case("legiscan-json", "legiscan", ("bill/HB1.json", "bill/HB2.json", "vote/154366.json",
                                       "vote/154367.json", "people/8630.json", "people/8631.json"),
         "bill/HB1.json", "bill/HB2.json"),
    Case("legiscan-json-vote", "legiscan", ("bill/HB1.json", "bill/HB2.json", "bill/HB1044.json",
                                            "bill/HB1045.json", "bill/HB3.json", "vote/154366.json",
                                            "vote/154367.json"), "vote/154366.json", "bill/HB2.json"),
    Case("legiscan-json-person", "legiscan", ("bill/HB1.json", "people/8630.json", "people/8631.json"),
         "people/8630.json", "people/8631.json"),
    Case("legiscan-xml", "legiscan-ms-xml", ("ms-2014/bill/SB2091.xml", "ms-2014/bill/HB455.xml",
                                             "ms-2014/vote/345828.xml"), "ms-2014/bill/SB2091.xml",
         "ms-2014/bill/HB455.xml"),
    Case("uscongress-vote", "essa-votes", ("votes-114-2015/h422/data.json", "votes-114-2015/s248/data.json"),
         "votes-114-2015/h422/data.json", "votes-114-2015/s248/data.json"),
    Case("govtrack-vote", "essa-votes", ("votes-114-2015/h98/data.xml", "votes-114-2015/s243/data.xml"),
         "votes-114-2015/h98/data.xml", "votes-114-2015/s243/data.xml"),
    Case("congress-gov-api", "congress-gov-api-json",
         ("loc-sample-output/bill_117_hr_21.json", "loc-sample-output/bill_117_hr_21_actions.json",
          "httptest2/bill_117_hr_3076.json", "httptest2/member_L000174.json"),
         "loc-sample-output/bill_117_hr_21.json", "httptest2/bill_117_hr_3076.json"),
    Case("congress-gov-api-vote", "congress-gov-api-json",
         ("httptest2/house_vote_119_1_17.json", "httptest2/house_vote_119_1_17_members.json",
          "httptest2/bill_117_hr_3076.json"), "httptest2/house_vote_119_1_17_members.json",
         "httptest2/bill_117_hr_3076.json"),
    Case("billstatus", "billstatus", ("v1-actions-committees/BILLSTATUS-116hr5177.xml",
                                      "v1-actions-committees/BILLSTATUS-116s2902.xml"),
         "v1-actions-committees/BILLSTATUS-116hr5177.xml", "v1-actions-committees/BILLSTATUS-116s2902.xml"),
    Case("house-clerk", "votes-house-clerk", ("clerk-2023-roll037-committee.excerpt.xml",
                                              "roll002-2025-speaker-election.xml"),
         "clerk-2023-roll037-committee.excerpt.xml", "roll002-2025-speaker-election.xml"),
    Case("senate-lis", "votes-senate-lis", ("vote_108_2_00213.xml",), "vote_108_2_00213.xml", ""),
    Case("ny-openleg-api", "ny-openleg", ("api-v3/bill_S609-2017.json",
                                          "processor/bill/senFlVot/2017-10-23-10.25.46.989009_SENFLVOT_S00100.XML"),
         "api-v3/bill_S609-2017.json", "processor/bill/senFlVot/2017-10-23-10.25.46.989009_SENFLVOT_S00100.XML"),
    Case("ny-openleg-feed", "ny-openleg",
         ("processor/bill/senFlVot/2023-10-24-09.19.43.232048_SENFLVOT_S01234.XML",
          "processor/bill/senFlVot/2017-10-23-10.25.46.989009_SENFLVOT_S00100.XML"),
         "processor/bill/senFlVot/2023-10-24-09.19.43.232048_SENFLVOT_S01234.XML",
         "processor/bill/senFlVot/2017-10-23-10.25.46.989009_SENFLVOT_S00100.XML"),
    Case("openstates-people", "openstates-people",
         ("ky/legislature/Adam-Bowling-e7f7a316-4eb0-4be9-adf9-e7067b20dcfc.yml",
          "ky/legislature/Aaron-Reed-e46eb488-2e34-4f33-840f-917496473c64.yml"),
         "ky/legislature/Adam-Bowling-e7f7a316-4eb0-4be9-adf9-e7067b20dcfc.yml",
         "ky/legislature/Aaron-Reed-e46eb488-2e34-4f33-840f-917496473c64.yml"),
    Case("openstates-committees", "openstates-people", (), "", ""),
    Case("congress-legislators", "congress-legislators", ("legislators-current.yaml",),
         "legislators-current.yaml", "", keep=12),
    Case("congress-committees", "congress-legislators", ("committees-current.yaml",
                                                         "committee-membership-current.yaml"),
         "committees-current.yaml", "", keep=6),
]


# --- mutations ------------------------------------------------------------------------------

def _swap(value, rng: random.Random):
    """A value of another JSON type than `value`."""
    choices = {
        str: [123, None, ["x"], {"x": 1}, 4.5],
        int: ["twelve", None, [1], {"n": 1}],
        float: ["1.5x", None, [1.5]],
        bool: ["yes", [True], None],
        list: ["a list", 7, None, {"0": "x"}],
        dict: ["an object", 7, None, [1, 2]],
        type(None): ["null", 0, [], {}],
    }
    return rng.choice(choices[type(value)])


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj[:3]):
            yield from _paths(v, prefix + (i,))


def _set(obj, path, value):
    for p in path[:-1]:
        obj = obj[p]
    obj[path[-1]] = value


def _get(obj, path):
    for p in path:
        obj = obj[p]
    return obj


def mutate_tree(obj, rng: random.Random, n: int):
    """(description, mutated copy) for `n` sampled paths of a decoded JSON/YAML document."""
    paths = [p for p in _paths(obj) if p]
    for path in rng.sample(paths, min(n, len(paths))):
        new = copy.deepcopy(obj)
        value = _swap(_get(new, path), rng)
        _set(new, path, value)
        yield f"{'/'.join(map(str, path))} -> {value!r}", new


def mutate_xml(data: bytes, rng: random.Random, n: int):
    root = parse_xml(data)
    elements = [e for e in root.iter() if isinstance(e.tag, str) and e is not root]
    for el in rng.sample(elements, min(n, len(elements))):
        doc = parse_xml(data)
        target = doc.getroottree().xpath(root.getroottree().getpath(el))[0]
        kind = rng.choice(["letters", "empty", "nested", "repeated", "removed", "number"])
        if kind == "letters":
            target.text = "not a value"
        elif kind == "empty":
            target.text = None
            for c in list(target):
                target.remove(c)
        elif kind == "number":
            target.text = "-99999999999999999999"
        elif kind == "nested":
            child = etree.SubElement(target, "item")
            child.text = target.text or "x"
            target.text = None
        elif kind == "repeated":
            target.addnext(copy.deepcopy(target))
        elif kind == "removed":
            target.getparent().remove(target)
        for k in list(target.attrib)[:1]:
            target.attrib[k] = "??"
        yield f"{root.getroottree().getpath(el)} {kind}", etree.tostring(doc, xml_declaration=True, encoding="UTF-8")


def _trimmed(obj, keep: int | None):
    return obj[:keep] if keep and isinstance(obj, list) else obj


@functools.lru_cache(maxsize=8)
def _trimmed_copy(path: Path, keep: int) -> bytes:
    """A long YAML list or mapping cut to its first entries (the rest adds time, not cases)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    obj = yaml.load(path.read_bytes(), Loader=loader)  # noqa: S506
    if isinstance(obj, dict):
        obj = dict(list(obj.items())[: keep * 8])
    return yaml.dump(_trimmed(obj, keep), Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper)).encode()


def mutations(path: Path, rng: random.Random, n: int, keep: int | None = None):
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".json":
        for what, obj in mutate_tree(json.loads(data), rng, n):
            yield what, json.dumps(obj).encode()
    elif suffix in (".yml", ".yaml"):
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        for what, obj in mutate_tree(_trimmed(yaml.load(data, Loader=loader), keep), rng, n):  # noqa: S506
            yield what, yaml.dump(obj, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False).encode()
    elif suffix == ".xml":
        yield from mutate_xml(data, rng, n)
    else:
        raise ValueError(path)


# --- the checks -----------------------------------------------------------------------------

class Crashes(logging.Handler):
    """Reader exceptions that only the importer's last-resort guard caught."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record):
        if record.getMessage().startswith("parser failed on"):
            self.seen.append(f"{record.getMessage()}: {record.exc_info[1]!r}" if record.exc_info else record.getMessage())


def _source(item) -> str:
    return item.source if isinstance(item, RecordError) else item.source.url


def check(case: Case, folder: Path, what: str, problems: list[str]) -> None:
    crashes = Crashes()
    logging.getLogger("edtracker.import").addHandler(crashes)
    try:
        import_plan = plan([folder])
        items = list(iter_records(import_plan))
    except Exception as exc:  # noqa: BLE001 - collected and reported as a failure
        problems.append(f"{what}: import raised {exc!r}")
        return
    finally:
        logging.getLogger("edtracker.import").removeHandler(crashes)
    problems.extend(f"{what}: reader crashed: {c}" for c in crashes.seen)
    mutated = str(folder / case.mutated)
    for err in (i for i in items if isinstance(i, RecordError)):
        if err.source is None or not err.source.startswith(str(folder)):
            problems.append(f"{what}: error names no file: {err}")
        elif err.source.startswith(mutated) and err.record is None and not _file_level(err):
            problems.append(f"{what}: error names no record: {err}")
        elif err.source.startswith(mutated) and err.field is None and not _file_level(err):
            problems.append(f"{what}: error names no field: {err}")
    if case.untouched and not any(_source(i).startswith(str(folder / case.untouched))
                                  for i in items if not isinstance(i, RecordError)):
        problems.append(f"{what}: the untouched file {case.untouched} was not read")


def _file_level(err: RecordError) -> bool:
    """Errors about the file as a whole (it is not what it claims to be), not one record."""
    return err.problem.startswith(("not a ", "not JSON", "expected one JSON object", "malformed",
                                   "not well-formed", "unknown root element", "refused XML"))


def _files(case: Case) -> tuple[Path, tuple[str, ...], str]:
    root = real_fixture(case.folder)
    files, mutated = case.files, case.mutated
    if not files:  # pick the first file of the kind when none is named
        first = sorted((root / "ky" / "committees").glob("*.yml"))[0]
        rel = first.relative_to(root).as_posix()
        files, mutated = (rel,), rel
    return root, files, mutated


@pytest.mark.parametrize("case", CASES, ids=[c.reader for c in CASES])
def test_wrong_types_become_named_record_errors(case, tmp_path):
    root, files, mutated = _files(case)
    case = Case(case.reader, case.folder, files, mutated, case.untouched, case.keep)
    for rel in files:
        if not (root / rel).exists():
            pytest.skip(f"fixture file {root / rel} not found")
    rng = random.Random(f"{SEED}-{case.reader}")
    problems: list[str] = []
    for i, (what, data) in enumerate(mutations(root / mutated, rng, PER_FILE, case.keep)):
        folder = tmp_path / f"m{i}"
        for rel in files:
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            if case.keep and rel != mutated and rel.endswith((".yml", ".yaml")):
                (folder / rel).write_bytes(_trimmed_copy(root / rel, case.keep))
            else:
                shutil.copyfile(root / rel, folder / rel)
        (folder / mutated).write_bytes(data)
        check(case, folder, f"{case.reader} {mutated} {what}", problems)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:25])


def _csv_mutations(text: str, rng: random.Random, n: int):
    rows = list(csv.reader(io.StringIO(text)))
    cells = [(r, c) for r in range(1, len(rows)) for c in range(len(rows[r]))]
    for r, c in rng.sample(cells, min(n, len(cells))):
        new = [list(row) for row in rows]
        value = rng.choice(["", "not a number", "[1, 2", "{'a': 1}", "-1", "9" * 30, "None"])
        new[r][c] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(new)
        yield f"row {r} column {rows[0][c]} -> {value!r}", out.getvalue()


def test_openstates_csv_wrong_cells_become_named_record_errors(tmp_path):
    data = Path(__file__).parent / "data" / "openstates" / "csv"
    tables = sorted(data.rglob("*.csv"))
    rng = random.Random(f"{SEED}-openstates-csv")
    problems: list[str] = []
    for t, table in enumerate(tables):
        for i, (what, text) in enumerate(_csv_mutations(table.read_text(), rng, 6)):
            folder = tmp_path / f"t{t}m{i}"
            shutil.copytree(data, folder)
            target = folder / table.relative_to(data)
            target.write_text(text)
            case = Case("openstates-csv", "", (), table.relative_to(data).as_posix(), "")
            check(case, folder, f"{table.name} {what}", problems)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:25])


def test_fixtures_present():
    """The fuzz cases name real files: fail loudly when one was renamed upstream."""
    if not FIXTURES.exists():
        pytest.skip("shared fixtures absent")
    missing = [f"{c.folder}/{f}" for c in CASES for f in c.files if not (FIXTURES / c.folder / f).exists()]
    assert not missing, missing
