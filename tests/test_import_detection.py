"""Format detection (issue 14.3): over every real fixture folder, each data file is claimed by
the reader made for it, whatever the order of its keys, and no documentation file is parsed."""
from __future__ import annotations

import fnmatch
import json

import pytest

from scrapers.formats.detect import is_documentation, json_shape, xml_root
from scrapers.formats.trees import DirTree
from scrapers.importer import DataTree, iter_records, plan
from tests.conftest import FIXTURES, real_fixture
from tracker.contract import RecordError
from tracker.ingest import Ingestor

# Per fixture folder: (glob of data files, the reader that must claim them). Files of a folder
# matching no pattern are read by nobody (formats edtracker does not read, such as a lone CA law section, the NY text feed and schema files).
EXPECTED: dict[str, list[tuple[str, str]]] = {
    "billstatus": [("*/*BILLSTATUS-*.xml", "govinfo-billstatus")],
    "congress-gov-api-json": [("httptest2/*.json", "congress-gov-api"),
                              ("loc-sample-output/*.json", "congress-gov-api")],
    "congress-legislators": [("legislators-current.yaml", "congress-legislators"),
                             ("executive.yaml", "congress-legislators"),
                             ("committee*.yaml", "congress-committees")],
    "essa-votes": [("votes-*/*/data.json", "uscongress-vote"), ("votes-*/*/data.xml", "uscongress-vote")],
    "legiscan": [("bill/*.json", "legiscan-json"), ("vote/*.json", "legiscan-json"),
                 ("people/*.json", "legiscan-json"), ("text/*.json", "legiscan-json")],
    "legiscan-ms-xml": [("*/*/*.xml", "legiscan-xml")],
    "ny-openleg": [("api-v3/bill_*.json", "ny-openleg"), ("members/*.sql", "ny-openleg"),
                   ("processor/bill/senFlVot/*", "ny-openleg"),
                   ("processor/bill/senAgendaVote/*", "ny-openleg"),
                   ("processor/bill/senAgenda/*", "ny-openleg"), ("sourcefile/S609-2017_JSON", "ny-openleg")],
    "openstates-people": [("*/legislature/*.yml", "openstates-people"),
                          ("*/executive/*.yml", "openstates-people"),
                          ("*/municipalities/*.yml", "openstates-people"),
                          ("*/retired/*.yml", "openstates-people"),
                          ("*/committees/*.yml", "openstates-committees")],
    "ca-pubinfo": [("1989/*", "ca-pubinfo"), ("2025-daily/*", "ca-pubinfo"), ("2025-mini/*", "ca-pubinfo"),
                   ("lobs/bill_version_*.lob", "caml")],
    "bill-text": [("uslm/*.XML", "uslm"), ("ca-ab2302/*.lob", "caml"), ("ny-openleg/S609-2017_JSON", "ny-openleg")],
    "votes-house-clerk": [("*.xml", "house-clerk-xml")],
    "votes-senate-lis": [("*.xml", "senate-lis-xml")],
}
# the vote files whose first key is "bill", which a first-key sniffer took for LegiScan bills
FIRST_KEY_BILL = ["h422", "s248", "s308", "s333"]


def folders() -> list[str]:
    if not FIXTURES.exists():
        return ["<missing>"]
    return sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def _expected(folder: str, name: str) -> str | None:
    for pattern, reader in EXPECTED.get(folder, []):
        if fnmatch.fnmatch(name, pattern):
            return reader
    return None


def _claims(import_plan) -> dict[str, str]:
    return {tree.source(n): fmt_name for _p, fmt_name, _f, (tree, names) in import_plan.steps for n in names}


@pytest.mark.parametrize("folder", folders())
def test_every_file_of_every_fixture_folder_goes_to_its_reader(folder):
    root = real_fixture(folder)
    import_plan = plan([root])
    claims = _claims(import_plan)
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    wrong = []
    for name in files:
        source = str(root / name)
        if is_documentation(name):
            assert source in import_plan.documentation and source not in claims, name
            continue
        if name.endswith(".zip"):
            continue  # archives are opened, their members planned like files
        if claims.get(source) != _expected(folder, name):
            wrong.append((name, claims.get(source), _expected(folder, name)))
    assert not wrong, f"{len(wrong)} files claimed wrongly (file, claimed by, expected): {wrong[:10]}"
    assert not import_plan.errors


