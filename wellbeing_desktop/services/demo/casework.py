"""Demo content for the casework area (its issue fills this in)."""

from __future__ import annotations

from wellbeing_desktop.services.demo.context import DemoContext


def generate(ctx: DemoContext) -> None:
    """Nothing yet: the casework area adds its demo content here."""
