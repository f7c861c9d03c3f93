"""Third-party notices: what the app ships, under which licence, generated from the installed
distributions (so the list cannot drift from what `pip` actually put in the environment).

    python -m wellbeing_desktop.licences            # rewrite resources/licences/THIRD-PARTY-NOTICES.md
    python -m wellbeing_desktop.licences --texts DIR  # copy every licence file into DIR (installer)
    python -m wellbeing_desktop.licences --sbom FILE  # CycloneDX 1.5 JSON of the runtime closure

Imports nothing heavy: the About box reads the generated file, not the metadata.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from wellbeing_desktop import APP_NAME
from wellbeing_desktop.resources import resource

DIST_NAME = "wellbeing-desktop"
NOTICES = "THIRD-PARTY-NOTICES.md"

# What a bare metadata line cannot say: binaries bundled inside wheels, and how the LGPL's
# conditions are met. Checked by hand against each wheel's contents; keep beside the code.
BUNDLED_NOTES: dict[str, str] = {
    "pyside6-essentials": (
        "Qt for Python and the Qt libraries inside the wheel are used under the **GNU LGPL "
        "version 3**. The installer ships them as separate shared libraries (PyInstaller "
        "*onedir*), unmodified, so you may replace them with your own build of the same Qt "
        "version. Qt's source: https://download.qt.io/official_releases/qt/ and "
        "https://code.qt.io/cgit/pyside/pyside-setup.git/ ."
    ),
    "shiboken6": "Part of Qt for Python; LGPL-3.0 as above.",
    "sqlcipher3": (
        "The wheel statically links **SQLCipher** (BSD-3-Clause, Zetetic LLC) and **OpenSSL 3** "
        "(Apache-2.0, The OpenSSL Project) for the encrypted database. The Python binding "
        "itself is under the zlib-style licence of pysqlite (Gerhard Häring)."
    ),
    "pypdfium2": (
        "Includes a build of **PDFium** (BSD-3-Clause and Apache-2.0, with the third-party "
        "licences listed in the wheel's `BUILD_LICENSES`)."
    ),
    "cryptography": "Wheels include OpenSSL 3 (Apache-2.0).",
    "reportlab": "Ships the Bitstream Vera and DarkGarden fonts with their own licences.",
    "uharfbuzz": "Includes HarfBuzz (Old MIT licence).",
    "python-bidi": (
        "Used under the **GNU LGPL version 3**: its compiled module (which includes the "
        "Rust `unicode-bidi` crate, MIT/Apache-2.0) ships unmodified as its own file in the "
        "installer, so you may replace it with your own build of the same version. Source: "
        "https://github.com/MeirKriheli/python-bidi ."),
    "svglib": (
        "Used under the **GNU LGPL version 3**, unmodified, as separate Python files you may "
        "replace. Source: https://github.com/deeplook/svglib ."),
}

# Where a distribution's metadata names no licence, what its licence file says (read by hand).
LICENCE_OVERRIDES: dict[str, str] = {
    "sqlcipher3": "Zlib",
}

CONTENT = [
    ("Open Referral UK profile of HSDS 3.0 (`resources/oruk/`)",
     "CC BY-SA 4.0 — \"Human Services Data Specification: an Open Referral resource "
     "(https://openreferral.org/)\""),
    ("OpenMoji pictures in easy read documents (`resources/pictures/`)",
     "CC BY-SA 4.0 — \"All emojis designed by OpenMoji – the open-source emoji and icon "
     "project (https://openmoji.org/)\"; printed on every easy read document"),
    ("Measure definitions (`resources/measures/`)",
     "See `resources/measures/LICENCES.md` for each instrument's terms"),
]


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str
    home: str
    licence_files: tuple[str, ...]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _licence_of(meta: metadata.PackageMetadata) -> str:
    expression = meta["License-Expression"] if "License-Expression" in meta else None  # noqa: SIM401
    if expression:
        return str(expression)
    text = (meta["License"] if "License" in meta else "").strip()  # noqa: SIM401
    if text and len(text) <= 80 and "\n" not in text:
        return text
    classifiers = [c.rsplit("::", 1)[-1].strip() for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::")]
    if classifiers:
        return " / ".join(classifiers)
    return "see the licence file"


def _home(meta: metadata.PackageMetadata) -> str:
    if "Home-page" in meta and meta["Home-page"]:  # noqa: RUF019
        return str(meta["Home-page"])
    urls: dict[str, str] = {}
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        urls[label.strip().lower()] = url.strip()
    for label in ("homepage", "home", "source", "source code", "repository", "documentation"):
        if label in urls:
            return urls[label]
    return next(iter(urls.values()), "")


def _requirement_name(spec: str) -> tuple[str, str]:
    name = re.split(r"[\s;<>=!~\[(]", spec, maxsplit=1)[0]
    marker = spec.split(";", 1)[1].strip() if ";" in spec else ""
    return name, marker


def _marker_applies(marker: str) -> bool:
    if not marker:
        return True
    if "extra ==" in marker:
        return False
    # Only python_version markers occur in our tree; evaluate them without `packaging`.
    match = re.fullmatch(r"python_version\s*(<=|>=|<|>|==|!=)\s*['\"]([\d.]+)['\"]", marker)
    if not match:
        return True
    here = sys.version_info[:2]
    there = tuple(int(p) for p in match.group(2).split("."))[:2]
    op = match.group(1)
    return {"<": here < there, "<=": here <= there, ">": here > there, ">=": here >= there,
            "==": here == there, "!=": here != there}[op]


def runtime_closure(root: str = DIST_NAME) -> list[Component]:
    """Every distribution the app needs at run time (its requirements, recursively; extras
    and test/dev tools excluded), as installed here."""
    seen: dict[str, Component] = {}
    todo = [root]
    while todo:
        name = todo.pop()
        key = _canonical(name)
        if key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        meta = dist.metadata
        files = tuple(sorted(str(f) for f in dist.files or ()
                             if re.search(r"LICEN[CS]E|COPYING|NOTICE", str(f).upper())))
        licence = LICENCE_OVERRIDES.get(key) or _licence_of(meta)
        seen[key] = Component(meta["Name"], meta["Version"], licence, _home(meta), files)
        for spec in dist.requires or []:
            dep, marker = _requirement_name(spec)
            if _marker_applies(marker):
                todo.append(dep)
    seen.pop(_canonical(root), None)
    return sorted(seen.values(), key=lambda c: c.name.lower())


def _fonts() -> list[tuple[str, str]]:
    readme = resource("fonts") / "README.md"
    rows: list[tuple[str, str]] = []
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and ".ttf" in cells[0]:
            rows.append((cells[0], cells[3]))
    return rows


def render(components: list[Component]) -> str:
    lines = [
        f"# Third-party notices for {APP_NAME}",
        "",
        f"{APP_NAME} itself is under the MIT licence (`LICENSE`). It is built on the components",
        "below, each under its own licence. This file is generated from the installed",
        "distributions by `python -m wellbeing_desktop.licences`; the installer also copies every",
        "component's licence files into its `licences/` folder.",
        "",
        "## Python packages and the libraries inside them",
        "",
        "| component | licence | project |",
        "|---|---|---|",
    ]
    for c in components:
        lines.append(f"| {c.name} | {c.licence} | {c.home} |")
    lines += ["", "### Bundled binaries and how their terms are met", ""]
    by_key = {_canonical(c.name): c for c in components}
    for key, note in BUNDLED_NOTES.items():
        if key in by_key:
            lines.append(f"- **{by_key[key].name}**: {note}")
    lines += ["", "## Fonts (`resources/fonts/`)", "", "| files | licence |", "|---|---|"]
    lines += [f"| {files} | {licence} |" for files, licence in _fonts()]
    lines += ["", "## Data and content", "", "| content | licence |", "|---|---|"]
    lines += [f"| {what} | {licence} |" for what, licence in CONTENT]
    return "\n".join(lines) + "\n"


def notices_path() -> Path:
    return resource("licences") / NOTICES


def copy_licence_texts(target: Path, components: list[Component]) -> int:
    """Copy each component's licence files into `target/<name>/` (for the installer)."""
    copied = 0
    for c in components:
        dist = metadata.distribution(c.name)
        for rel in c.licence_files:
            src = Path(str(dist.locate_file(rel)))
            if src.is_file():
                dest = target / c.name / Path(rel).name
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dest)
                copied += 1
    return copied


