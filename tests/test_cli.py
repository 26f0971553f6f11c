"""The `edtracker` command: db upgrade, import, bills list/show."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from cli.main import app
from tests import factories as f

runner = CliRunner()


def write_jsonl(path, records):
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return path


def test_db_upgrade_then_import_twice_reports_noop(app_env, tmp_path):
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    data = write_jsonl(tmp_path / "records.jsonl", f.batch())
    first = runner.invoke(app, ["import", str(data), "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["counts"]["insert"] == 5
    second = runner.invoke(app, ["import", str(data), "--json"])
    counts = json.loads(second.stdout)["counts"]
    assert (counts["insert"], counts["update"], counts["noop"]) == (0, 0, 5)


def test_import_reports_bad_record_and_keeps_others(app_env, tmp_path):
    bad = f.bill(9, title="")
    data = tmp_path / "mixed.jsonl"
    data.write_text(json.dumps(f.bill(5)) + "\n{not json\n" + json.dumps(bad) + "\n")
    out = runner.invoke(app, ["import", str(data), "--json"])
    report = json.loads(out.stdout)
    assert report["counts"]["insert"] == 1 and report["counts"]["error"] == 2
    problems = {(e["source"], e["record"], e["field"]) for e in report["errors"]}
    assert (f"{data}:2", None, None) in problems
    assert (f"{data}:3", "us-119-hr9", "title") in problems


def test_import_folder_and_zip(app_env, tmp_path):
    import zipfile

    folder = tmp_path / "dump"
    folder.mkdir()
    write_jsonl(folder / "a.jsonl", [f.bill(5)])
    (folder / "notes.txt").write_text("not data")
    (folder / "dump.bin").write_bytes(b"\x00 not data either")
    with zipfile.ZipFile(tmp_path / "dump.zip", "w") as zf:
        zf.writestr("inner/b.jsonl", json.dumps(f.bill(6)) + "\n")
    out = runner.invoke(app, ["import", str(folder), str(tmp_path / "dump.zip"), "--json"])
    counts = json.loads(out.stdout)["counts"]
    assert counts["insert"] == 2 and counts["unrecognized_files"] == 1 and counts["documentation_files"] == 1


def test_import_missing_path_is_a_clear_error(app_env, tmp_path):
    out = runner.invoke(app, ["import", str(tmp_path / "nope.xml")])
    assert out.exit_code != 0
    assert "nope.xml" in out.output and "no such file" in out.output


def test_import_as_of_a_day(app_env, tmp_path):
    data = write_jsonl(tmp_path / "r.jsonl", [f.bill(5)])
    bad = runner.invoke(app, ["import", str(data), "--today", "2027-13-01"])
    assert bad.exit_code == 2 and "--today" in bad.output
    # after the 119th Congress ended (2027-01-03), a bill it passed in one chamber only is dead
    assert runner.invoke(app, ["import", str(data), "--today", "2027-02-01"]).exit_code == 0
    assert json.loads(runner.invoke(app, ["bills", "show", "us-119-hr5", "--json"]).stdout)["stage"] == "dead"


def test_bills_list_and_show(app_env, tmp_path):
    # as of a day of the 119th Congress: once it has ended, the bill passed by the House is dead
    runner.invoke(app, ["import", str(write_jsonl(tmp_path / "r.jsonl", f.batch())), "--today", f.TODAY.isoformat()])
    listed = json.loads(runner.invoke(app, ["bills", "list", "--json", "--jurisdiction", "us"]).stdout)
    assert listed["total"] == 2 and {b["key"] for b in listed["items"]} == {"us-119-hr5", "us-119-hr6"}
    limited = json.loads(runner.invoke(app, ["bills", "list", "--json", "--limit", "1"]).stdout)
    assert len(limited["items"]) == 1 and limited["total"] == 2
    shown = json.loads(runner.invoke(app, ["bills", "show", "us-119-hr5", "--json"]).stdout)
    assert shown["stage"] == "passed_origin"
    assert [a["classification"] for a in shown["actions"]][-1] == ["passage"]
    assert shown["sponsors"][0]["legislator_key"] == "bioguide:D000001"
    assert shown["votes"][0]["counts"] == {"yes": 1, "no": 1}
    assert {v["option"] for v in shown["votes"][0]["votes"]} == {"yes", "no"}
    text = runner.invoke(app, ["bills", "show", "us-119-hr5"]).stdout
    assert "Passed origin chamber" in text and "Introduced in House" in text
    missing = runner.invoke(app, ["bills", "show", "us-119-hr999"])
    assert missing.exit_code == 1


def test_bills_list_rejects_unknown_stage(app_env):
    out = runner.invoke(app, ["bills", "list", "--stage", "limbo"])
    assert out.exit_code != 0 and "limbo" in out.output


def test_import_recheck_merges_unchanged_bills_again(app_env, tmp_path, monkeypatch):
    """An unchanged record is a noop without its merge; after a change of source precedence
    `--recheck` merges it again (issue 19)."""
    from tracker.settings import get_settings

    one = dict(f.bill(5), title="Title from source one", source=dict(f.SRC, format="one-src"))
    two = dict(f.bill(5), title="Title from source two", source=dict(f.SRC, format="two-src"))
    data = write_jsonl(tmp_path / "one.jsonl", [one])
    monkeypatch.setenv("EDTRACKER_SOURCE_PRECEDENCE", '{"*": ["one-src", "two-src"]}')
    get_settings.cache_clear()
    assert runner.invoke(app, ["import", str(data)]).exit_code == 0
    assert runner.invoke(app, ["import", str(write_jsonl(tmp_path / "two.jsonl", [two]))]).exit_code == 0
    show = lambda: json.loads(runner.invoke(app, ["bills", "show", "us-119-hr5", "--json"]).stdout)["title"]  # noqa: E731
    assert show() == "Title from source one"
    monkeypatch.setenv("EDTRACKER_SOURCE_PRECEDENCE", '{"*": ["two-src", "one-src"]}')
    get_settings.cache_clear()
    plain = runner.invoke(app, ["import", str(data), "--json"])
    assert json.loads(plain.stdout)["counts"]["noop"] == 1
    assert show() == "Title from source one"
    again = runner.invoke(app, ["import", str(data), "--recheck", "--json"])
    assert json.loads(again.stdout)["counts"]["update"] == 1, again.output
    assert show() == "Title from source two"
