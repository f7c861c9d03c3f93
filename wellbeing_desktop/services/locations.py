"""Where the data lives and whether it is encrypted, for the GUI (which does not import
storage). Light to import: the GUI asks before the window paints."""

from __future__ import annotations

from pathlib import Path

from wellbeing_desktop.storage import paths


def data_dir(explicit: Path | str | None = None) -> Path:
    """The data folder: `--data-dir`, else `WELLBEING_DATA_DIR`, else the platform's folder."""
    return paths.data_dir(explicit)


def is_encrypted(directory: Path) -> bool:
    """Whether the store in `directory` needs a sign-in (it has a keyring)."""
    # The file name only: importing storage.keyring (hashlib, secrets) before the first
    # paint costs start-up time.
    return (Path(directory) / paths.KEYRING_FILENAME).exists()
