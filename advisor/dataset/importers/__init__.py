"""One importer per public source; each returns ``(rows, rejected)``: a frame in the unified
columns (see ``advisor.dataset.schema``) plus ``_map_*`` lookup columns for the device map, and a
``Counter`` of reasons for the rows it could not use."""
