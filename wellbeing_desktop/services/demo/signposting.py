"""Demo content for the signposting area (its issue fills this in)."""

from __future__ import annotations

from wellbeing_desktop.services.demo.context import DemoContext


def generate(ctx: DemoContext) -> None:
    """Nothing yet: the signposting area adds its demo content here."""
