"""Alembic migrations of the enrichment store (``script_location`` of ``store.migrate``)."""
