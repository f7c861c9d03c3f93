"""A real council feed: Bristol's Open Place Directory (ORUK 3.0 API), as published.

The files in `data/bristol/` are unchanged copies of what the publisher's API served (see the
folder's README for source, commit and licence). They carry what synthetic feeds miss: HTML
headings and links in descriptions, `&nbsp;`, curly quotes and dashes as JSON escapes, ages of
-1 for "no limit", a placeholder e-mail on the reserved `.invalid` domain, a contact's phones
with no ids, Placecube's own `pc_` extensions, and page 1 of 292.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import council_feeds as cf
from sqlalchemy import func, select

from wellbeing_desktop.cli import main
from wellbeing_desktop.services import directory, feeds
from wellbeing_desktop.storage.models import directory as m
from wellbeing_desktop.storage.models import feeds as fm

BRISTOL = Path(__file__).resolve().parent / "data" / "bristol"
PAGE = BRISTOL / "bristol-services-page1.json"
ONE = BRISTOL / "bristol-service-1625ip.json"
EXAMPLES = Path(__file__).resolve().parent / "data" / "oruk"
IP1625 = "2a3483ea-8966-4f50-9dc3-7bafa1e5c623"
TWO_WAY = "93657689-252d-5a77-de87-42ca43452b0e"
PICTURE = "3121dd2f-3900-4c90-b529-4c265f026d6f"


def _ids(ctx: Any) -> dict[str, Any]:
    sv = m.DirService.__table__
    with ctx.store.read() as s:
        return dict(s.execute(select(sv.c.oruk_id, sv.c.id)).all())


def _detail(ctx: Any, oruk_id: str) -> Any:
    return directory.get_service(ctx, _ids(ctx)[oruk_id])


def _sources(ctx: Any) -> set[tuple[str, str, bool]]:
    st, ft, sv = fm.DirServiceSource.__table__, fm.DirFeed.__table__, m.DirService.__table__
    with ctx.store.read() as s:
        return {(r[0], r[1], r[2] is not None) for r in s.execute(
            select(sv.c.oruk_id, ft.c.name, st.c.withdrawn_at)
            .join(st, st.c.service_id == sv.c.id).join(ft, ft.c.id == st.c.feed_id))}


def test_a_page_of_bristols_feed_imports_with_clean_text(ctx: Any) -> None:
    result = directory.import_feed(ctx, PAGE, feed="Bristol")
    assert {sid for sid, _ in result.added} == {IP1625, TWO_WAY, PICTURE}
    assert not result.full_feed and result.withdrawn == ()  # page 1 of 292 withdraws nothing

    ip = _detail(ctx, IP1625)
    # Headings and paragraphs become paragraphs; escapes resolve; no markup is left.
    assert ip.description.startswith("About Us\n\n1625 Independent People works with young")
    assert "Monday – Friday 9 – 4.30pm" in ip.description
    assert "‘drop in’" in ip.description
    assert "<" not in ip.description and "&" not in ip.description
    two_way = _detail(ctx, TWO_WAY)
    assert "therapy room open for anyone" in two_way.description  # &nbsp; is a space
    assert "Facebook (https://www.facebook.com/2waystbristol/?ref=page_internal)" in \
        two_way.description
    assert "£10 a hour for one session" in two_way.description
    # The search index holds the clean text only.
    assert directory.search(ctx, "nbsp") == [] and directory.search(ctx, "href") == []
    assert [h.name for h in directory.search(ctx, "homeless")] == ["1625 Independent People"]


def test_placeholders_in_bristols_feed_are_left_out_and_noted(ctx: Any) -> None:
    result = directory.import_feed(ctx, PAGE, feed="Bristol")
    notes = {(w["record"], w["field"], w["message"]) for w in result.warnings}
    # -1 means "no age limit" in Open Place feeds: not shown as "ages -1 to -1".
    assert (IP1625, "minimum_age", "-1 is not an age; left out") in notes
    assert all(_detail(ctx, sid).minimum_age is None and _detail(ctx, sid).maximum_age is None
               for sid in (IP1625, TWO_WAY, PICTURE))
    # An address on the reserved .invalid domain can never receive mail: not offered.
    picture = _detail(ctx, PICTURE)
    assert picture.email == "" and picture.url == "https://www.nhs.uk/"
    assert any(r == PICTURE and f == "email" and "not an e-mail address" in msg
               for r, f, msg in notes)
    assert _detail(ctx, IP1625).email == "enquiries@1625ip.co.uk"
    # No cost information at all (a price in the description is not a fee field): never free.
    assert {_detail(ctx, s).cost.state.value for s in (IP1625, TWO_WAY, PICTURE)} == \
        {"not_stated"}


def test_the_same_service_from_bristols_service_endpoint_is_one_service_two_sources(
        ctx: Any) -> None:
    directory.import_feed(ctx, PAGE, feed="Bristol")
    result = directory.import_feed(ctx, ONE, feed="Bristol 1625IP")
    assert [sid for sid, _ in result.updated] == [IP1625]
    # The contact's phones have no ids in the feed: they import, with ids made from their
    # contact's id and place, and the import says so.
    made = [w for w in result.warnings if w["table"] == "phone" and w["field"] == "id"]
    assert len(made) == 2 and all("is missing" in w["message"] for w in made)
    detail = _detail(ctx, IP1625)
    assert [p.number for p in detail.phones] == ["0800 0354213",
                                                 "Bristol Youth MAPS: 0117 332 7111"]
    assert set(detail.service_areas) == {"Bristol", "South Gloucestershire"}
    assert {(sid, feed) for sid, feed, _ in _sources(ctx) if sid == IP1625} == {
        (IP1625, "Bristol"), (IP1625, "Bristol 1625IP")}
    # Importing the same file again finds the same made ids: nothing new, nothing doubled.
    again = directory.import_feed(ctx, ONE, feed="Bristol 1625IP")
    assert again.added == () and again.updated == ()
    with ctx.store.read() as s:
        assert s.scalar(select(func.count()).select_from(m.DirPhone.__table__)) == 2


def test_two_publishers_one_after_the_other_keep_both(ctx: Any, tmp_path: Path) -> None:
    directory.import_feed(ctx, PAGE, feed="Bristol")
    directory.import_feed(ctx, EXAMPLES / "service_list.json", feed="ORUK example")
    km = tmp_path / "kingsmere.json"
    km.write_text(json.dumps(cf.oruk3_page("kingsmere", 12)), encoding="utf-8")
    third = directory.import_feed(ctx, km)  # a complete feed: withdraws only its own
    assert third.full_feed and third.withdrawn == ()
    live = {sid for sid, _, withdrawn in _sources(ctx) if not withdrawn}
    assert {IP1625, TWO_WAY, PICTURE} <= live
    assert {f.name for f in feeds.list_feeds(ctx)} == {"Bristol", "ORUK example", "kingsmere"}
    bristol = next(q for q in feeds.quality(ctx, "Bristol"))
    # What a directory officer would chase with the Bristol publisher: no phone, no address
    # and no opening times on this page, and the placeholders noted.
    assert bristol.services == 3 and len(bristol.rows) == 3
    assert all({"no phone", "no address", "no opening times"} <= set(r.problems)
               for r in bristol.rows)
    assert any(w["field"] == "minimum_age" for w in bristol.warnings)


def test_show_prints_bristols_service_as_clean_text(capsys: Any, data_dir: Path) -> None:
    assert main(["init", "--plain"]) == 0
    assert main(["directory", "import", str(PAGE), "--feed", "Bristol"]) == 0
    capsys.readouterr()
    assert main(["directory", "show", TWO_WAY, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    text = json.dumps(shown, ensure_ascii=False)
    assert "2 Way St Bristol" in text and "&nbsp;" not in text and "<p>" not in text
    assert main(["directory", "show", TWO_WAY]) == 0
    plain = capsys.readouterr().out
    assert "Cost: Not stated" in plain and "Facebook (https://www.facebook.com/" in plain


def test_bristols_service_on_the_directory_page(
        qtbot: Any, ctx: Any, tmp_path: Path, immediate_tasks: None) -> None:
    from wellbeing_desktop.ui.pages.directory import DirectoryPage

    directory.import_feed(ctx, PAGE, feed="Bristol")
    directory.import_feed(ctx, ONE, feed="Bristol 1625IP")
    page = DirectoryPage()
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    page.attach(ctx)
    page.search.setText("homeless bristol")
    page.refresh()
    shown = page.detail.text.toPlainText()
    assert "1625 Independent People" in shown and "0800 0354213" in shown
    assert "<h1>" not in shown and "&nbsp;" not in shown and "\\u2013" not in shown
    assert "Bristol 1625IP" in shown  # both sources named
    page.grab().save(str(tmp_path / "bristol.png"))
