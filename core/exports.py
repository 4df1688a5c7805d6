"""Shared helpers for data exports (CSV, XLSX) opened in spreadsheets."""

# A cell starting with one of these may be read as a formula by Excel,
# LibreOffice or Google Sheets (OWASP "CSV injection"); tab and CR too,
# since some spreadsheets strip them and then see the formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Return ``value`` safe to put in a spreadsheet cell.

    Strings that a spreadsheet could run as a formula get a leading single
    quote, so they are shown as text. Numbers, dates and None pass through
    unchanged: only text can carry a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
