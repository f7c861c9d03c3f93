"""The app never touches the network: main flows run with socket creation blocked."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = textwrap.dedent(
    """
    import os, socket, sys
    attempts = []

    def hook(event, args):
        if event in ("socket.__new__", "socket.connect", "socket.bind", "socket.getaddrinfo",
                     "socket.gethostbyname"):
            attempts.append(event)
            raise PermissionError("network blocked by test: " + event)

    sys.addaudithook(hook)
    from wellbeing_desktop.cli import main
    data = sys.argv[1]
    assert main(["--data-dir", data, "init", "--demo"]) == 0
    assert main(["--data-dir", data, "demo-data", "--clients", "200", "--services", "50"]) == 0
    assert main(["self-test"]) == 0
    # Any socket the process holds now (Qt's C++ included) shows up as an fd.
    sockets = []
    for fd in os.listdir("/proc/self/fd") if os.path.isdir("/proc/self/fd") else []:
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                sockets.append(fd)
        except OSError:
            pass  # the fd of the listing itself, already closed
    print("ATTEMPTS", len(attempts), "SOCKETS", len(sockets))
    """
)


@pytest.mark.safety
def test_main_flows_open_no_socket(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "data")],
        capture_output=True, text=True, timeout=600, env=env,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "ATTEMPTS 0 SOCKETS 0" in result.stdout, result.stdout[-500:]
