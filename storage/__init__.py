"""The archive database: schema, migrations and the one read/write API (``Archive``)."""
