"""A fresh store on SQLite and on PostgreSQL for every test that asks for ``store``."""

from redline.store.testing import db_url, store  # noqa: F401 - pytest fixtures
