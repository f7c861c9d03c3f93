"""Models for the casework area (filled in by its issue)."""

from __future__ import annotations
