"""The tabular shape of a feed: a folder or zip holding `datapackage.json` and its CSV files
(the profile's CSV package), read into the same flat tables as the JSON shapes."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import orjson

from wellbeing_desktop.oruk import schema
from wellbeing_desktop.oruk.reader import Feed, FeedError


def read_folder(folder: Path, max_bytes: int) -> Feed:
    package = folder / "datapackage.json"
    if not package.is_file():
        raise FeedError(f"{folder.name}: no datapackage.json in the folder (is it an Open "
                        "Referral CSV package?)")
    total = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    if total > max_bytes:
        raise FeedError(f"{folder.name}: the package holds {total // (1024 * 1024)} MB, more "
                        f"than the {max_bytes // (1024 * 1024)} MB a directory feed can be")

    def opener(name: str) -> bytes | None:
        target = folder / name
        return target.read_bytes() if target.is_file() else None

    return _read_package(folder.name, package.read_bytes(), opener)


def read_zip(path: Path, max_bytes: int) -> Feed:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise FeedError(f"{path.name}: a damaged zip file") from None
    with archive:
        infos = {Path(i.filename).name: i for i in archive.infolist() if not i.is_dir()}
        if sum(i.file_size for i in infos.values()) > max_bytes:
            raise FeedError(f"{path.name}: the package unpacks to more than "
                            f"{max_bytes // (1024 * 1024)} MB")
        if "datapackage.json" not in infos:
            raise FeedError(f"{path.name}: no datapackage.json in the zip (is it an Open "
                            "Referral CSV package?)")

        def opener(name: str) -> bytes | None:
            info = infos.get(Path(name).name)
            return archive.read(info) if info is not None else None

        try:
            return _read_package(path.name, archive.read(infos["datapackage.json"]), opener)
        except zipfile.BadZipFile:
            raise FeedError(f"{path.name}: a damaged zip file") from None


def _read_package(name: str, raw: bytes, opener: Any) -> Feed:
    try:
        package = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise FeedError(f"{name}/datapackage.json: not valid JSON ({exc.msg})") from None
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list):
        raise FeedError(f"{name}/datapackage.json: no `resources` list")
    paths: dict[str, str] = {}
    for res in resources:
        if isinstance(res, dict) and isinstance(res.get("name"), str) \
                and isinstance(res.get("path"), str):
            paths[res["name"]] = res["path"]
    if "service" not in paths:
        raise FeedError(f"{name}/datapackage.json: no `service` resource (not an Open "
                        "Referral directory)")
    feed = Feed(source=name, full=True)
    for table in schema.TABLES:
        path = paths.get(table)
        if path is None:
            continue
        content = opener(path)
        if content is None:
            if table in ("service", "organization"):
                raise FeedError(f"{name}: {path} is listed in datapackage.json but missing")
            continue
        _read_csv(feed, table, path, content)
    return feed


def _read_csv(feed: Feed, table: str, path: str, content: bytes) -> None:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise FeedError(f"{path} line {line}: not UTF-8 text") from None
    specs = schema.fields(table)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise FeedError(f"{path}: the file is empty (no header line)")
        header = [h.strip() for h in header]
        missing = [f for f, spec in specs.items() if spec.required and f not in header
                   and not (table == "address" and f == "location_id")]
        if "id" not in header:
            missing.insert(0, "id")
        if missing:
            raise FeedError(f"{path} line 1: the header has no {', '.join(sorted(set(missing)))} "
                            "column")
        for row in reader:
            line = reader.line_num
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != len(header):
                raise FeedError(f"{path} line {line}: {len(row)} values but the header has "
                                f"{len(header)} columns")
            data: dict[str, Any] = {}
            for key, value in zip(header, row, strict=True):
                if key in specs or key == "id":
                    # Kept as written: the checker tells an empty required text (a
                    # data-quality note) from an empty optional one (nothing).
                    data[key] = value
            feed.add(table, data, f"{path} line {line}")
    except csv.Error as exc:
        raise FeedError(f"{path} line {reader.line_num}: malformed CSV ({exc})") from None
