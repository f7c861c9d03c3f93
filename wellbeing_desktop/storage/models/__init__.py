"""All models, imported so that `Base.metadata` is complete for migrations and tests."""

from wellbeing_desktop.storage.models import (  # noqa: F401
    audit,
    casework,
    clients,
    core,
    courses,
    directory,
    documents,
    feeds,
    intake,
    measures,
    signposting,
    sync,
)
from wellbeing_desktop.storage.models.audit import AuditEvent
from wellbeing_desktop.storage.models.base import Base, SyncedMixin
from wellbeing_desktop.storage.models.clients import Client, Referral
from wellbeing_desktop.storage.models.core import DeviceState, Practitioner

__all__ = [
    "AuditEvent",
    "Base",
    "Client",
    "DeviceState",
    "Practitioner",
    "Referral",
    "SyncedMixin",
]
