"""Roster import: read a CSV or XLSX file of students with their guardians
(or of teachers), check every row, then write all of it or nothing.

columns.py     the column table: headers, which are required, how a cell is read
cells.py       the school's rules for one cell (grade names, class names, dates ...)
reading.py     bytes -> header and rows (CSV in UTF-8 or GBK, XLSX)
problems.py    one problem = row, column, code, params; rendered in the reader's language
validation.py  every row checked against the file and the school; nothing written
writing.py     the checked rows written, inside the caller's transaction
services.py    the import as a job (RosterImport), the dry run, the one-time credentials
"""