@pytest.mark.parametrize("folder", [f for f in folders() if f in EXPECTED])
def test_no_documentation_file_is_read_by_any_reader(folder):
    """Parse a whole folder recording every file a reader opens: none is documentation, and no
    error is about one."""
    root = real_fixture(folder)
    import_plan = plan([root])
    opened: list[str] = []

    class Recording:  # the real tree, noting what is read
        def __init__(self, inner):
            self.inner, self.label = inner, inner.label

        def __getattr__(self, attr):
            return getattr(self.inner, attr)

        def read(self, name):
            opened.append(name)
            return self.inner.read(name)
    for tree in {id(t): t for _p, _n, _f, (t, _names) in import_plan.steps}.values():
        assert isinstance(tree, DataTree)
        tree.tree = Recording(tree.tree)
    items = list(iter_records(import_plan))
    assert opened and not [n for n in opened if is_documentation(n)]
    assert not [e for e in items if isinstance(e, RecordError) and is_documentation(e.source or "")]


def test_first_key_bill_votes_are_read_as_votes_and_stored(engine):
    """The four vote files opening with `"bill"` are unitedstates/congress votes, and the whole
    folder imports without one error."""
    root = real_fixture("essa-votes")
    claims = _claims(plan([root]))
    for roll in FIRST_KEY_BILL:
        path = root / "votes-114-2015" / roll / "data.json"
        assert next(iter(json.loads(path.read_bytes()))) == "bill"
        assert claims[str(path)] == "uscongress-vote"
    report = Ingestor(engine).ingest(iter_records(plan([root])), keep_results=False)
    assert report.errors == [] and report.counts["insert"] == 45


def test_detection_does_not_depend_on_key_order(tmp_path):
    """A LegiScan bill, a unitedstates/congress vote and a Congress.gov response with their
    top-level keys reversed are still told apart."""
    sources = {"legiscan/bill/HB1.json": real_fixture("legiscan", "bill", "HB1.json"),
               "votes/h422/data.json": real_fixture("essa-votes", "votes-114-2015", "h422", "data.json"),
               "api/bill.json": real_fixture("congress-gov-api-json", "loc-sample-output", "bill_117_hr_21.json")}
    expected = {"legiscan/bill/HB1.json": "legiscan-json", "votes/h422/data.json": "uscongress-vote",
                "api/bill.json": "congress-gov-api"}
    for order in ("forward", "reversed"):
        folder = tmp_path / order
        for name, src in sources.items():
            obj = json.loads(src.read_bytes())
            if order == "reversed":
                obj = dict(reversed(list(obj.items())))
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(json.dumps(obj))
        claims = _claims(plan([folder]))
        assert {n: claims.get(str(folder / n)) for n in sources} == expected, order


def test_documentation_rules():
    for name in ("PROVENANCE.md", "docs/README.md", "README", "LICENSE", "LICENSE.OpenLegislation",
                 "schema/pubinfo_Readme.pdf", "api-v3-docs/bills.rst", "notes.txt", "CHANGELOG.md"):
        assert is_documentation(name), name
    for name in ("bill/HB1.json", "BILLSTATUS-117hr1.xml", "members/V2020.sql", "legislators-current.yaml",
                 "readme_data.json", "data.xml"):
        assert not is_documentation(name), name


def test_xml_root_and_json_shape(tmp_path):
    assert xml_root(b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE a [<!ELEMENT a ANY>]>\n<a x="1">') == "a"
    assert xml_root(b"# PROVENANCE\nGovInfo <billStatus> files") is None
    assert xml_root(b'<?xml version="1.0"?><rollcall-vote>') == "rollcall-vote"
    (tmp_path / "x.json").write_text('{"b": [1], "a": {"c": 1}, "s": "OK"}')
    (tmp_path / "y.json").write_text("[1, 2]")
    tree = DirTree(tmp_path)
    assert json_shape(tree, "x.json") == {"b": list, "a": dict, "s": "OK"}
    assert json_shape(tree, "y.json") is None

