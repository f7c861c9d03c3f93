"""Models for the directory area (filled in by its issue)."""

from __future__ import annotations
