"""`edtracker serve` runs uvicorn's fast stack (httptools, uvloop) and its workers serve the
pages and the page cache (issue 19)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from cli.serve import fast_stack

ROOT = Path(__file__).resolve().parents[2]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_fast_stack_is_installed_and_chosen():
    assert fast_stack() == {"http": "httptools", "loop": "uvloop"}


def test_serve_with_two_workers_uses_the_fast_stack(tmp_path):
    port = _port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDTRACKER_")}
    env.update(EDTRACKER_DATA_DIR=str(tmp_path / "data"), EDTRACKER_LOG_LEVEL="INFO", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "cli", "serve", "--port", str(port), "--workers", "2"],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                time.sleep(0.1)
        else:
            raise AssertionError("edtracker serve did not answer")
    finally:
        proc.terminate()
        out = proc.communicate(timeout=30)[0]
    assert "2 worker(s), httptools on uvloop" in out, out
