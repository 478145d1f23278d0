"""Alembic environment: runs migrations against the URL the caller configured."""

from alembic import context
from sqlalchemy import create_engine

from mentormail.service.models import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Run migrations on a live connection."""
    url = context.config.get_main_option("sqlalchemy.url")
    assert url
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
