"""Storage adapter: the database, its migrations and the repositories over it."""
