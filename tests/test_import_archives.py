"""Archives (issue 15.2): a corrupt or hostile archive is one error naming it, the rest of the
import goes on, and limits on size, ratio and nesting keep memory bounded."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from scrapers.importer import iter_records, plan
from scrapers.formats.trees import Limits
from tests import factories as f
from tests.conftest import ROOT, real_fixture
from tracker.contract import RecordError

MB = 1024 * 1024


def jsonl(*numbers: int) -> bytes:
    return "".join(json.dumps(f.bill(n)) + "\n" for n in numbers).encode()


def zip_bytes(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def run(paths, limits: Limits | None = None) -> tuple[list, list[RecordError], list]:
    """(records, errors, unknown files) of importing `paths`."""
    p = plan(paths, limits)
    items = list(iter_records(p))
    return ([i for i in items if not isinstance(i, RecordError)],
            [i for i in items if isinstance(i, RecordError)], p.unknown)


def keys(records) -> set[str]:
    return {r.key for r in records}


def test_a_corrupt_zip_is_one_error_and_the_import_goes_on(tmp_path):
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 this is not really a zip archive")
    (tmp_path / "truncated.zip").write_bytes(zip_bytes({"a.jsonl": jsonl(1)})[:40])
    (tmp_path / "good.jsonl").write_bytes(jsonl(2))
    records, errors, _ = run([tmp_path / "broken.zip", tmp_path / "truncated.zip", tmp_path / "good.jsonl"])
    assert keys(records) == {"us-119-hr2"}
    assert sorted(e.source for e in errors) == [str(tmp_path / "broken.zip"), str(tmp_path / "truncated.zip")]
    assert all("not a readable zip archive" in e.problem for e in errors)


def test_a_corrupt_zip_inside_a_folder_or_a_zip_is_one_error(tmp_path):
    folder = tmp_path / "dump"
    folder.mkdir()
    (folder / "bad.zip").write_bytes(b"not a zip")
    (folder / "good.jsonl").write_bytes(jsonl(1))
    (tmp_path / "outer.zip").write_bytes(zip_bytes({"inner/bad.zip": b"PK\x05\x06 junk",
                                                    "inner/ok.zip": zip_bytes({"b.jsonl": jsonl(2)}),
                                                    "c.jsonl": jsonl(3)}))
    records, errors, _ = run([folder, tmp_path / "outer.zip"])
    assert keys(records) == {"us-119-hr1", "us-119-hr2", "us-119-hr3"}
    assert sorted(e.source for e in errors) == [str(folder / "bad.zip"), f"{tmp_path / 'outer.zip'}!inner/bad.zip"]


def test_a_damaged_member_is_one_error_naming_it(tmp_path):
    data = bytearray(zip_bytes({"a.jsonl": jsonl(1, 2, 3) * 50, "b.jsonl": jsonl(4)}))
    start = data.index(b"a.jsonl") + len(b"a.jsonl") + 10
    data[start:start + 20] = b"\xff" * 20  # inside a.jsonl's compressed stream
    (tmp_path / "damaged.zip").write_bytes(bytes(data))
    records, errors, _ = run([tmp_path / "damaged.zip"])
    assert keys(records) == {"us-119-hr4"}
    assert [e.source for e in errors] == [f"{tmp_path / 'damaged.zip'}!a.jsonl"]


def test_nesting_deeper_than_the_limit_is_refused(tmp_path):
    level3 = zip_bytes({"deep.jsonl": jsonl(3), "l4.zip": zip_bytes({"deeper.jsonl": jsonl(4)})})
    level2 = zip_bytes({"l3.zip": level3, "two.jsonl": jsonl(2)})
    (tmp_path / "l1.zip").write_bytes(zip_bytes({"l2.zip": level2, "one.jsonl": jsonl(1)}))
    records, errors, _ = run([tmp_path / "l1.zip"], Limits(max_depth=3))
    assert keys(records) == {"us-119-hr1", "us-119-hr2", "us-119-hr3"}
    (err,) = errors
    assert err.source == f"{tmp_path / 'l1.zip'}!l2.zip!l3.zip!l4.zip" and "nested more than 3" in err.problem


def test_ratio_size_and_total_limits(tmp_path, monkeypatch):
    (tmp_path / "bomb.zip").write_bytes(zip_bytes({"zeros.jsonl": b"\0" * (8 * MB), "ok.jsonl": jsonl(1)}))
    records, errors, _ = run([tmp_path / "bomb.zip"])
    assert records == [] and len(errors) == 1 and "zip bomb" in errors[0].problem
    assert errors[0].source == str(tmp_path / "bomb.zip") and "zeros.jsonl" in errors[0].problem

    # the settings are the defaults of `plan`
    big = jsonl(*range(1, 9000))
    assert len(big) > MB
    (tmp_path / "big.jsonl").write_bytes(big)
    (tmp_path / "bigzip.zip").write_bytes(zip_bytes({"big.jsonl": big}))
    (tmp_path / "small.jsonl").write_bytes(jsonl(5))
    from tracker.settings import get_settings
    monkeypatch.setenv("EDTRACKER_IMPORT_MAX_FILE_MB", "1")
    get_settings.cache_clear()
    try:
        records, errors, _ = run([tmp_path / "big.jsonl", tmp_path / "bigzip.zip", tmp_path / "small.jsonl"])
    finally:
        get_settings.cache_clear()
    assert keys(records) == {"us-119-hr5"}
    assert sorted(e.source for e in errors) == [str(tmp_path / "big.jsonl"), str(tmp_path / "bigzip.zip")]
    assert all("EDTRACKER_IMPORT_MAX_FILE_MB" in e.problem for e in errors)

    parts = {f"p{i}.jsonl": jsonl(*range(i * 3000 + 1, i * 3000 + 3000)) for i in range(4)}
    (tmp_path / "total.zip").write_bytes(zip_bytes({"inner.zip": zip_bytes(parts), "x.jsonl": jsonl(7)}))
    records, errors, _ = run([tmp_path / "total.zip"], Limits(max_total=int(1.5 * MB)))
    assert keys(records) == {"us-119-hr7"}
    (err,) = errors
    assert err.source.endswith("total.zip!inner.zip") and "EDTRACKER_IMPORT_MAX_ARCHIVE_MB" in err.problem


_MEASURE = """
import resource, sys
from scrapers.importer import plan, iter_records
items = list(iter_records(plan(sys.argv[1:])))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
print(sum(1 for i in items if type(i).__name__ == "RecordError"))
"""


def _peak_mb(paths, env=None) -> tuple[int, int]:
    import os
    out = subprocess.run([sys.executable, "-c", _MEASURE, *map(str, paths)], cwd=ROOT, capture_output=True,
                         text=True, timeout=300, env={**os.environ, **(env or {})})
    assert out.returncode == 0, out.stderr[-3000:]
    peak, errors = out.stdout.split()
    return int(peak), int(errors)


@pytest.fixture(scope="module")
def nested_bomb(tmp_path_factory) -> Path:
    """outer.zip (deflated, well under 1 MB) holding inner.zip, which stores 200 MB of zeros."""
    d = tmp_path_factory.mktemp("bomb")
    inner = d / "inner.zip"
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_STORED) as zf:
        with zf.open("zeros.xml", "w", force_zip64=True) as out:
            chunk = b"\0" * MB
            for _ in range(200):
                out.write(chunk)
    outer = d / "outer.zip"
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.write(inner, "inner.zip")
    inner.unlink()
    assert outer.stat().st_size < 1 * MB
    return outer


def test_a_nested_zip_bomb_keeps_memory_bounded(nested_bomb, tmp_path):
    """Peak memory of importing the bomb, against importing a small real archive in the same
    way; with the limits on (rejected unread) and with them lifted (streamed, never held)."""
    small = tmp_path / "small.zip"
    with zipfile.ZipFile(small, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(real_fixture("billstatus", "v1-current", "BILLSTATUS-117hr1.xml"), "BILLSTATUS-117hr1.xml")
    baseline, base_errors = _peak_mb([small])
    assert base_errors == 0
    peak, errors = _peak_mb([nested_bomb, small])
    assert errors == 1, "the bomb is one error"
    assert peak - baseline < 40, f"bomb import peaked at {peak} MB against {baseline} MB"
    lifted = {"EDTRACKER_IMPORT_MAX_RATIO": "100000", "EDTRACKER_IMPORT_MAX_FILE_MB": "1024"}
    peak, _ = _peak_mb([nested_bomb, small], lifted)
    assert peak - baseline < 40, f"with the limits lifted, the bomb import peaked at {peak} MB against {baseline} MB"
