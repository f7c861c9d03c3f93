"""Release hygiene: declared dependencies, third-party notices, the About box, `--version`."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from wellbeing_desktop import __version__, licences
from wellbeing_desktop.resources import resource

ROOT = Path(__file__).resolve().parents[2]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _names(specs: list[str]) -> set[str]:
    return {licences._canonical(licences._requirement_name(s)[0]) for s in specs}


def _third_party_imports(folder: Path) -> set[str]:
    found: set[str] = set()
    for path in folder.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    # The tests' and benches' own helper modules (bench imports a few from tests/).
    local = {p.stem for f in ("tests", "bench") for p in (ROOT / f).rglob("*.py")}
    local |= {p.name for p in folder.rglob("*") if p.is_dir()}
    return {m for m in found
            if m not in sys.stdlib_module_names and m != "wellbeing_desktop" and m not in local}


def _distributions(modules: set[str]) -> dict[str, set[str]]:
    owners = metadata.packages_distributions()
    return {m: {licences._canonical(d) for d in owners.get(m, [])} for m in modules}


def test_every_import_of_the_app_is_a_declared_dependency() -> None:
    project = _pyproject()["project"]
    runtime = _names(project["dependencies"])
    central = _names(project["optional-dependencies"]["central"])
    for module, dists in _distributions(_third_party_imports(ROOT / "wellbeing_desktop")).items():
        assert dists, f"{module} is imported but no installed distribution provides it"
        allowed = runtime | (central if module == "psycopg" else set())
        assert dists & allowed, f"{module} ({', '.join(dists)}) is imported but not declared"


def test_every_import_of_the_tests_and_benches_is_declared() -> None:
    project = _pyproject()["project"]
    extras = project["optional-dependencies"]
    declared = _names(project["dependencies"]) | _names(extras["test"]) | _names(extras["central"])
    for folder in ("tests", "bench"):
        for module, dists in _distributions(_third_party_imports(ROOT / folder)).items():
            assert dists & declared, f"{folder} imports {module} ({dists}) but it is not declared"


def test_no_upper_bound_without_a_reason() -> None:
    """Upper bounds block every release of a dependency; only a known break justifies one."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project = _pyproject()["project"]
    specs = list(project["dependencies"])
    for group in project["optional-dependencies"].values():
        specs += group
    for spec in specs:
        if "<" in spec.split(";")[0]:
            line = next(i for i, row in enumerate(text.splitlines()) if spec in row)
            before = text.splitlines()[max(0, line - 2):line]
            assert any(row.strip().startswith("#") for row in before), (
                f"{spec}: an upper bound needs a comment naming the known break")


def test_licence_fields_follow_pep_639() -> None:
    project = _pyproject()["project"]
    assert project["license"] == "MIT"
    for name in project["license-files"]:
        assert (ROOT / name).is_file(), name
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")


def _listed(text: str) -> set[str]:
    rows = re.findall(r"^\| ([^|]+?) \| [^|]+ \| [^|]* \|$", text, re.M)
    return {licences._canonical(m) for m in rows} - {"component", "---"}


def test_third_party_notices_cover_the_installed_runtime_closure() -> None:
    # What `make installer` writes: generated from what is installed at build time.
    closure = licences.runtime_closure()
    generated = licences.render(closure)
    assert _listed(generated) == {licences._canonical(c.name) for c in closure}
    for component in closure:
        assert component.licence and component.licence != "see the licence file", component
    # The committed copy (shown by the About box in a source checkout) names every direct
    # dependency; transitive ones may differ by installed version, so they are not compared.
    committed = _listed(licences.notices_path().read_text(encoding="utf-8"))
    direct = _names(_pyproject()["project"]["dependencies"])
    assert direct <= committed, (
        f"regenerate with `python -m wellbeing_desktop.licences`: missing {direct - committed}")
    # The bundled binaries whose terms need more than a metadata line are explained.
    for needed in ("LGPL", "OpenSSL", "SQLCipher", "PDFium"):
        assert needed in generated


def test_notices_name_every_shipped_font_and_only_those() -> None:
    text = licences.notices_path().read_text(encoding="utf-8")
    shipped = {p.name for p in resource("fonts").glob("*.ttf")}
    assert shipped
    for name in shipped:
        assert name in text, f"{name} is shipped but not in the notices"
    for named in re.findall(r"([A-Za-z0-9-]+\.ttf)", text):
        assert named in shipped, f"the notices name {named}, which is not shipped"
    assert "DejaVu" not in text or any("DejaVu" in n for n in shipped)
    assert "CC BY-SA 4.0" in text  # the Open Referral UK profile's licence


