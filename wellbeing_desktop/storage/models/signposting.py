"""Models for the signposting area (filled in by its issue)."""

from __future__ import annotations
