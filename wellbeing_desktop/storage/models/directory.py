"""The local services directory: Open Referral UK (HSDS 3.0) entities plus local-only fields.

Every ORUK record keeps its ORUK id (`oruk_id`, unique per table) so a re-import updates instead
of duplicating. References between ORUK records are kept as our own UUID foreign keys where the
profile makes them structural (service → organisation, address → location, …) and as plain ORUK
id strings where the profile allows them to point outside the feed (parent organisation,
taxonomy term parents, attribute links).

`DirService` carries denormalised search columns (free of charge, modes, opening days,
languages, areas, organisation and taxonomy words) filled at import, so filters are plain
indexed SQL; `search_key` is the rowid of the FTS5 index kept by the triggers in `EXTRA_DDL`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from wellbeing_desktop.storage.models.base import Base, SyncedMixin
from wellbeing_desktop.storage.types import UTCDateTime


class DirOrganization(SyncedMixin, Base):
    __tablename__ = "dir_organizations"

    oruk_id: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(Text, default=None)
    website: Mapped[str | None] = mapped_column(Text, default=None)
    logo: Mapped[str | None] = mapped_column(Text, default=None)
    uri: Mapped[str | None] = mapped_column(Text, default=None)
    parent_organization_id: Mapped[str | None] = mapped_column(Text, default=None)
    # ORUK 1.0 and many council feeds give the organisation's web address as `url`.
    url: Mapped[str | None] = mapped_column(Text, default=None)
    # ORUK content we do not model as tables (organisation identifiers), kept for the round trip.
    extra_json: Mapped[str] = mapped_column(Text, default="{}")


class DirService(SyncedMixin, Base):
    __tablename__ = "dir_services"

    oruk_id: Mapped[str] = mapped_column(String(200), unique=True)
    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("dir_organizations.id"), default=None, index=True
    )
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text, default=None)
    url: Mapped[str | None] = mapped_column(Text, default=None)
    email: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[str] = mapped_column(String(30), default="active")
    fees: Mapped[str | None] = mapped_column(Text, default=None)
    accreditations: Mapped[str | None] = mapped_column(Text, default=None)
    minimum_age: Mapped[float | None] = mapped_column(Float, default=None)
    maximum_age: Mapped[float | None] = mapped_column(Float, default=None)
    assured_date: Mapped[date | None] = mapped_column(Date, default=None)
    assurer_email: Mapped[str | None] = mapped_column(Text, default=None)
    alert: Mapped[str | None] = mapped_column(Text, default=None)
    last_modified: Mapped[str | None] = mapped_column(String(40), default=None)
    # HSDS 3.0 fields the UK profile leaves out and practitioners need (kept as the feed said).
    eligibility_description: Mapped[str | None] = mapped_column(Text, default=None)
    application_process: Mapped[str | None] = mapped_column(Text, default=None)
    fees_description: Mapped[str | None] = mapped_column(Text, default=None)
    extra_json: Mapped[str] = mapped_column(Text, default="{}")
    # The description as clean text (markup resolved, nothing active): what is shown, printed
    # and indexed. `description` keeps what the feed said.
    description_text: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    # free / charged / not_stated (domain.costs); `free_of_charge` is `cost_state == "free"`.
    cost_state: Mapped[str] = mapped_column(String(20), default="not_stated",
                                            server_default=text("'not_stated'"))
    # Import bookkeeping: a hash of the service's whole ORUK document (unchanged → no write),
    # and when a full feed stopped listing it (withdrawn, never deleted: history points here).
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    # Local-only fields: never in a feed, kept across re-imports, exported as `x_local`.
    needs: Mapped[str] = mapped_column(Text, default="")  # space-separated needs-domain codes
    self_referral: Mapped[bool | None] = mapped_column(Boolean, default=None)
    how_to_refer: Mapped[str] = mapped_column(Text, default="")
    practitioner_notes: Mapped[str] = mapped_column(Text, default="")
    favourite: Mapped[bool] = mapped_column(Boolean, default=False)
    reported_wrong: Mapped[bool] = mapped_column(Boolean, default=False)
    reported_wrong_reason: Mapped[str] = mapped_column(Text, default="")
    reported_wrong_on: Mapped[date | None] = mapped_column(Date, default=None)
    verified_on: Mapped[date | None] = mapped_column(Date, default=None)
    verified_by: Mapped[str] = mapped_column(String(200), default="")

    # Denormalised for search and filters (recomputed at import and on local edits).
    search_key: Mapped[int] = mapped_column(Integer, unique=True)
    search_terms: Mapped[str] = mapped_column(Text, default="")  # organisation + taxonomy words
    free_of_charge: Mapped[bool] = mapped_column(Boolean, default=False)
    in_person: Mapped[bool] = mapped_column(Boolean, default=False)
    by_phone: Mapped[bool] = mapped_column(Boolean, default=False)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    open_days: Mapped[str] = mapped_column(String(40), default="")  # "MO TU WE"
    languages: Mapped[str] = mapped_column(Text, default="")  # " en pl ur " (padded for LIKE)
    areas: Mapped[str] = mapped_column(Text, default="")  # " KM1 KM2 kingsmere "


class DirLocation(SyncedMixin, Base):
    __tablename__ = "dir_locations"

    oruk_id: Mapped[str] = mapped_column(String(200), unique=True)
    location_type: Mapped[str] = mapped_column(String(20), default="physical")
    name: Mapped[str | None] = mapped_column(Text, default=None)
    description: Mapped[str | None] = mapped_column(Text, default=None)
    latitude: Mapped[float | None] = mapped_column(Float, default=None)
    longitude: Mapped[float | None] = mapped_column(Float, default=None)
    external_identifier: Mapped[str | None] = mapped_column(Text, default=None)
    external_identifier_type: Mapped[str | None] = mapped_column(Text, default=None)


class DirAddress(SyncedMixin, Base):
    __tablename__ = "dir_addresses"

    oruk_id: Mapped[str] = mapped_column(String(200), unique=True)
    location_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("dir_locations.id"), index=True)
    attention: Mapped[str | None] = mapped_column(Text, default=None)
    address_1: Mapped[str] = mapped_column(Text, default="")
    address_2: Mapped[str | None] = mapped_column(Text, default=None)
    city: Mapped[str] = mapped_column(Text, default="")
    region: Mapped[str | None] = mapped_column(Text, default=None)
    state_province: Mapped[str] = mapped_column(Text, default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    country: Mapped[str] = mapped_column(String(10), default="GB")
    address_type: Mapped[str] = mapped_column(String(20), default="physical")


class DirAccessibility(SyncedMixin, Base):
    __tablename__ = "dir_accessibility"

    oruk_id: Mapped[str] = mapped_column(String(200), unique=True)
    location_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("dir_locations.id"), index=True)
    description: Mapped[str | None] = mapped_column(Text, default=None)
    details: Mapped[str | None] = mapped_column(Text, default=None)
    url: Mapped[str | None] = mapped_column(Text, default=None)
    accessibility: Mapped[str | None] = mapped_column(Text, default=None)


class DirServiceAtLocation(SyncedMixin, Base):
    __tablename__ = "dir_service_at_locations"

    oruk_id: Mapped[str] = mapped_column(String(200), unique=True)
    service_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("dir_services.id"), index=True)
    location_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("dir_locations.id"), index=True)


class DirContact(SyncedMixin, Base):
    __tablename__ = "dir_contacts"

    oruk_id: Mapped[str] = mapped_column(String(200), unique=True)
    service_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("dir_services.id"), default=None, index=True
    )
    name: Mapped[str | None] = mapped_column(Text, default=None)
    title: Mapped[str | None] = mapped_column(Text, default=None)
    email: Mapped[str | None] = mapped_column(Text, default=None)


class DirPhone(SyncedMixin, Base):
    __tablename__ = "dir_phones"

    oruk_id: Mapped[str] = mapped_column(String(200), unique=True)
    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("dir_contacts.id"), default=None, index=True
    )
    # The service the phone belongs to (through its contact), for quick display.
    service_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("dir_services.id"), default=None, index=True
    )
    number: Mapped[str] = mapped_column(String(60))
    description: Mapped[str | None] = mapped_column(Text, default=None)


class DirSchedule(SyncedMixin, Base):
    __tablename__ = "dir_schedules"

    oruk_id: Mapped[str] = mapped_column(String(200), unique=True)
    service_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("dir_services.id"), default=None, index=True
    )
    service_at_location_id: Mapped[str | None] = mapped_column(Text, default=None)  # ORUK id
    valid_from: Mapped[str | None] = mapped_column(String(10), default=None)
    valid_to: Mapped[str | None] = mapped_column(String(10), default=None)
    dtstart: Mapped[str | None] = mapped_column(String(10), default=None)
    freq: Mapped[str | None] = mapped_column(String(10), default=None)
    interval: Mapped[float | None] = mapped_column(Float, default=None)
    byday: Mapped[str | None] = mapped_column(String(60), default=None)
    bymonthday: Mapped[str | None] = mapped_column(String(120), default=None)
    description: Mapped[str | None] = mapped_column(Text, default=None)
    opens_at: Mapped[str | None] = mapped_column(String(8), default=None)
    closes_at: Mapped[str | None] = mapped_column(String(8), default=None)
    schedule_link: Mapped[str | None] = mapped_column(Text, default=None)
    attending_type: Mapped[str | None] = mapped_column(Text, default=None)
    notes: Mapped[str | None] = mapped_column(Text, default=None)


class DirServiceArea(SyncedMixin, Base):
    __tablename__ = "dir_service_areas"

    oruk_id: Mapped[str] = mapped_column(String(200), unique=True)
    service_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("dir_services.id"), default=None, index=True
    )
    name: Mapped[str | None] = mapped_column(Text, default=None)
    extent: Mapped[str | None] = mapped_column(Text, default=None)
    extent_type: Mapped[str | None] = mapped_column(Text, default=None)
    uri: Mapped[str | None] = mapped_column(Text, default=None)
    service_area: Mapped[str | None] = mapped_column(Text, default=None)


class DirLanguage(SyncedMixin, Base):
    __tablename__ = "dir_languages"

    oruk_id: Mapped[str] = mapped_column(String(200), unique=True)
    service_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("dir_services.id"), default=None, index=True
    )
    phone_id: Mapped[str | None] = mapped_column(Text, default=None)  # ORUK id
    # HSDS 3.0 `name`/`code` (the UK profile leaves them out; feeds that send them keep them).
    name: Mapped[str | None] = mapped_column(Text, default=None)
    code: Mapped[str | None] = mapped_column(String(20), default=None)


class DirCostOption(SyncedMixin, Base):
    __tablename__ = "dir_cost_options"

    oruk_id: Mapped[str] = mapped_column(String(200), unique=True)
    service_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("dir_services.id"), index=True)
    valid_from: Mapped[str | None] = mapped_column(String(10), default=None)
    valid_to: Mapped[str | None] = mapped_column(String(10), default=None)
    option: Mapped[str | None] = mapped_column(Text, default=None)
    amount: Mapped[float | None] = mapped_column(Float, default=None)
    amount_description: Mapped[str | None] = mapped_column(Text, default=None)


class DirTaxonomy(SyncedMixin, Base):
    __tablename__ = "dir_taxonomies"

    oruk_id: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    uri: Mapped[str | None] = mapped_column(Text, default=None)
    # ORUK `version` (the shared `version` column is our edit counter).
    taxonomy_version: Mapped[str | None] = mapped_column(Text, default=None)


class DirTaxonomyTerm(SyncedMixin, Base):
    __tablename__ = "dir_taxonomy_terms"

    oruk_id: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[str | None] = mapped_column(Text, default=None)  # ORUK id
    taxonomy: Mapped[str | None] = mapped_column(Text, default=None)
    taxonomy_id: Mapped[str | None] = mapped_column(Text, default=None)  # ORUK id
    term_uri: Mapped[str | None] = mapped_column(Text, default=None)
    term: Mapped[str | None] = mapped_column(Text, default=None)
    # HSDS 3.0 `code` (e.g. an LGA service type number) and the vocabulary it belongs to
    # (HSDS 3.0 `taxonomy` text or ORUK 1.0 `vocabulary`).
    code: Mapped[str | None] = mapped_column(Text, default=None)
    vocabulary: Mapped[str | None] = mapped_column(Text, default=None)


class DirAttribute(SyncedMixin, Base):
    """Links a taxonomy term to a record (here: to services, `link_id` = the service's ORUK id)."""

    __tablename__ = "dir_attributes"

    oruk_id: Mapped[str] = mapped_column(String(200), unique=True)
    link_id: Mapped[str] = mapped_column(String(200), index=True)
    service_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("dir_services.id"), default=None, index=True
    )
    taxonomy_term_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("dir_taxonomy_terms.id"), index=True
    )
    link_type: Mapped[str | None] = mapped_column(Text, default=None)