def test_licence_texts_are_copied_for_the_installer(tmp_path: Path) -> None:
    closure = licences.runtime_closure()
    copied = licences.copy_licence_texts(tmp_path, closure)
    folders = {p.name for p in tmp_path.iterdir() if any(p.iterdir())}
    assert copied >= len(folders) >= len(closure) // 2
    for needed in ("sqlcipher3", "cryptography", "pypdfium2", "reportlab"):
        assert needed in folders, f"no licence file copied for {needed}"


def test_about_box_shows_the_notices(qtbot) -> None:
    from PySide6.QtWidgets import QTextBrowser

    from wellbeing_desktop.ui.dialogs.about import AboutDialog

    dialog = AboutDialog(None)
    qtbot.addWidget(dialog)
    shown = dialog.findChild(QTextBrowser).toPlainText()
    assert "CC BY-SA 4.0" in shown and "LGPL" in shown
    for font in resource("fonts").glob("*.ttf"):
        assert font.name in shown
    assert "DejaVu" not in shown


def _run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wellbeing_desktop.cli", *args],
                          capture_output=True, text=True, check=False, env=env)


def test_version_json_reports_version_schema_python_and_qt() -> None:
    from wellbeing_desktop.storage import migrate

    out = _run_cli("--version", "--json")
    assert out.returncode == 0, out.stderr
    info = json.loads(out.stdout)
    assert info["version"] == __version__
    assert info["schema_revision"] == migrate.head_revision() == migrate.HEAD
    assert info["python"] == ".".join(map(str, sys.version_info[:3]))
    assert info["qt"] == metadata.version("PySide6-Essentials")
    plain = _run_cli("--version")
    assert plain.returncode == 0 and __version__ in plain.stdout


def test_version_imports_nothing_heavy() -> None:
    code = ("import sys; from wellbeing_desktop.cli import main; main(['--version', '--json']);"
            "print(sorted({m.split('.')[0] for m in sys.modules}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1].replace("'", '"')))
    heavy = {"sqlalchemy", "alembic", "PySide6", "shiboken6", "reportlab", "cryptography",
             "orjson", "pypdfium2", "sqlcipher3"}
    assert not loaded & heavy, f"--version imported {loaded & heavy}"


def test_postgresql_without_the_central_extra_says_what_to_install(tmp_path: Path) -> None:
    code = ("import sys; sys.modules['psycopg'] = None\n"
            "import importlib.util\n"
            "real = importlib.util.find_spec\n"
            "importlib.util.find_spec = lambda n, *a: None if n == 'psycopg' else real(n, *a)\n"
            "from wellbeing_desktop.cli import main\n"
            "raise SystemExit(main(['central', 'conflicts', '--db', "
            "'postgresql://nobody@127.0.0.1:1/none']))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False, cwd=tmp_path)
    assert out.returncode not in (0, 70), out.stderr
    assert "central extra" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("path", [".bench-cache", "wellbeing_desktop.egg-info"])
def test_build_and_cache_folders_are_not_committed(path: str) -> None:
    tracked = subprocess.run(["git", "ls-files", path], cwd=ROOT, capture_output=True,
                             text=True, check=False)
    if tracked.returncode != 0:
        pytest.skip("not a git checkout")
    assert tracked.stdout.strip() == ""


def test_sbom_lists_the_runtime_closure_in_cyclonedx_form() -> None:
    closure = licences.runtime_closure()
    bom = licences.sbom(closure)
    assert bom["bomFormat"] == "CycloneDX" and bom["specVersion"] == "1.5"
    assert str(bom["serialNumber"]).startswith("urn:uuid:")
    components = bom["components"]
    assert isinstance(components, list) and len(components) == len(closure)
    names = {c["name"] for c in components}
    assert {"SQLAlchemy", "reportlab", "sqlcipher3"} <= names
    assert not names & {"pytest", "mypy", "ruff", "pyinstaller", "hypothesis"}
    for c in components:
        assert c["purl"] == f"pkg:pypi/{licences._canonical(c['name'])}@{c['version']}"
        assert c["licenses"], c["name"]
    json.dumps(bom)  # serialisable as written by `make installer`
