"""Reading the lake with DuckDB: connections, extensions and the views of `sql/` (`views`), and Chinese
full-text search (`search`)."""
