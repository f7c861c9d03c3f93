"""The NHS Talking Therapies data set extract: CSV files shaped like the data set's tables,
read from the merged central records (SQLite or PostgreSQL, Core queries only).

Which records: every referral open at some time in the period (received on or before its last
day, not discharged before its first), the patients they belong to, and the care contacts,
scored assessments, onward referrals (signposting) and needs ratings dated in the period for
those referrals' patients. Clients whose consent withdrawal is in force are left out.

Identifiers are pseudonymised with a keyed hash (HMAC-SHA256 with the central team's secret
key, first 20 hex digits), so the same person has the same pseudonym in every extract made
with the same key and nobody without the key can link them back; NHS number, exact date of
birth and full postcode are then left out (year of birth and postcode district kept). With
`identifiable=True` the record ids, NHS number, date of birth and postcode are written as held.
Field-by-field mapping and what cannot be filled: docs/central-records.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, or_, select

from wellbeing_desktop.resources import resource
from wellbeing_desktop.storage.models import Client, Referral
from wellbeing_desktop.storage.models.casework import (
    Appointment,
    Discharge,
    NeedRating,
    NeedsAssessment,
)
from wellbeing_desktop.storage.models.directory import DirService
from wellbeing_desktop.storage.models.measures import MeasureAdministration
from wellbeing_desktop.storage.models.signposting import Signposting
from wellbeing_desktop.sync.merge.restrictions import restricted_clients
from wellbeing_desktop.sync.report_queries import Period

# Each file: (name, the data set table it is shaped like, its columns).
FILES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("patient", "IDS001 master patient index", (
        "LocalPatientId", "NHSNumber", "PersonBirthDate", "PersonBirthYear", "Postcode",
        "PostcodeDistrict", "GPPracticeName", "GenderIdentityCode", "EthnicCategory",
        "LanguageCodePreferred", "InterpreterRequiredIndicator", "DisabilityCodes",
        "AccessibleInformationNeeds")),
    ("referral", "IDS101 referral", (
        "ServiceRequestId", "LocalPatientId", "ReferralRequestReceivedDate",
        "SourceOfReferralLocal", "FirstContactDate", "AssessmentDate", "ServiceDischargeDate",
        "EndCodeLocal", "ReferralStatusLocal")),
    ("care_contact", "IDS201 care contact", (
        "CareContactId", "ServiceRequestId", "LocalPatientId", "CareContactDate",
        "CareContactTime", "ClinicalContactDurationMinutes", "ConsultationMediumLocal",
        "AttendanceLocal", "GroupTherapyIndicator", "CareProfessionalId")),
    ("coded_scored_assessment", "IDS607 coded scored assessment", (
        "AssessmentId", "ServiceRequestId", "LocalPatientId", "AssessmentToolLocal",
        "CodedAssessmentToolSnomedCt", "PersonScore", "AssessmentToolCompletionDate")),
    ("onward_referral", "IDS105 onward referral", (
        "OnwardReferralId", "LocalPatientId", "OnwardReferralDate", "ReceivingServiceName",
        "ReceivingServiceOrukId", "OnwardReferralReasonLocal", "OnwardReferralKindLocal",
        "OutcomeLocal")),
    ("social_personal_circumstances", "IDS011 social and personal circumstances", (
        "LocalPatientId", "RecordedDate", "CircumstanceLocal", "NeedLevel", "ClientPriority",
        "EmploymentStatus", "AccommodationStatus", "CarerStatusLocal")),
)


@dataclass(frozen=True)
class Pseudonymiser:
    key: bytes | None  # None: identifiable

    def __call__(self, value: Any) -> str:
        if value is None:
            return ""
        text = value.hex if isinstance(value, uuid.UUID) else str(value)
        if self.key is None:
            return text
        return hmac.new(self.key, text.encode(), hashlib.sha256).hexdigest()[:20]


def _snomed_totals() -> dict[str, str]:
    with resource("coded", "snomed.json").open(encoding="utf-8") as f:
        doc = json.load(f)
    return {k: v["code"] for k, v in doc["measure_totals"].items() if v.get("code")}


def _d(value: Any) -> str:
    return value.isoformat() if value is not None else ""


def extract_rows(conn: Connection, period: Period,
                 pseudo: Pseudonymiser) -> Iterator[tuple[str, list[list[str]]]]:
    """(file name, rows) for each file, in FILES order."""
    restricted = [uuid.UUID(r.client_id) for r in restricted_clients(conn)]
    ref, cl = Referral.__table__, Client.__table__
    live_ref = [ref.c.deleted_at.is_(None), ref.c.received_on <= period.until,
                or_(ref.c.discharged_on.is_(None), ref.c.discharged_on >= period.since)]
    if restricted:
        live_ref.append(ref.c.client_id.notin_(restricted))
    in_scope = select(ref.c.client_id).where(*live_ref)
    identifiable = pseudo.key is None

    patients = []
    for c in conn.execute(select(cl).where(cl.c.id.in_(in_scope), cl.c.deleted_at.is_(None))
                          .order_by(cl.c.id)):
        dob = c.date_of_birth
        patients.append([
            pseudo(c.id), (c.nhs_number or "") if identifiable else "",
            _d(dob) if identifiable else "", str(dob.year) if dob else "",
            c.postcode if identifiable else "", c.postcode.split(" ")[0] if c.postcode else "",
            c.gp_practice, c.gender_identity if c.gender_identity in "1234XZ" else "",
            c.ethnic_category, c.language, "Y" if c.interpreter_needed else "N",
            c.disability.replace(",", ";"), c.ais_needs.replace(",", ";")])
    yield "patient", patients

    dis = Discharge.__table__
    end_code = dict(conn.execute(select(dis.c.referral_id, dis.c.reason).where(
        dis.c.deleted_at.is_(None), dis.c.referral_id.in_(select(ref.c.id).where(*live_ref))
    )).all())
    yield "referral", [[
        pseudo(r.id), pseudo(r.client_id), _d(r.received_on), r.source, _d(r.first_contact_on),
        _d(r.assessed_on), _d(r.discharged_on), end_code.get(r.id, ""), r.status]
        for r in conn.execute(select(ref).where(*live_ref).order_by(ref.c.received_on,
                                                                       ref.c.id))]

    ap = Appointment.__table__
    yield "care_contact", [[
        pseudo(a.id), pseudo(a.referral_id), pseudo(a.client_id), a.starts_at.date().isoformat(),
        a.starts_at.strftime("%H:%M"), str(a.minutes), a.mode, a.outcome,
        "Y" if a.group_session_id else "N", pseudo(a.practitioner_id)]
        for a in conn.execute(select(ap).where(
            ap.c.deleted_at.is_(None), ap.c.client_id.in_(in_scope), ap.c.outcome != "booked",
            and_(ap.c.starts_at >= period.start, ap.c.starts_at < period.end))
            .order_by(ap.c.starts_at, ap.c.id))]

    ma = MeasureAdministration.__table__
    snomed = _snomed_totals()
    yield "coded_scored_assessment", [[
        pseudo(m.id), pseudo(m.referral_id), pseudo(m.client_id), m.measure_id,
        snomed.get(m.measure_id, ""), "" if m.total is None else f"{m.total:g}",
        _d(m.taken_on)]
        for m in conn.execute(select(ma).where(
            ma.c.deleted_at.is_(None), ma.c.valid.is_(True), ma.c.client_id.in_(in_scope),
            ma.c.taken_on >= period.since, ma.c.taken_on <= period.until)
            .order_by(ma.c.taken_on, ma.c.id))]

    sp, ds = Signposting.__table__, DirService.__table__
    yield "onward_referral", [[
        pseudo(s.id), pseudo(s.client_id), _d(s.signposted_on), s.name, s.oruk_id or "",
        s.need, s.kind, s.outcome]
        for s in conn.execute(select(sp.c.id, sp.c.client_id, sp.c.signposted_on, ds.c.name,
                                     ds.c.oruk_id, sp.c.need, sp.c.kind, sp.c.outcome)
                              .join(ds, ds.c.id == sp.c.service_id).where(
            sp.c.deleted_at.is_(None), sp.c.client_id.in_(in_scope),
            sp.c.signposted_on >= period.since, sp.c.signposted_on <= period.until)
            .order_by(sp.c.signposted_on, sp.c.id))]

    na, nr = NeedsAssessment.__table__, NeedRating.__table__
    coded_of = {c.id: (c.employment_status, c.accommodation_status, c.carer_status)
                for c in conn.execute(select(cl.c.id, cl.c.employment_status,
                                             cl.c.accommodation_status, cl.c.carer_status)
                                      .where(cl.c.id.in_(in_scope)))}
    yield "social_personal_circumstances", [[
        pseudo(r.client_id), _d(r.assessed_on), r.domain, str(r.level), str(r.priority),
        *coded_of.get(r.client_id, ("", "", ""))]
        for r in conn.execute(select(nr.c.client_id, na.c.assessed_on, nr.c.domain, nr.c.level,
                                     nr.c.priority)
                              .join(na, na.c.id == nr.c.assessment_id).where(
            nr.c.deleted_at.is_(None), na.c.deleted_at.is_(None), nr.c.client_id.in_(in_scope),
            na.c.assessed_on >= period.since, na.c.assessed_on <= period.until)
            .order_by(na.c.assessed_on, nr.c.client_id, nr.c.domain))]
