"""directory feeds: feeds as sources, clean description text, three cost states, HSDS 3.0 fields

Existing services are given to one feed named "Imported before feeds" (so a new feed never
withdraws them), their description is cleaned for search, their cost state is read from the
fees and cost options they have, and their content hash is cleared so the next import of their
feed rewrites them with the new fields. The FTS5 triggers index the clean text from here on.

Revision ID: 0200_feeds
Revises: 0400_courses
Create Date: 2026-12-04 14:23:41.951482
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import uuid
from datetime import UTC, datetime

import wellbeing_desktop.storage.types

LEGACY_FEED = "Imported before feeds"
_FTS = "dir_services_fts"
_LISTED = "WHERE new.withdrawn_at IS NULL AND new.deleted_at IS NULL"


def _triggers(column: str) -> list[str]:
    return [
        f"CREATE TRIGGER dir_services_fts_ai AFTER INSERT ON dir_services BEGIN "
        f"INSERT INTO {_FTS}(rowid, name, description, terms) SELECT "
        f"new.search_key, new.name, {column}, new.search_terms {_LISTED}; END",
        f"CREATE TRIGGER dir_services_fts_au AFTER UPDATE OF name, "
        f"{'description' if 'coalesce' in column else 'description_text'}, search_terms, "
        f"search_key, withdrawn_at, deleted_at ON dir_services BEGIN "
        f"DELETE FROM {_FTS} WHERE rowid = old.search_key; "
        f"INSERT INTO {_FTS}(rowid, name, description, terms) SELECT "
        f"new.search_key, new.name, {column}, new.search_terms {_LISTED}; END",
    ]


def _swap_triggers(column: str, source: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS dir_services_fts_ai")
    op.execute("DROP TRIGGER IF EXISTS dir_services_fts_au")
    for sql in _triggers(column):
        op.execute(sql)
    op.execute(f"DELETE FROM {_FTS}")
    op.execute(f"INSERT INTO {_FTS}(rowid, name, description, terms) SELECT search_key, name, "
               f"{source}, search_terms FROM dir_services "
               "WHERE withdrawn_at IS NULL AND deleted_at IS NULL")


def _fill_services() -> None:
    """Clean text, cost state and the legacy feed for services already in the store."""
    from wellbeing_desktop.domain import costs, markup

    bind = op.get_bind()
    services = sa.table("dir_services", sa.column("id", sa.Uuid), sa.column("description"),
                        sa.column("fees"), sa.column("withdrawn_at"),
                        sa.column("deleted_at"), sa.column("description_text"),
                        sa.column("cost_state"), sa.column("free_of_charge", sa.Boolean),
                        sa.column("content_hash"))
    options = sa.table("dir_cost_options", sa.column("service_id", sa.Uuid),
                       sa.column("amount"), sa.column("option"),
                       sa.column("amount_description"), sa.column("deleted_at"))
    amounts: dict[uuid.UUID, list[float | None]] = {}
    texts: dict[uuid.UUID, list[str]] = {}
    for sid, amount, option, described in bind.execute(sa.select(
            options.c.service_id, options.c.amount, options.c.option,
            options.c.amount_description).where(options.c.deleted_at.is_(None))):
        amounts.setdefault(sid, []).append(amount)
        texts.setdefault(sid, []).extend(markup.clean_text(t) for t in (option, described) if t)
    rows = bind.execute(sa.select(services.c.id, services.c.description, services.c.fees,
                                  services.c.withdrawn_at)
                        .where(services.c.deleted_at.is_(None))).all()
    for sid, description, fees, _withdrawn in rows:
        cost = costs.decide(amounts.get(sid, []), [markup.clean_text(fees), *texts.get(sid, [])])
        bind.execute(sa.update(services).where(services.c.id == sid).values(
            description_text=markup.clean_text(description), cost_state=cost.state.value,
            free_of_charge=cost.state is costs.CostState.FREE, content_hash=""))
    if not rows:
        return
    now = datetime.now(UTC)
    shared = {"created_at": now, "updated_at": now}
    feeds = sa.table("dir_feeds", *(sa.column(c) for c in (
        "name", "source_file", "last_imported_at", "full", "counts_json", "warnings_json",
        "removed_at", *shared)), sa.column("id", sa.Uuid))
    sources = sa.table("dir_service_sources", *(sa.column(c) for c in (
        "last_seen_at", "withdrawn_at", *shared)), sa.column("id", sa.Uuid),
        sa.column("service_id", sa.Uuid), sa.column("feed_id", sa.Uuid))
    feed_id = uuid.uuid4()
    bind.execute(feeds.insert().values(
        id=feed_id, name=LEGACY_FEED, source_file="", last_imported_at=None, full=False,
        counts_json="{}", warnings_json="[]", removed_at=None, **shared))
    bind.execute(sources.insert(), [
        {"id": uuid.uuid4(), "service_id": sid, "feed_id": feed_id, "last_seen_at": None,
         "withdrawn_at": withdrawn, **shared} for sid, _d, _f, withdrawn in rows])


revision: str = '0200_feeds'
down_revision: str | None = '0400_courses'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('dir_feeds',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('source_file', sa.Text(), nullable=False),
    sa.Column('last_imported_at', wellbeing_desktop.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('full', sa.Boolean(), nullable=False),
    sa.Column('counts_json', sa.Text(), nullable=False),
    sa.Column('warnings_json', sa.Text(), nullable=False),
    sa.Column('removed_at', wellbeing_desktop.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', wellbeing_desktop.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', wellbeing_desktop.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dir_feeds')),
    sa.UniqueConstraint('name', name=op.f('uq_dir_feeds_name'))
    )
    op.create_table('dir_service_sources',
    sa.Column('service_id', sa.Uuid(), nullable=False),
    sa.Column('feed_id', sa.Uuid(), nullable=False),
    sa.Column('last_seen_at', wellbeing_desktop.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', wellbeing_desktop.storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', wellbeing_desktop.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', wellbeing_desktop.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['feed_id'], ['dir_feeds.id'], name=op.f('fk_dir_service_sources_feed_id_dir_feeds')),
    sa.ForeignKeyConstraint(['service_id'], ['dir_services.id'], name=op.f('fk_dir_service_sources_service_id_dir_services')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dir_service_sources')),
    sa.UniqueConstraint('service_id', 'feed_id', name='uq_dir_service_sources_service_feed')
    )
    with op.batch_alter_table('dir_service_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dir_service_sources_feed_id'), ['feed_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dir_service_sources_service_id'), ['service_id'], unique=False)

    # Plain ALTER TABLE ADD COLUMN: a batch copy of these tables would drop their triggers
    # and trip the foreign keys that point at them.
    op.add_column('dir_organizations', sa.Column('url', sa.Text(), nullable=True))

    op.add_column('dir_services', sa.Column('eligibility_description', sa.Text(), nullable=True))
    op.add_column('dir_services', sa.Column('application_process', sa.Text(), nullable=True))
    op.add_column('dir_services', sa.Column('fees_description', sa.Text(), nullable=True))
    op.add_column('dir_services', sa.Column('description_text', sa.Text(), server_default=sa.text("''"), nullable=False))
    op.add_column('dir_services', sa.Column('cost_state', sa.String(length=20), server_default=sa.text("'not_stated'"), nullable=False))

    op.add_column('dir_taxonomy_terms', sa.Column('code', sa.Text(), nullable=True))
    op.add_column('dir_taxonomy_terms', sa.Column('vocabulary', sa.Text(), nullable=True))

    # ### end Alembic commands ###
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS dir_services_fts_ai")
        op.execute("DROP TRIGGER IF EXISTS dir_services_fts_au")
    _fill_services()
    _swap_triggers("new.description_text", "description_text")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS dir_services_fts_ai")
        op.execute("DROP TRIGGER IF EXISTS dir_services_fts_au")
    # ### commands auto generated by Alembic - please adjust! ###
    op.drop_column('dir_taxonomy_terms', 'vocabulary')
    op.drop_column('dir_taxonomy_terms', 'code')

    op.drop_column('dir_services', 'cost_state')
    op.drop_column('dir_services', 'description_text')
    op.drop_column('dir_services', 'fees_description')
    op.drop_column('dir_services', 'application_process')
    op.drop_column('dir_services', 'eligibility_description')

    op.drop_column('dir_organizations', 'url')

    with op.batch_alter_table('dir_service_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dir_service_sources_service_id'))
        batch_op.drop_index(batch_op.f('ix_dir_service_sources_feed_id'))

    op.drop_table('dir_service_sources')
    op.drop_table('dir_feeds')
    # ### end Alembic commands ###
    _swap_triggers("coalesce(new.description, '')", "coalesce(description, '')")
