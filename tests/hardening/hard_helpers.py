"""Shared constants and helpers of the security tests."""

from __future__ import annotations

PASS_SAM = "kingsmere lighthouse 42"
PASS_HANNAH = "orchard bicycle morning"
CLIENT_NAME = "Zebediah Quillfeather"


def add_client(ctx: object, given: str = "Zebediah", family: str = "Quillfeather") -> str:
    """A client written through the ORM (the casework service arrives with its own issue)."""
    from wellbeing_desktop.domain.text import fold
    from wellbeing_desktop.services import audit
    from wellbeing_desktop.storage.models import Client

    with ctx.store.session() as s:  # type: ignore[attr-defined]
        client = Client(given_name=given, family_name=family, postcode="KM1 4AB",
                        phone="07700 900123", search_name=fold(f"{family} {given}"),
                        practitioner_id=ctx.actor.id)  # type: ignore[attr-defined]
        s.add(client)
        s.flush()
        audit.record(s, ctx.actor, "client_added", entity="client", client_id=client.id)  # type: ignore[attr-defined]
        return str(client.id)
