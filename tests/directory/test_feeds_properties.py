"""Properties of feeds as sources: any sequence of imports leaves the store valid and never
withdraws a service another live feed lists."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import council_feeds as cf
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from wellbeing_desktop.services import directory, feeds, setup
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import ValidationError

COUNCILS = ("kingsmere", "eastvale")
POOL = 8  # services per council the steps choose from

# One step: which council, which of its services it lists, whether one is broken (skipped),
# whether the page says it is complete, and whether it also lists a service of the other.
step = st.tuples(
    st.sampled_from(COUNCILS),
    st.sets(st.integers(0, POOL - 1), max_size=POOL),
    st.one_of(st.none(), st.integers(0, POOL - 1)),
    st.booleans(),
    st.booleans(),
)


def _page(council: str, listed: set[int], broken: int | None, full: bool,
          borrow: bool) -> dict[str, Any]:
    contents = [cf.oruk3_service(council, n, None) for n in sorted(listed)]  # type: ignore[arg-type]
    for doc in contents:
        if broken is not None and doc["id"] == cf.service_id(council, broken):
            doc["status"] = "unknown"
    if borrow:
        other = COUNCILS[1 - COUNCILS.index(council)]
        contents.append(cf.oruk3_service(other, 0, None))  # type: ignore[arg-type]
    return {"total_pages": 1 if full else 3, "page_number": 1, "contents": contents}


def _invariants(ctx: Any) -> None:
    with ctx.store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        on_offer = conn.execute(text(
            "SELECT count(*) FROM dir_services WHERE withdrawn_at IS NULL "
            "AND deleted_at IS NULL")).scalar()
        assert conn.execute(text("SELECT count(*) FROM dir_services_fts")).scalar() == on_offer
        # A service a live feed lists is on offer; a withdrawn one no live feed lists.
        wrong = conn.execute(text(
            "SELECT s.oruk_id FROM dir_services s JOIN dir_service_sources src "
            "ON src.service_id = s.id JOIN dir_feeds f ON f.id = src.feed_id "
            "WHERE src.withdrawn_at IS NULL AND f.removed_at IS NULL "
            "AND s.withdrawn_at IS NOT NULL")).all()
        assert wrong == []
        orphans = conn.execute(text(
            "SELECT count(*) FROM dir_services s WHERE s.withdrawn_at IS NULL AND NOT EXISTS "
            "(SELECT 1 FROM dir_service_sources src JOIN dir_feeds f ON f.id = src.feed_id "
            "WHERE src.service_id = s.id AND src.withdrawn_at IS NULL "
            "AND f.removed_at IS NULL)")).scalar()
        assert orphans == 0
        assert conn.execute(text("SELECT count(*) FROM dir_services "
                                 "WHERE deleted_at IS NOT NULL")).scalar() == 0


# Each example builds a store through the migrations: few examples, and no shrinking (a
# failure prints its steps as drawn; shrinking them took minutes).
@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=5), remove=st.booleans())
def test_any_imports_keep_the_store_valid_and_other_feeds_untouched(
        steps: list[Any], remove: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ctx = AppContext.open(root / "data")
        try:
            setup.complete_first_run(ctx, setup.SetupInput("T", "Sam Okoye", phone="01632 960100"))
            for i, (council, listed, broken, full, borrow) in enumerate(steps):
                before = _live_by_feed(ctx)
                path = root / f"{council}.json"
                path.write_text(json.dumps(_page(council, listed, broken, full, borrow)),
                                encoding="utf-8")
                try:
                    result = directory.import_feed(ctx, path, skip_invalid=True)
                except ValidationError:
                    continue  # nothing valid left to import: refused whole, nothing changed
                withdrawn = {x[0] for x in result.withdrawn}
                others = {s for f, ids in before.items() if f != council for s in ids}
                assert not withdrawn & others, f"step {i} withdrew another feed's service"
                if broken is not None and broken in listed:  # skipped, still listed
                    assert cf.service_id(council, broken) not in withdrawn
                _invariants(ctx)
            if remove and _live_by_feed(ctx):
                name = sorted(_live_by_feed(ctx))[0]
                before = _live_by_feed(ctx)
                gone = {x[0] for x in feeds.remove_feed(ctx, name).withdrawn}
                assert not gone & {s for f, ids in before.items() if f != name for s in ids}
                _invariants(ctx)
        finally:
            ctx.close()


def _live_by_feed(ctx: Any) -> dict[str, set[str]]:
    with ctx.store.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT f.name, s.oruk_id FROM dir_service_sources src JOIN dir_feeds f "
            "ON f.id = src.feed_id JOIN dir_services s ON s.id = src.service_id "
            "WHERE src.withdrawn_at IS NULL AND f.removed_at IS NULL")).all()
    out: dict[str, set[str]] = {}
    for name, sid in rows:
        out.setdefault(name, set()).add(sid)
    return out


# Where real feeds leave ids out of nested records (Bristol's Open Place feed: a contact's
# phones). `None` strips the nested list's ids under the service itself.
STRIPPABLE = ("schedules", "contacts", "phones", "service_at_locations", "service_areas",
              "languages", "attributes")


def _strip(doc: dict[str, Any], kinds: frozenset[str], extra_phone: bool) -> dict[str, Any]:
    for key in kinds - {"phones"}:
        for child in doc.get(key) or []:
            child.pop("id", None)
    for contact in doc.get("contacts") or []:
        if extra_phone:
            contact["phones"].append({"number": "0117 332 7111"})
        if "phones" in kinds:
            for phone in contact["phones"]:
                phone.pop("id", None)
    return doc


@settings(max_examples=10, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(plan=st.lists(st.tuples(st.frozensets(st.sampled_from(STRIPPABLE)), st.booleans()),
                     min_size=1, max_size=6))
def test_nested_records_without_ids_import_the_same_way_every_time(
        plan: list[tuple[frozenset[str], bool]]) -> None:
    """Whatever nested records lack ids, the feed imports, a re-import finds every record it
    made (nothing added, changed or doubled), and the store stays valid."""
    docs = [_strip(cf.oruk3_service("kingsmere", n, None), kinds, extra)  # type: ignore[arg-type]
            for n, (kinds, extra) in enumerate(plan)]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ctx = AppContext.open(root / "data")
        try:
            setup.complete_first_run(ctx, setup.SetupInput("T", "Sam Okoye", phone="01632 960100"))
            path = root / "kingsmere.json"
            path.write_text(json.dumps({"total_pages": 1, "contents": docs}), encoding="utf-8")
            first = directory.import_feed(ctx, path)
            assert len(first.added) == len(docs)
            counts = _child_counts(ctx)
            again = directory.import_feed(ctx, path)
            assert again.added == () and again.updated == () and again.withdrawn == ()
            assert _child_counts(ctx) == counts
            _invariants(ctx)
        finally:
            ctx.close()


def _child_counts(ctx: Any) -> dict[str, int]:
    tables = ("dir_phones", "dir_contacts", "dir_schedules", "dir_service_areas",
              "dir_languages", "dir_attributes", "dir_service_at_locations")
    with ctx.store.engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t} WHERE deleted_at IS NULL"))
                .scalar() or 0 for t in tables}
