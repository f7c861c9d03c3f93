"""Changing the app's settings: validated, permission-checked and audited, like any other
change. The settings pages call these (through `ui/operations.py`) instead of writing the
settings dictionary; each returns a `Changed` naming `Entity.SETTINGS`.

What is audited: every change here appends an audit event naming the setting and its new
value (never personal data: these are numbers, folder paths and the service's own details).
Retention and security settings matter most — a shorter retention period makes records
eligible for erasure sooner, a longer idle lock leaves records open on an unattended screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wellbeing_desktop.services import audit
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import Changed, Entity, FieldProblem, ValidationError
from wellbeing_desktop.services.permissions import allowed, require

MIN_RETENTION_YEARS, MAX_RETENTION_YEARS = 1, 100
MIN_IDLE_MINUTES, MAX_IDLE_MINUTES = 1, 120
DEFAULT_IDLE_MINUTES = 10
MAX_TEXT = 120


@dataclass(frozen=True)
class ServiceDetails:
    name: str
    phone: str


@dataclass(frozen=True)
class SecurityOptions:
    idle_lock_minutes: float
    backup_folder: str
    retention_years: int


@dataclass(frozen=True)
class ContactEntry:
    name: str
    phone: str


@dataclass(frozen=True)
class PackOptions:
    crisis_contacts: tuple[ContactEntry, ...]
    default_variant: str
    content_dir: str


# ---- reading ------------------------------------------------------------------------------

def service_details(ctx: AppContext) -> ServiceDetails:
    return ServiceDetails(str(ctx.settings.get("service_name") or ""),
                          str(ctx.settings.get("service_phone") or ""))


def security_options(ctx: AppContext) -> SecurityOptions:
    from wellbeing_desktop.services.privacy import DEFAULT_RETENTION_YEARS

    section = ctx.settings.section("security")
    return SecurityOptions(float(section.get("idle_lock_minutes") or DEFAULT_IDLE_MINUTES),
                           str(section.get("backup_folder") or ""),
                           int(section.get("retention_years") or DEFAULT_RETENTION_YEARS))


def pack_options(ctx: AppContext) -> PackOptions:
    section = ctx.settings.section("packs")
    contacts = tuple(ContactEntry(str(c.get("name", "")), str(c.get("phone", "")))
                     for c in section.get("crisis_contacts") or [] if isinstance(c, dict))
    return PackOptions(contacts, str(section.get("default_variant") or "standard"),
                       str(section.get("content_dir") or ""))


# ---- changing -----------------------------------------------------------------------------

def set_service_details(ctx: AppContext, name: str, phone: str) -> Changed:
    require(ctx.actor, "settings.edit")
    name, phone = name.strip(), phone.strip()
    problems = []
    if not name:
        problems.append(FieldProblem("service_name", "Enter the service's name."))
    elif len(name) > MAX_TEXT:
        problems.append(FieldProblem("service_name", f"Use at most {MAX_TEXT} characters."))
    if phone and not all(ch.isdigit() or ch in " +()-" for ch in phone):
        problems.append(FieldProblem("service_phone",
                                     "Use digits, spaces and + ( ) - only in a phone number."))
    if problems:
        raise ValidationError(problems)
    return _apply(ctx, {("", "service_name"): name, ("", "service_phone"): phone})


def set_idle_lock(ctx: AppContext, minutes: float) -> Changed:
    """Anyone may make the lock come sooner; only a supervisor may make it later."""
    if not MIN_IDLE_MINUTES <= minutes <= MAX_IDLE_MINUTES:
        raise ValidationError([FieldProblem(
            "idle_lock_minutes",
            f"Choose between {MIN_IDLE_MINUTES} and {MAX_IDLE_MINUTES} minutes.")])
    if minutes > security_options(ctx).idle_lock_minutes:
        require(ctx.actor, "settings.edit")
    return _apply(ctx, {("security", "idle_lock_minutes"): minutes})


def set_backup_folder(ctx: AppContext, folder: str) -> Changed:
    """The second copy of each backup (e.g. an encrypted USB drive). A folder that is not
    there now is accepted (the drive may be unplugged); a file is not."""
    require(ctx.actor, "settings.edit")
    folder = folder.strip()
    if folder and Path(folder).expanduser().is_file():
        raise ValidationError([FieldProblem("backup_folder", "That is a file, not a folder.")])
    return _apply(ctx, {("security", "backup_folder"): folder})


def set_retention_years(ctx: AppContext, years: int) -> Changed:
    require(ctx.actor, "settings.edit")
    if not MIN_RETENTION_YEARS <= int(years) <= MAX_RETENTION_YEARS:
        raise ValidationError([FieldProblem(
            "retention_years",
            f"Choose between {MIN_RETENTION_YEARS} and {MAX_RETENTION_YEARS} years.")])
    return _apply(ctx, {("security", "retention_years"): int(years)})


def set_pack_options(ctx: AppContext, contacts: list[ContactEntry], default_variant: str,
                     content_dir: str) -> Changed:
    from wellbeing_desktop.packs.snapshot import VARIANTS

    require(ctx.actor, "settings.edit")
    problems = []
    missing = [c.name.strip() or "(no name)" for c in contacts
               if not (c.name.strip() and c.phone.strip())]
    if missing:
        problems.append(FieldProblem(
            "crisis_contacts",
            "Each contact needs who it is and a phone number: " + ", ".join(missing) + "."))
    if default_variant not in VARIANTS:
        problems.append(FieldProblem("default_variant", f"Unknown format {default_variant!r}."))
    content_dir = content_dir.strip()
    current = pack_options(ctx)
    if content_dir != current.content_dir:
        require(ctx.actor, "packs.edit_content")
        if content_dir and not Path(content_dir).expanduser().is_dir():
            problems.append(FieldProblem("content_dir", "That folder is not there."))
    if problems:
        raise ValidationError(problems)
    rows = [{"name": c.name.strip(), "phone": c.phone.strip()} for c in contacts]
    return _apply(ctx, {("packs", "crisis_contacts"): rows,
                        ("packs", "default_variant"): default_variant,
                        ("packs", "content_dir"): content_dir})


def may_edit(ctx: AppContext) -> bool:
    return allowed(ctx.actor, "settings.edit")


def _shown(value: object) -> str:
    if isinstance(value, list):
        return f"{len(value)} entries"
    return repr(value)[:80]


def _apply(ctx: AppContext, values: dict[tuple[str, str], object]) -> Changed:
    """Write the audit events first (one unit of work), then the settings file: a change
    that cannot be audited is not made."""
    before = {key: (ctx.settings.section(key[0]) if key[0] else ctx.settings.data).get(key[1])
              for key in values}
    changed = {key: value for key, value in values.items() if before[key] != value}
    if not changed:
        return Changed.of(Entity.SETTINGS)
    with ctx.store.session() as s:
        for (section, name), value in changed.items():
            audit.record(s, ctx.actor, "settings.change", entity="settings",
                         entity_id=f"{section}.{name}" if section else name,
                         detail=f"{_shown(before[(section, name)])} -> {_shown(value)}")
    for (section, name), value in changed.items():
        (ctx.settings.section(section) if section else ctx.settings.data)[name] = value
    ctx.settings.save()
    return Changed.of(Entity.SETTINGS)
