"""Where data and settings live: `--data-dir`, else `WELLBEING_DATA_DIR`, else platformdirs."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from wellbeing_desktop import APP_ID

DATA_DIR_ENV = "WELLBEING_DATA_DIR"
CONFIG_DIR_ENV = "WELLBEING_CONFIG_DIR"
DB_FILENAME = "wellbeing.sqlite3"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data directory, created if missing. Resolved at call time, never at import."""
    if explicit:
        path = Path(explicit)
    elif os.environ.get(DATA_DIR_ENV):
        path = Path(os.environ[DATA_DIR_ENV])
    else:
        path = Path(platformdirs.user_data_dir(APP_ID, appauthor=False))
    path = path.expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir(data: Path | None = None) -> Path:
    """Settings directory. A portable or test data dir keeps its settings beside the data."""
    if os.environ.get(CONFIG_DIR_ENV):
        path = Path(os.environ[CONFIG_DIR_ENV])
    elif data is not None and (os.environ.get(DATA_DIR_ENV) or data != _default_data()):
        path = data / "config"
    else:
        path = Path(platformdirs.user_config_dir(APP_ID, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _default_data() -> Path:
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False)).expanduser().resolve()


def database_path(data: Path) -> Path:
    return data / DB_FILENAME


def backups_dir(data: Path) -> Path:
    path = data / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def logs_dir(data: Path) -> Path:
    path = data / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path
