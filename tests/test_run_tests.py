"""tools/run_tests.sh, the body of `make test`: a pytest run that collects nothing must fail the build."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "tools" / "run_tests.sh"


def run_with_pytest_exiting(tmp_path: Path, codes: dict[str, int]) -> subprocess.CompletedProcess[str]:
    """Run a copy of the script whose `python -m pytest` exits with `codes[marker]` for each run's -m marker."""
    (tmp_path / "tools").mkdir()
    shutil.copy(SCRIPT, tmp_path / "tools" / "run_tests.sh")
    fake = tmp_path / ".venv" / "bin" / "python"
    fake.parent.mkdir(parents=True)
    cases = "\n".join(
        f'  *"-m {marker}"*) exit {code} ;;' for marker, code in codes.items() if marker != "fast"
    )
    fake.write_text(
        f'#!/usr/bin/env bash\ncase "$*" in\n{cases}\n  *) exit {codes.get("fast", 0)} ;;\nesac\n'
    )
    fake.chmod(0o755)
    return subprocess.run(
        ["bash", str(tmp_path / "tools" / "run_tests.sh")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_it_passes_when_every_run_passes(tmp_path):
    assert run_with_pytest_exiting(tmp_path, {}).returncode == 0


@pytest.mark.parametrize("run", ["fast", "slow", "browser"])
def test_it_fails_when_a_run_collects_no_tests(tmp_path, run):
    result = run_with_pytest_exiting(tmp_path, {run: 5})

    assert result.returncode != 0
    assert "collected no tests" in result.stderr


def test_it_fails_when_a_run_fails_and_still_runs_the_others(tmp_path):
    result = run_with_pytest_exiting(tmp_path, {"fast": 1})

    assert result.returncode != 0
    assert "== browser tests" in result.stdout
