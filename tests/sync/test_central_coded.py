"""Coded person-level data and unmet needs: asked in the record, validated against the code
lists, and carried in the bundle to the central records (SQLite and the real PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from enrolment_helpers import merge_enrolled
from sync_helpers import Keys, central_rows

from wellbeing_desktop.domain import coded
from wellbeing_desktop.services import clients, sync, unmet_needs
from wellbeing_desktop.services.errors import ValidationError


def _person(**coded_values: str) -> clients.ClientInput:
    return clients.ClientInput(given_name="Amira", family_name="Haddad", language="ar",
                               interpreter_needed=True, consent_central_records=True,
                               **coded_values)


def test_every_list_cites_its_source_and_has_a_declined_code() -> None:
    for name in coded.FIELDS:
        cl = coded.code_list(name)
        assert cl.source.strip(), name
        assert cl.declined in dict(cl.codes), name
    # names, never bare codes
    assert coded.language_name("ar") == "Arabic"
    assert coded.code_list("ethnic_category").label_of("N") == "Black or Black British - African"
    assert coded.code_list("gender_identity").label_of("") == "Not asked"


def test_codes_are_checked_and_several_answers_kept_in_list_order(make_device: Any) -> None:
    ctx = make_device("a")
    saved = clients.create_client(ctx, _person(
        gender_identity="3", ethnic_category="N", employment_status="02",
        disability="09,02,02", long_term_conditions="", carer_status="young_carer",
        ais_needs="longer_appointment,format_easy_read"))
    got = clients.get_client(ctx, saved.id)
    assert (got.gender_identity, got.ethnic_category, got.employment_status) == ("3", "N", "02")
    assert got.disability == "02,09"
    assert got.ais_needs == "format_easy_read,longer_appointment"
    assert got.long_term_conditions == ""  # not asked

    with pytest.raises(ValidationError) as bad:
        clients.update_client(ctx, saved.id, _person(ethnic_category="Q", disability="ZZ,02"))
    fields = {p.field: p.message for p in bad.value.problems}
    assert "Q is not a code" in fields["ethnic_category"]
    assert "prefer not to say" in fields["disability"]
    assert clients.get_client(ctx, saved.id).ethnic_category == "N"  # unchanged


def test_unmet_need_is_recorded_and_checked(make_device: Any) -> None:
    ctx = make_device("a")
    cid = clients.create_client(ctx, _person()).id
    unmet_needs.record_unmet_need(ctx, cid, unmet_needs.UnmetNeedInput(
        "legal", area="KM4", note="No free immigration advice within reach"),
        today=date(2026, 11, 20))
    rows = unmet_needs.list_for_client(ctx, cid)
    assert [(r.need_label, r.area, r.recorded_on) for r in rows] == [
        ("Legal", "KM4", date(2026, 11, 20))]
    with pytest.raises(ValidationError) as bad:
        unmet_needs.record_unmet_need(ctx, cid, unmet_needs.UnmetNeedInput("nonsense"))
    assert bad.value.problems[0].field == "need"


def test_coded_data_and_unmet_needs_travel_to_the_centre(make_device: Any, keys: Keys,
                                                         central_url: str,
                                                         tmp_path: Path) -> None:
    ctx = make_device("a")
    cid = clients.create_client(ctx, _person(gender_identity="Z", ethnic_category="H",
                                             accommodation_status="HM04")).id
    unmet_needs.record_unmet_need(ctx, cid, unmet_needs.UnmetNeedInput("housing", area="KM1"))
    out = tmp_path / f"{uuid.uuid4().hex[:8]}.wbsync"
    sync.export(ctx, out, recipient=keys.public)
    [outcome] = merge_enrolled([out], central_url, keys.private)
    assert outcome.ok, outcome.error
    client = central_rows(central_url, "clients")[cid]
    assert (client["gender_identity"], client["ethnic_category"],
            client["accommodation_status"]) == ("Z", "H", "HM04")
    [need] = central_rows(central_url, "unmet_needs").values()
    assert (need["client_id"], need["need"], need["area"]) == (cid, "housing", "KM1")
