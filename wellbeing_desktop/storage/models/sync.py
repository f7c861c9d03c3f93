"""Models for the sync area (filled in by its issue)."""

from __future__ import annotations
