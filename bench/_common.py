"""Small helpers shared by the benchmark scripts (not part of the app)."""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values: list[float]) -> float:
    return statistics.median(values)


def run_child(args: list[str], env: dict[str, str] | None = None) -> str:
    out = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                         timeout=600, check=False)
    if out.returncode != 0:
        raise SystemExit(f"child failed: {args}\n{out.stderr[-2000:]}")
    return out.stdout


def compile_package() -> None:
    """Write the package's bytecode, as installing it does (pip compiles on install and the
    PyInstaller build ships .pyc files). Without it, in a fresh checkout or with
    PYTHONDONTWRITEBYTECODE set (as on the development machine), every child process compiles
    each of our modules from source again, a cost the floor (PySide6, compiled when installed)
    never pays and no installed copy pays either: 10-40 ms to the first paint, more later."""
    import compileall

    compileall.compile_dir(str(ROOT / "wellbeing_desktop"), quiet=1)


def _code_fingerprint() -> str:
    import hashlib

    root = Path(__file__).resolve().parents[1] / "wellbeing_desktop"
    digest = hashlib.sha256()
    for path in sorted([*root.glob("storage/migrations/versions/*.py"),
                        *root.glob("services/demo/*.py")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def ensure_demo(data_dir: Path, clients: int, services: int) -> None:
    """Create a demo store once (kept between runs of the benchmarks, and remade whenever the
    schema or the demo generators change: until the first release the single migration is
    rewritten in place, so an old store would not match the models)."""
    marker = data_dir / f".demo-{clients}-{services}-{_code_fingerprint()}"
    if marker.exists():
        return
    if data_dir.exists():
        import shutil

        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    run_child(["-m", "wellbeing_desktop.cli", "--data-dir", str(data_dir), "demo-data",
               "--clients", str(clients), "--services", str(services), "--seed", "1"])
    marker.touch()


def report(title: str, rows: list[tuple[str, float, float, str]]) -> None:
    """rows: (what, measured ms, floor ms, target text)."""
    print(f"\n== {title}")
    print(f"{'what':44} {'measured':>10} {'floor':>10} {'ratio':>7}  target")
    for what, measured, floor, target in rows:
        ratio = measured / floor if floor else float("nan")
        print(f"{what:44} {measured:9.1f}ms {floor:9.1f}ms {ratio:6.2f}x  {target}")
