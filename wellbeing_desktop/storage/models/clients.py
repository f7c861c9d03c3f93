"""Clients and their referrals (episodes of care)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, Uuid, true
from sqlalchemy.orm import Mapped, mapped_column

from wellbeing_desktop.storage.models.base import Base, SyncedMixin


class Client(SyncedMixin, Base):
    __tablename__ = "clients"
    __table_args__ = (
        # Today's counts by status read only this index.
        Index("ix_clients_status_live", "status", "deleted_at"),
        # "No contact in N days": the lapsed people of each active status, latest first.
        Index("ix_clients_status_last_contact", "status", "last_contact_on"),
        # NHS number and postcode prefix searches count live clients from the index alone.
        Index("ix_clients_nhs_number_live", "nhs_number", "deleted_at"),
        Index("ix_clients_postcode_live", "postcode", "deleted_at"),
    )

    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str] = mapped_column(String(100), default="")
    pronouns: Mapped[str] = mapped_column(String(40), default="")
    date_of_birth: Mapped[date | None] = mapped_column(Date, default=None)
    nhs_number: Mapped[str | None] = mapped_column(String(10), default=None)
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(8), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    contact_preferences: Mapped[str] = mapped_column(Text, default="")
    # Contact preferences the letters respect (0300_intake): post is sent only where it is
    # safe to the address held; a message is left only where the person agreed.
    post_allowed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    message_allowed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    gp_practice: Mapped[str] = mapped_column(String(200), default="")
    consent_contact: Mapped[bool] = mapped_column(Boolean, default=True)
    consent_share_services: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_central_records: Mapped[bool] = mapped_column(Boolean, default=False)
    # The named services the client agreed we may share with (free text, one per line).
    consent_share_with: Mapped[str] = mapped_column(Text, default="")
    # Accessible Information Standard: recorded once, used as pack defaults.
    language: Mapped[str] = mapped_column(String(16), default="en")
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    document_format: Mapped[str] = mapped_column(String(20), default="standard")
    communication_notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="referred")
    practitioner_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("practitioners.id"), default=None, index=True
    )
    # Lower-cased, accent-free "family given" for search and duplicate checks.
    search_name: Mapped[str] = mapped_column(String(220), default="", index=True)
    # Coded, optional person-level data (domain/coded.py; codes in resources/coded/person.json).
    # "" = not asked; each list has its own "prefer not to say" code. Multiple-choice fields
    # hold codes joined by ",". Server defaults keep rows made before revision 0500.
    gender_identity: Mapped[str] = mapped_column(String(8), default="", server_default="")
    sex_at_birth: Mapped[str] = mapped_column(String(12), default="", server_default="")
    ethnic_category: Mapped[str] = mapped_column(String(4), default="", server_default="")
    employment_status: Mapped[str] = mapped_column(String(4), default="", server_default="")
    accommodation_status: Mapped[str] = mapped_column(String(12), default="", server_default="")
    disability: Mapped[str] = mapped_column(String(60), default="", server_default="")
    carer_status: Mapped[str] = mapped_column(String(12), default="", server_default="")
    long_term_conditions: Mapped[str] = mapped_column(String(120), default="", server_default="")
    ais_needs: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # Set when this record was merged into another; it is then soft-deleted.
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    # The day of the last attended session or group (kept by services.clients.
    # refresh_last_contact whenever an appointment or attendance is saved, and on merge).
    last_contact_on: Mapped[date | None] = mapped_column(Date, default=None)


class Referral(SyncedMixin, Base):
    """One episode of care, from the referral received to discharge."""

    __tablename__ = "referrals"
    # "Waiting for first contact" counts from this index alone.
    __table_args__ = (
        Index("ix_referrals_waiting", "status", "first_contact_on", "deleted_at"),
    )

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("clients.id"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(40))
    referrer: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="received")
    first_contact_on: Mapped[date | None] = mapped_column(Date, default=None)
    assessed_on: Mapped[date | None] = mapped_column(Date, default=None)
    discharged_on: Mapped[date | None] = mapped_column(Date, default=None)
    practitioner_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("practitioners.id"), default=None
    )
    sessions_offered: Mapped[int] = mapped_column(Integer, default=6)
    # The reply-by date of the opt-in letter, once one is sent (0300_intake).
    opt_in_by: Mapped[date | None] = mapped_column(Date, default=None)


class ReferralStatusChange(SyncedMixin, Base):
    """One step of a referral's status history, with the reason for it."""

    __tablename__ = "referral_status_changes"

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("clients.id"), index=True)
    referral_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("referrals.id"), index=True)
    changed_on: Mapped[date] = mapped_column(Date)
    from_status: Mapped[str] = mapped_column(String(20), default="")
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    practitioner_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("practitioners.id"), default=None
    )


# Client search: an FTS5 index over the folded name words (`Client.search_name`), so "any word
# of the name starts with…" is an index lookup, not a LIKE over every row. It also holds the
# client id, so a name search's page is sorted inside the index (by the folded name). Its rows are keyed
# by `clients_fts_keys.key` (an INTEGER PRIMARY KEY, stable across VACUUM, unlike the implicit
# rowid of `clients`); both tables are device-local (not in the models, never synchronised)
# and kept in step by triggers, so every way a client row is written keeps the index right.
# NHS number and postcode prefixes use their own b-tree indexes.
_FTS = "clients_fts"
_KEYS = "clients_fts_keys"
_KEY_OF = f"(SELECT key FROM {_KEYS} WHERE client_id = new.id)"
EXTRA_DDL: list[tuple[str, str]] = [
    (
        f"CREATE VIRTUAL TABLE {_FTS} USING fts5(names, client_id UNINDEXED, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')",
        f"DROP TABLE IF EXISTS {_FTS}",
    ),
    (
        f"CREATE TABLE {_KEYS} (key INTEGER PRIMARY KEY, client_id CHAR(32) NOT NULL UNIQUE)",
        f"DROP TABLE IF EXISTS {_KEYS}",
    ),
    (
        f"CREATE TRIGGER clients_fts_ai AFTER INSERT ON clients BEGIN "
        f"INSERT OR IGNORE INTO {_KEYS}(client_id) VALUES (new.id); "
        f"INSERT INTO {_FTS}(rowid, names, client_id) SELECT {_KEY_OF}, new.search_name, "
        "new.id WHERE new.deleted_at IS NULL; END",
        "DROP TRIGGER IF EXISTS clients_fts_ai",
    ),
    (
        "CREATE TRIGGER clients_fts_au AFTER UPDATE OF search_name, deleted_at ON clients BEGIN "
        f"DELETE FROM {_FTS} WHERE rowid = {_KEY_OF}; "
        f"INSERT INTO {_FTS}(rowid, names, client_id) SELECT {_KEY_OF}, new.search_name, "
        "new.id WHERE new.deleted_at IS NULL; END",
        "DROP TRIGGER IF EXISTS clients_fts_au",
    ),
    (
        "CREATE TRIGGER clients_fts_ad AFTER DELETE ON clients BEGIN "
        f"DELETE FROM {_FTS} WHERE rowid = (SELECT key FROM {_KEYS} WHERE client_id = old.id); "
        f"DELETE FROM {_KEYS} WHERE client_id = old.id; END",
        "DROP TRIGGER IF EXISTS clients_fts_ad",
    ),
]
