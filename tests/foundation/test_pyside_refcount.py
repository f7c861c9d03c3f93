"""DESIGN §10: PySide6 6.12.0 on Python 3.11 drops a reference to None on every void-returning
call and every Python `data()` returning None, until the interpreter aborts. We pin below 6.12;
this test catches a regression of the pin (or of a future PySide6)."""

from __future__ import annotations

import gc
import sys

import pytest
from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

CALLS = 20_000


class _NoneModel(QAbstractListModel):
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802
        return 10

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        return None


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_none_refcount_survives_void_calls_and_none_data(qapp) -> None:  # type: ignore[no-untyped-def]
    gc.collect()
    gc.disable()  # collections elsewhere legitimately release references to None
    try:
        _calls_and_check()
    finally:
        gc.enable()


def _calls_and_check() -> None:
    before = sys.getrefcount(None)
    model = QStandardItemModel()
    for i in range(CALLS):
        model.appendRow(QStandardItem(str(i)))  # void-returning C++ call
    none_model = _NoneModel()
    index = none_model.index(3, 0)
    for _ in range(CALLS):
        # C++ calls the Python override, which returns None.
        assert none_model.data(index) is None
        assert index.data() is None
    after = sys.getrefcount(None)
    # The bug drops one reference per call (40,000 here); unrelated code may release a few.
    assert after >= before - 1000, f"refcount of None fell from {before} to {after}"
    assert model.rowCount() == CALLS
