"""The frozen build: PyInstaller onedir, then the frozen `wellbeing self-test` (slow)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_frozen_build_passes_its_self_test(tmp_path: Path) -> None:
    pyinstaller = Path(sys.executable).with_name("pyinstaller")
    if not pyinstaller.exists():
        pytest.skip("PyInstaller is not installed (pip install -e '.[dev]')")
    build = subprocess.run(
        [str(pyinstaller), "--noconfirm", "--clean", "--distpath", str(tmp_path / "dist"),
         "--workpath", str(tmp_path / "build"), str(ROOT / "build_installer.spec")],
        capture_output=True, text=True, timeout=1800, cwd=ROOT,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    bundle = tmp_path / "dist" / "wellbeing-desktop"
    assert (bundle / "wellbeing-desktop").exists()
    # Run from somewhere else, with a clean environment, so nothing comes from the checkout.
    env = {"PATH": os.environ.get("PATH", ""), "QT_QPA_PLATFORM": "offscreen",
           "HOME": str(tmp_path / "home")}
    frozen = subprocess.run([str(bundle / "wellbeing"), "self-test"], capture_output=True,
                            text=True, timeout=600, cwd=tmp_path, env=env)
    assert frozen.returncode == 0, frozen.stdout[-3000:] + frozen.stderr[-3000:]
    assert "self-test passed" in frozen.stdout
    shutil.rmtree(tmp_path / "build", ignore_errors=True)
