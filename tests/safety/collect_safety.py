"""A pytest plugin for tests/safety/test_hazard_log.py: after collection, write what the run
would execute (node id, markers, statically skipped?) as JSON to $WELLBEING_SAFETY_COLLECT.
Loaded with `-p collect_safety` in a subprocess, so pytest's own selection decides."""

from __future__ import annotations

import json
import os
from typing import Any


def _statically_skipped(item: Any) -> bool:
    if item.get_closest_marker("skip") or item.get_closest_marker("xfail"):
        return True
    return any(arg is True for m in item.iter_markers("skipif") for arg in m.args)


def pytest_collection_finish(session: Any) -> None:
    out = os.environ.get("WELLBEING_SAFETY_COLLECT")
    if not out:
        return
    items = [{"nodeid": item.nodeid, "markers": sorted({m.name for m in item.iter_markers()}),
              "skipped": _statically_skipped(item)} for item in session.items]
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(items, fh)
