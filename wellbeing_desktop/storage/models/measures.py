"""Models for the measures area (filled in by its issue)."""

from __future__ import annotations
