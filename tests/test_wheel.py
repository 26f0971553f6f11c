"""The package as the Docker image installs it: the wheel built from the files the Dockerfile
copies, holding every file the packages need, installed in a fresh virtual environment away from
the source tree, where `edtracker` upgrades a database, imports real files and serves every page.

Needs only a package registry (pip takes the dependencies from it or from its cache)."""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import ROOT, real_fixture

PACKAGES = ("tracker", "scrapers", "api", "cli")
# Tracked files under the packages that the wheel carries in another form, with the reason.
NOT_IN_WHEEL = {"scrapers/formats/billstatus_cwalk.pyx": "compiled into the extension module"}


def _stages() -> list[list[str]]:
    """The Dockerfile's instructions (continuation lines joined), split into build stages."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    stages: list[list[str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append([])
        stages[-1].append(line)
    return stages


def _build_context(dest: Path) -> None:
    """Copy what the Dockerfile's build stage copies, leaving out what .dockerignore names."""
    patterns = [p.strip() for p in (ROOT / ".dockerignore").read_text().splitlines()
                if p.strip() and not p.startswith("#")]
    nested = [p.removeprefix("**/") for p in patterns if p.startswith("**/")]  # at any depth
    top = [p for p in patterns if not p.startswith("**/")]  # relative to the context's root
    for line in _stages()[0]:
        if not line.upper().startswith("COPY ") or "--from" in line:
            continue
        *sources, target = line.split()[1:]
        for src in sources:
            assert src not in top, f"the Dockerfile copies {src}, which .dockerignore leaves out"
            path = ROOT / src
            to = dest / (src if target.endswith("/") and target in ("./", ".") else target.removeprefix("./"))
            if path.is_dir():
                shutil.copytree(path, to, ignore=shutil.ignore_patterns(*nested))
            else:
                to.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, to)


