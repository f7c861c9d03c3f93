"""Referral intake from referrers' real-shaped spreadsheets: messy values read, bad rows named
by the spreadsheet's row number and column, all or nothing, duplicates offered for matching,
mappings remembered per source, hostile files refused with bounded reading."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from wellbeing_desktop.domain.sheet_values import CellProblem, read_date, split_full_name
from wellbeing_desktop.services import clients, referral_import, referrals
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.storage.models import Client, Referral

DATA = Path(__file__).parent / "data"
TODAY = date(2026, 12, 4)


@pytest.mark.parametrize("raw,expected", [
    ("03/11/1985", date(1985, 11, 3)), ("3-11-85", date(1985, 11, 3)),
    ("1985-11-03", date(1985, 11, 3)), ("3 Nov 1985", date(1985, 11, 3)),
    ("03.11.1985", date(1985, 11, 3)), ("3rd November 1985", date(1985, 11, 3)),
    ("03-Nov-85", date(1985, 11, 3)), ("1985-11-03 00:00:00", date(1985, 11, 3)),
    (31354, date(1985, 11, 3)), ("31354", date(1985, 11, 3)), (31354.0, date(1985, 11, 3)),
    ("7-2-05", date(2005, 2, 7)), ("", None), (None, None),
])
def test_dates_in_the_shapes_referrers_type(raw: object, expected: date | None) -> None:
    assert read_date(raw, today=TODAY) == expected


@pytest.mark.parametrize("raw,words", [("11/25/1990", "US order"), ("31/02/1980", "real date"),
                                       ("next Tuesday", "not a date"), (12, "not a date")])
def test_dates_that_cannot_be_read_say_why(raw: object, words: str) -> None:
    with pytest.raises(CellProblem, match=words):
        read_date(raw, today=TODAY)


def test_names_split_and_capitals_tidied() -> None:
    assert split_full_name("OKAFOR, Grace") == ("Grace", "Okafor")
    assert split_full_name("Mrs Zoë Nowak") == ("Zoë", "Nowak")
    assert split_full_name("JEAN-PAUL SMITH-JONES") == ("Jean-Paul", "Smith-Jones")


def expected_rows() -> list[tuple[str, str, date, str, str, bool]]:
    return [("Grace", "Okafor", date(1985, 11, 3), "9990001014", "en", False),
            ("Zoë", "Nowak", date(1979, 2, 7), "9990002029", "pl", True),
            ("Amina", "Begum", date(1992, 6, 21), "9990003033", "bn", True)]


@pytest.mark.parametrize("name", ["riverside-cp1252.csv", "riverside-utf8-bom.csv",
                                  "riverside.xlsx"])
def test_messy_files_read_the_same(ctx: AppContext, name: str) -> None:
    p = referral_import.preview(ctx, DATA / name, today=TODAY)
    assert p.ok, p.problems
    assert p.header_row == 3                     # a title and a blank row above the headings
    assert p.mapping["D.O.B."] == "date_of_birth" and p.mapping["NHS No."] == "nhs_number"
    got = [(r.values["given_name"], r.values["family_name"], r.values["date_of_birth"],
            r.values["nhs_number"], r.values["language"], r.values["interpreter"])
           for r in p.rows]
    assert got == expected_rows()
    assert [r.number for r in p.rows] == [4, 5, 6]
    assert "£400" in p.rows[0].values["reason"] and "“can’t sleep”" in p.rows[0].values["reason"]
    if name.endswith("cp1252.csv"):
        assert "Windows-1252" in p.note


def count(ctx: AppContext, model: type) -> int:
    with ctx.store.read() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def test_bad_rows_are_named_and_nothing_is_imported(ctx: AppContext) -> None:
    p = referral_import.preview(ctx, DATA / "riverside-with-bad-rows.csv", today=TODAY)
    assert not p.ok
    problems = p.problems
    assert "row 8, D.O.B.: “31/02/1980” is not a real date" in problems
    assert any(x.startswith("row 8, NHS No.: “999 000 4049”") for x in problems)
    assert any(x.startswith("row 9, D.O.B.: “11/25/1990” reads as month/day") for x in problems)
    assert "row 9, Surname: the last name is empty" in problems
    assert not any(x.startswith(("row 4", "row 5", "row 6", "row 7")) for x in problems)
    before = (count(ctx, Client), count(ctx, Referral))
    with pytest.raises(ValidationError) as info:
        referral_import.commit(ctx, p)
    assert "row 8, D.O.B." in str(info.value)
    assert (count(ctx, Client), count(ctx, Referral)) == before


def test_good_import_creates_clients_and_waiting_referrals(ctx: AppContext) -> None:
    p = referral_import.preview(ctx, DATA / "riverside.xlsx", source="gp", today=TODAY)
    done = referral_import.commit(ctx, p)
    assert len(done.created) == 3 and done.referrals == 3 and not done.matched
    zoe = clients.get_client(ctx, done.created[1])
    assert (zoe.given_name, zoe.language, zoe.interpreter_needed, zoe.postcode) == (
        "Zoë", "pl", True, "KM2 7QD")
    [ref] = referrals.list_for_client(ctx, zoe.id)
    assert (ref.status, ref.source, ref.referrer, ref.received_on) == (
        "received", "gp", "Dr Patel", date(2026, 12, 1))
    assert "row 5" in ref.history[0].reason
    # One audit event per row, written in one go, and the chain still verifies.
    from wellbeing_desktop.services import audit
    from wellbeing_desktop.storage.models import AuditEvent

    with ctx.store.read() as s:
        assert audit.verify(s).ok
        events = s.execute(select(AuditEvent.client_id, AuditEvent.detail).where(
            AuditEvent.action == "client.create")).all()
    assert sorted(d for _c, d in events) == [f"imported from row {n}" for n in (4, 5, 6)]
    assert {c for c, _d in events} == {str(i) for i in done.created}


def test_possible_duplicates_are_offered_for_matching(ctx: AppContext) -> None:
    existing = clients.create_client(ctx, clients.ClientInput(
        "Grace", "Okafor", date_of_birth=date(1985, 11, 3))).id
    p = referral_import.preview(ctx, DATA / "riverside-utf8-bom.csv", today=TODAY)
    [dup] = p.duplicates
    assert dup.number == 4 and dup.matches[0].client_id == existing
    assert "similar name" in dup.matches[0].reason
    with pytest.raises(ValidationError, match="row 4: may be the same person as Grace Okafor"):
        referral_import.commit(ctx, p)
    assert count(ctx, Referral) == 0
    done = referral_import.commit(ctx, p, {4: str(existing)})
    assert done.matched == (existing,) and len(done.created) == 2
    assert len(referrals.list_for_client(ctx, existing)) == 1


def test_a_mapping_is_remembered_per_source(ctx: AppContext, tmp_path: Path) -> None:
    sheet = tmp_path / "odd.csv"
    sheet.write_text("Pt surname,Pt first,Born on,Why\nAdeyemi,Tola,4/5/1970,Loneliness\n",
                     encoding="utf-8")
    guessed = referral_import.preview(ctx, sheet, today=TODAY)
    assert not guessed.ok and any("name" in x for x in guessed.mapping_problems)
    mapping = {"Pt surname": "family_name", "Pt first": "given_name",
               "Born on": "date_of_birth", "Why": "reason"}
    confirmed = referral_import.preview(ctx, sheet, mapping=mapping, today=TODAY)
    assert confirmed.ok, confirmed.problems
    referral_import.remember_mapping(ctx, "Hill Top social prescribers", mapping, "community")
    again = tmp_path / "odd2.csv"
    again.write_text("Pt surname,Pt first,Born on,Why\nIbe,Chidi,5/6/1971,Housing\n",
                     encoding="utf-8")
    from wellbeing_desktop.services.settings import Settings

    reloaded = Settings.load(ctx.data_dir)     # saved to disk, not just in memory
    assert "Hill Top social prescribers" in reloaded.section("intake")["mappings"]
    p = referral_import.preview(ctx, again, mapping_name="Hill Top social prescribers",
                                today=TODAY)
    assert p.ok and p.rows[0].values["source"] == "community"
    assert p.rows[0].values["date_of_birth"] == date(1971, 6, 5)


# hostile files ---------------------------------------------------------------------------------

def refused(ctx: AppContext, path: Path) -> str:
    with pytest.raises(ValidationError) as info:
        referral_import.preview(ctx, path, today=TODAY)
    assert path.name in str(info.value)
    return str(info.value)


def test_hostile_files_are_refused_clearly(ctx: AppContext, tmp_path: Path) -> None:
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as fh:
        fh.truncate(64 * 1024 * 1024)          # sparse: no time or disk spent
    assert "MB" in refused(ctx, huge)
    pdf = tmp_path / "referrals.csv"
    pdf.write_bytes(b"%PDF-1.7\n" + b"x" * 100)
    assert "PDF" in refused(ctx, pdf)
    xls = tmp_path / "old.xlsx"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert ".xls" in refused(ctx, xls)
    binary = tmp_path / "noise.csv"
    binary.write_bytes(bytes(range(256)) * 40)
    assert "not a text" in refused(ctx, binary)
    notbook = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(notbook, "w") as zf:
        zf.writestr("photo.jpg", b"\xff\xd8" + b"1" * 100)
    assert "not an Excel workbook" in refused(ctx, notbook)
    (tmp_path / "empty.csv").write_bytes(b"\r\n\r\n")
    assert "empty" in refused(ctx, tmp_path / "empty.csv")


def test_zip_bomb_named_xlsx_is_refused_before_unpacking(ctx: AppContext, tmp_path: Path) -> None:
    bomb = tmp_path / "referrals.xlsx"
    chunk = b"<row>" + b"0" * (1024 * 1024)
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(150):
                member.write(chunk)
    assert bomb.stat().st_size < 1024 * 1024
    assert "zip bomb" in refused(ctx, bomb) or "unpacks" in refused(ctx, bomb)


def test_xml_entity_bomb_in_a_workbook_is_refused(ctx: AppContext, tmp_path: Path) -> None:
    book = tmp_path / "laughs.xlsx"
    lol = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
           '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
           '<workbook>&lol3;</workbook>')
    src = DATA / "riverside.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(book, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, lol if item.filename == "xl/workbook.xml" else data)
    assert "could not be read" in refused(ctx, book)
