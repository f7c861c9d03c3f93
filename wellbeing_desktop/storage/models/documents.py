"""Models for the documents area (filled in by its issue)."""

from __future__ import annotations
