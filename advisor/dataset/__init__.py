"""The public measured data as one training table: schema, graph identities, importers, build.

    from advisor.dataset import import_public, graph_for, read_table
    report = import_public(None, "public.csv.gz")     # None: advisor.paths.public_data_dir()
    table = read_table("public.csv.gz")               # validated DataFrame (schema.COLUMNS)
    model = graph_for(table.graph[0], batch=int(table.batch[0]))
"""

from advisor.dataset.build import ImportReport, collect, import_public, write_table
from advisor.dataset.graphs import graph_for
from advisor.dataset.schema import COLUMN_NAMES, COLUMNS, read_table, validate

__all__ = ["COLUMNS", "COLUMN_NAMES", "ImportReport", "collect", "graph_for", "import_public",
           "read_table", "validate", "write_table"]