# The full-text index (since 0200 it indexes `description_text`, the clean text, so that tags
# and entities such as "nbsp" never match): its own copy of the text (not external content,
# whose rowids a VACUUM may renumber), keyed by `dir_services.search_key`, kept in step by
# triggers.
_FTS = "dir_services_fts"
# Only services on offer are indexed, so an unfiltered search is the bare FTS5 query plus a
# join of the page of results (withdrawn or deleted services drop out of the index).
_LISTED = "WHERE new.withdrawn_at IS NULL AND new.deleted_at IS NULL"
EXTRA_DDL: list[tuple[str, str]] = [
    (
        f"CREATE VIRTUAL TABLE {_FTS} USING fts5(name, description, terms, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
        f"DROP TABLE IF EXISTS {_FTS}",
    ),
    (
        f"CREATE TRIGGER dir_services_fts_ai AFTER INSERT ON dir_services BEGIN "
        f"INSERT INTO {_FTS}(rowid, name, description, terms) SELECT "
        "new.search_key, new.name, new.description_text, new.search_terms "
        f"{_LISTED}; END",
        "DROP TRIGGER IF EXISTS dir_services_fts_ai",
    ),
    (
        "CREATE TRIGGER dir_services_fts_au AFTER UPDATE OF name, description_text, search_terms, "
        f"search_key, withdrawn_at, deleted_at ON dir_services BEGIN "
        f"DELETE FROM {_FTS} WHERE rowid = old.search_key; "
        f"INSERT INTO {_FTS}(rowid, name, description, terms) SELECT "
        "new.search_key, new.name, new.description_text, new.search_terms "
        f"{_LISTED}; END",
        "DROP TRIGGER IF EXISTS dir_services_fts_au",
    ),
    (
        "CREATE TRIGGER dir_services_fts_ad AFTER DELETE ON dir_services BEGIN "
        f"DELETE FROM {_FTS} WHERE rowid = old.search_key; END",
        "DROP TRIGGER IF EXISTS dir_services_fts_ad",
    ),
]
