"""Alembic migrations, applied in-process (see `storage.migrate`)."""
