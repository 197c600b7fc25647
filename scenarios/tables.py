"""Spreadsheet tables in and out: the form regional talent teams keep their data in.

`read_tables` turns one CSV or XLSX file per table into the records of a Problem, with errors
that name file, row and column; `write_tables` is its inverse, and `write_placements` gives a
Solution's placements as a sheet to read. The layout is in `scenarios/TABLES.md`.
"""

from scenarios.tables_read import read_tables
from scenarios.tables_write import write_placements, write_tables

__all__ = ["read_tables", "write_placements", "write_tables"]
