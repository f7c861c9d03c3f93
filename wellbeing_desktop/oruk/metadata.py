"""The ORUK API's description of itself (its `/` endpoint, `api_details` in the UK profile's
OpenAPI): written beside each export, so a reader that expects an ORUK API finds what
profile and version the page follows.

Made, never hand-written: the HSDS version is the version of the profile's own
`datapackage.json` that every import is validated against (`resources/oruk/`), so the two
cannot disagree. The two addresses are the ones the UK profile's `api_details` schema gives
(the profile's documentation and its OpenAPI file, OpenReferralUK/uk-profile and
docs.openreferraluk.org).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from wellbeing_desktop.resources import resource
from wellbeing_desktop.storage.files import SHARED, atomic_write

PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
OPENAPI_URL = "https://docs.openreferraluk.org/en/latest/openapi30.json"
# The fields `api_details` requires, in its order.
FIELDS = ("version", "profile", "openapi_url")


def profile_version() -> str:
    """"3.0" from the profile's datapackage version "3.0.0" (HSDS names major.minor)."""
    package: dict[str, Any] = orjson.loads(resource("oruk", "datapackage.json").read_bytes())
    parts = str(package["version"]).split(".")
    return ".".join(parts[:2])


def api_details() -> dict[str, str]:
    return {"version": f"HSDS {profile_version()}", "profile": PROFILE_URL,
            "openapi_url": OPENAPI_URL}


def path_beside(export: Path) -> Path:
    """`directory.json` → `directory.api_metadata.json` (never a bare `api_metadata.json`, which
    could be another export's in the same folder)."""
    return export.with_name(f"{export.stem}.api_metadata.json")


def write_beside(export: Path) -> Path:
    target = path_beside(export)
    atomic_write(target, orjson.dumps(api_details(), option=orjson.OPT_INDENT_2), mode=SHARED)
    return target
