"""Where data and settings live: `--data-dir`, else `WELLBEING_DATA_DIR`, else platformdirs."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from wellbeing_desktop import APP_ID
from wellbeing_desktop.storage.perms import private_dir

DATA_DIR_ENV = "WELLBEING_DATA_DIR"
CONFIG_DIR_ENV = "WELLBEING_CONFIG_DIR"
DB_FILENAME = "wellbeing.sqlite3"
KEYRING_FILENAME = "keyring.json"  # its presence means the store is encrypted (storage/keyring.py)


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data directory, created if missing. Resolved at call time, never at import."""
    if explicit:
        path = Path(explicit)
    elif os.environ.get(DATA_DIR_ENV):
        path = Path(os.environ[DATA_DIR_ENV])
    else:
        path = Path(platformdirs.user_data_dir(APP_ID, appauthor=False))
    return private_dir(path.expanduser().resolve())


def config_dir(data: Path | None = None) -> Path:
    """Settings directory. A portable or test data dir keeps its settings beside the data."""
    if os.environ.get(CONFIG_DIR_ENV):
        path = Path(os.environ[CONFIG_DIR_ENV])
    elif data is not None and (os.environ.get(DATA_DIR_ENV) or data != _default_data()):
        path = data / "config"
    else:
        path = Path(platformdirs.user_config_dir(APP_ID, appauthor=False))
    return private_dir(path)


def _default_data() -> Path:
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False)).expanduser().resolve()


def database_path(data: Path) -> Path:
    return data / DB_FILENAME


def backups_dir(data: Path) -> Path:
    return private_dir(data / "backups")


def logs_dir(data: Path) -> Path:
    return private_dir(data / "logs")
