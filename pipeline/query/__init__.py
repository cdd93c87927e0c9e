"""Reading the lake with DuckDB: connections, extensions and the views of `sql/` (`views`), Chinese full-text
search over the persisted index (`search`), and exports (`export`).

For notebooks: `from pipeline.query import connect; connect("s3://archive/epaper").sql("SELECT …").df()`.
"""

from pipeline.query.views import LakeEmptyError, connect

__all__ = ["LakeEmptyError", "connect"]
