"""Saving a file for the GUI (which does not import storage): the one atomic write, 0600."""

from __future__ import annotations

from wellbeing_desktop.storage.files import PRIVATE, SHARED, atomic_write

__all__ = ["PRIVATE", "SHARED", "atomic_write"]
