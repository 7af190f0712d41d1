"""The enrichment store: customers, their channel identities and orders in a SQL database
(SQLite by default, PostgreSQL in production), read in one batch lookup per micro-batch.

- ``store.db``: ``make_engine``, ``default_url``, ``make_session_factory``, ``check``
- ``store.migrate``: ``upgrade`` (Alembic, from code)
- ``store.queries``: ``lookup_batch`` and the facts it returns
- ``store.importer``: a shop's own customers and orders from CSV or JSON lines
- ``store.erasure``: ``identify`` and ``erase_customer`` (GDPR erasure, one transaction)
- ``store.errors``: ``StoreError`` and the transient ``StoreUnavailable``

The demo shop's data (around the sample corpus' roster) is seeded by ``ticketflow.seed``, a tool:
the store itself never reads the corpus.

Importing the package connects to nothing.
"""
