"""The API's description of itself (`api_details`), written beside every export, made from the
profile the importer validates against (never hand-written)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from wellbeing_desktop.cli import main
from wellbeing_desktop.oruk import formats, metadata
from wellbeing_desktop.resources import resource
from wellbeing_desktop.services import directory
from wellbeing_desktop.services.errors import ValidationError

EXAMPLES = Path(__file__).resolve().parent / "data" / "oruk"


def test_the_description_follows_the_profile_it_was_made_from() -> None:
    details = metadata.api_details()
    assert tuple(details) == ("version", "profile", "openapi_url")  # api_details' required
    package = orjson.loads(resource("oruk", "datapackage.json").read_bytes())
    # "HSDS 3.0" for the profile's datapackage 3.0.0: the version every import is checked
    # against, so a new profile changes the description with it.
    assert package["version"].startswith(details["version"].removeprefix("HSDS ") + ".")
    for key in ("profile", "openapi_url"):  # format: uri, as the schema says
        assert formats.web_address(details[key]) == (details[key], False)


def test_the_export_writes_it_beside_the_page_and_it_is_never_read_as_services(
        demo_ctx: Any, content: Any, tmp_path: Path) -> None:
    page = tmp_path / "kingsmere-directory.json"
    count = directory.export_directory(demo_ctx, page)
    about = tmp_path / "kingsmere-directory.api_metadata.json"
    assert directory.api_metadata_path(page) == about
    assert json.loads(about.read_text(encoding="utf-8")) == metadata.api_details()
    assert json.loads(page.read_text(encoding="utf-8"))["total_items"] == count
    # Given to the importer by mistake, it is named for what it is and changes nothing.
    before = content(demo_ctx)
    with pytest.raises(ValidationError, match="this is the API's description of itself"):
        directory.import_feed(demo_ctx, about)
    assert content(demo_ctx) == before


def test_cli_export_names_both_files(capsys: Any, data_dir: Path, tmp_path: Path) -> None:
    assert main(["init", "--plain"]) == 0
    assert main(["directory", "import", str(EXAMPLES / "service_list.json")]) == 0
    capsys.readouterr()
    target = tmp_path / "out.json"
    assert main(["directory", "export", str(target), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["api_metadata"] == str(tmp_path / "out.api_metadata.json")
    assert json.loads(Path(shown["api_metadata"]).read_text())["version"] == "HSDS 3.0"