def _run(cmd: list, timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=timeout, **kw)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """edtracker's wheel, built as the Dockerfile builds it."""
    work = tmp_path_factory.mktemp("wheel")
    _build_context(work / "src")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check",
          "--wheel-dir", work / "wheels", "./src"], timeout=600, cwd=work)
    [built] = (work / "wheels").glob("edtracker-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment, outside the source tree, with the wheel and its dependencies."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    # Dependencies at the versions this test run uses (quicker to resolve, and what was tested);
    # pip takes them from its cache or the registry.
    frozen = _run([sys.executable, "-m", "pip", "freeze", "--exclude-editable",
                   "--disable-pip-version-check"]).stdout
    pins = venv.parent / "constraints.txt"
    pins.write_text("\n".join(line for line in frozen.splitlines()
                              if line and not line.startswith(("-e", "edtracker")) and " @ " not in line))
    _run([sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--no-compile",
          "--disable-pip-version-check", "-c", pins, wheel], timeout=900)
    return venv


def _wheel_files(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as zf:
        return set(zf.namelist())


def _tracked_package_files() -> list[str]:
    """Files of the packages in the repository (git's list, or the tree without build junk)."""
    try:
        out = subprocess.run(["git", "ls-files", *PACKAGES], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        out = [str(p.relative_to(ROOT)) for pkg in PACKAGES for p in (ROOT / pkg).rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".so", ".c")]
    return sorted(out)


def test_dockerfile_builds_that_wheel_and_installs_it():
    build, runtime = _stages()[0], _stages()[-1]
    assert any(re.search(r"pip wheel .*--no-deps .*--wheel-dir /wheels \.$", line) for line in build), build
    copied = {src for line in build if line.startswith("COPY ") for src in line.split()[1:-1]}
    assert {"pyproject.toml", "setup.py", "README.md", "LICENSE", "scheduler.py", *PACKAGES} <= copied
    assert "COPY --from=build /wheels /wheels" in runtime
    assert any(re.search(r"pip install .*/wheels/\*\.whl", line) for line in runtime), runtime


def test_wheel_holds_every_file_of_the_packages(wheel):
    files = _wheel_files(wheel)
    tracked = _tracked_package_files()
    assert any(f.startswith("api/templates/") for f in tracked)
    missing = [f for f in tracked if f not in files and f not in NOT_IN_WHEEL]
    assert not missing, f"package files left out of the wheel (add them to package-data): {missing}"
    assert "scheduler.py" in files
    junk = [f for f in files if "__pycache__" in f or f.endswith((".pyc", ".c", ".pyx"))]
    assert not junk, junk


def test_wheel_carries_the_license(wheel):
    licenses = [f for f in _wheel_files(wheel) if re.search(r"\.dist-info/licenses/LICENSE$", f)]
    assert licenses, "the wheel has no LICENSE"
    with zipfile.ZipFile(wheel) as zf:
        assert zf.read(licenses[0]) == (ROOT / "LICENSE").read_bytes()
        metadata = zf.read(next(f for f in zf.namelist() if f.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: AGPL-3.0-or-later" in metadata


# --- the installed package, run from outside the source tree --------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.read().decode("utf-8", "replace"), dict(resp.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace"), dict(exc.headers)


COALITION = """\
version: 1
coalition:
  slug: wheel-check
  name: Wheel Check Coalition
positions:
  - bill: ms-2013-hb369
    stance: oppose
    rationale: Opens charter schools without enough accountability.
    public: true
"""


def test_installed_wheel_serves_every_page(installed, tmp_path):
    run_dir = tmp_path / "run"  # far from the source tree: nothing can be read from the checkout
    run_dir.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("EDTRACKER_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(EDTRACKER_DATABASE_URL=f"sqlite:///{run_dir / 'edtracker.db'}",
               EDTRACKER_DATA_DIR=str(run_dir / "data"), EDTRACKER_LOG_LEVEL="WARNING",
               PATH=f"{installed / 'bin'}:{env.get('PATH', '')}")
    bin_ = installed / "bin"

    def edtracker(*args) -> str:
        return _run([bin_ / "edtracker", *args], cwd=run_dir, env=env).stdout

    where = _run([bin_ / "python", "-c", "import api, tracker; print(api.__file__, tracker.__file__)"],
                 cwd=run_dir, env=env).stdout.split()
    assert all(Path(p).is_relative_to(installed) for p in where), where

    edtracker("db", "upgrade")
    out = edtracker("import", real_fixture("legiscan-ms-xml", "ms-2013"), real_fixture("billstatus", "v1-current"))
    assert re.search(r"insert=[1-9]", out) and "error=0" in out, out
    (run_dir / "coalition.yaml").write_text(COALITION)
    edtracker("coalition", "load", run_dir / "coalition.yaml")
    edtracker("scorecard", "create", "wheel-check/ms-charter", "-j", "ms", "--title", "Charter schools 2013",
              "--session", "2013", "--chamber", "lower", "--publish")
    edtracker("scorecard", "add-item", "wheel-check/ms-charter", "--vote", "ms-legiscan-221575")
    edtracker("scorecard", "recompute", "wheel-check/ms-charter")

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(run_dir / "serve.log", "w")
    server = subprocess.Popen([bin_ / "edtracker", "serve", "--host", "127.0.0.1", "--port", str(port)],
                              cwd=run_dir, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert server.poll() is None, (run_dir / "serve.log").read_text()[-3000:]
            try:
                if _get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(f"edtracker serve did not answer: {(run_dir / 'serve.log').read_text()[-3000:]}")

        rows = json.loads(_get(f"{base}/api/scorecards/wheel-check/ms-charter")[1])["rows"]
        legislator = rows[0]["key"]
        card = "/c/wheel-check/scorecards/ms-charter"
        pages = {
            "/": "Mississippi",  # among the tracked jurisdictions
            "/?q=charter": "Mississippi Charter Schools Act",  # the old home's search now opens /search
            "/bills": "ms-2013-hb369",
            "/bill/ms-2013-hb369": "Mississippi Charter Schools Act",
            "/bill/us-117-hr1": "For the People Act",
            "/bills/ms-2013-hb369": "ms-legiscan-221575",
            "/search?q=charter": "ms-2013-hb369",
            "/c/wheel-check/": "Wheel Check Coalition",
            "/c/wheel-check/bills/ms-2013-hb369": "Opens charter schools without enough accountability",
            card: "Charter schools 2013",
            f"{card}?lang=es": "Metodología",
            f"{card}/methodology": "Charter schools 2013",
            f"{card}/legislators/{legislator}": rows[0]["name"],
            f"/embed{card}": "Charter schools 2013",
            f"/embed{card}/legislators/{legislator}": rows[0]["name"],
            f"{card}/badge.svg?legislator={quote(legislator)}": "<svg",
            f"/oembed?url={quote(base + card)}": "<iframe",
            "/embed.js": "iframe",
            "/static/scorecards/scorecard.css": "{",
            f"/api/scorecards/wheel-check/ms-charter?format=csv": rows[0]["name"],
            f"/api/scorecards/wheel-check/ms-charter/export": "ms-legiscan-221575",
            "/alerts/signup": "<form",
            "/alerts/feeds/coalition/wheel-check.atom": "<feed",
            "/c/wheel-check/staff/login": "password",
            "/docs": "swagger",
            "/openapi.json": "/api/scorecards",
            "/healthz": "ok",
            "/status/jobs": "",
        }
        failures = []
        for path, expected in pages.items():
            status, body, _ = _get(base + path)
            if status != 200 or expected.lower() not in body.lower():
                failures.append(f"{path}: {status}, {'found' if expected.lower() in body.lower() else 'missing'} "
                                f"{expected!r}: {body[:200]!r}")
        assert not failures, "\n".join(failures) + "\n" + (run_dir / "serve.log").read_text()[-3000:]
        # The footers' source link and LegiScan's credit come from the packaged templates too.
        assert 'href="https://github.com/edtracker/edtracker"' in _get(base + "/")[1]
        assert 'href="https://legiscan.com/"' in _get(base + "/bill/ms-2013-hb369")[1]
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