def _purl(c: Component) -> str:
    return f"pkg:pypi/{_canonical(c.name)}@{c.version}"


def sbom(components: list[Component], *, serial: str | None = None) -> dict[str, object]:
    """A CycloneDX 1.5 software bill of materials of what the installer ships (the runtime
    closure only: test and build tools are not shipped, so they are not listed)."""
    import datetime
    import uuid

    from wellbeing_desktop import __version__

    def licence(c: Component) -> list[dict[str, object]]:
        spdx_like = re.fullmatch(r"[A-Za-z0-9.+\- ()]+", c.licence) and (
            " OR " in c.licence or " AND " in c.licence or " " not in c.licence)
        if spdx_like:
            return [{"expression": c.licence}]
        return [{"license": {"name": c.licence}}]

    app = {"type": "application", "bom-ref": _purl(Component(DIST_NAME, __version__, "MIT", "", ())),
           "name": DIST_NAME, "version": __version__, "licenses": [{"expression": "MIT"}],
           "purl": f"pkg:pypi/{DIST_NAME}@{__version__}"}
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": serial or f"urn:uuid:{uuid.uuid4()}",
        "version": 1,
        "metadata": {
            "timestamp": datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat(),
            "component": app,
        },
        "components": [
            {"type": "library", "bom-ref": _purl(c), "name": c.name, "version": c.version,
             "purl": _purl(c), "licenses": licence(c),
             **({"externalReferences": [{"type": "website", "url": c.home}]} if c.home else {})}
            for c in components
        ],
        "dependencies": [{"ref": app["bom-ref"], "dependsOn": [_purl(c) for c in components]}],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wellbeing_desktop.licences")
    parser.add_argument("--texts", help="also copy every licence file into this folder")
    parser.add_argument("--sbom", help="also write a CycloneDX JSON SBOM to this file")
    args = parser.parse_args(argv)
    components = runtime_closure()
    path = notices_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(components), encoding="utf-8")
    print(f"wrote {path} ({len(components)} components)", file=sys.stderr)
    if args.texts:
        n = copy_licence_texts(Path(args.texts), components)
        print(f"copied {n} licence files into {args.texts}", file=sys.stderr)
    if args.sbom:
        import json

        Path(args.sbom).write_text(json.dumps(sbom(components), indent=2), encoding="utf-8")
        print(f"wrote {args.sbom}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
