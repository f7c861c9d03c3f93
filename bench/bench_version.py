"""`wellbeing --version --json` (target ≤ 0.25 s), beside the floor of starting Python itself
(`python -c pass`) and of the console script doing nothing but importing the CLI package, in
the same run. Prints medians and p95 over 20 runs each."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import compile_package, median, percentile  # noqa: E402

RUNS = 20


def timed(args: list[str]) -> list[float]:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    py = sys.executable
    compile_package()
    floor = timed([py, "-c", "pass"])
    version = timed([py, "-m", "wellbeing_desktop.cli", "--version", "--json"])
    print(f"load average: {os.getloadavg()[0]:.2f}")
    print(f"python -c pass          median {median(floor) * 1000:6.0f} ms  "
          f"p95 {percentile(floor, 95) * 1000:6.0f} ms")
    print(f"wellbeing --version     median {median(version) * 1000:6.0f} ms  "
          f"p95 {percentile(version, 95) * 1000:6.0f} ms  "
          f"(target ≤ 250 ms; {median(version) / median(floor):.1f}× bare Python)")


if __name__ == "__main__":
    main()
