"""A statistics table as CSV or XLSX: the very cells the page shows."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import Workbook

from portal.statistics import Cell, StatisticsTable, display_cell

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE_CHARACTERS = 31  # Excel's limit


def _safe_text(value: str) -> str:
    """Spreadsheets run cells starting with these characters as formulas; quote them."""
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def table_csv(table: StatisticsTable) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.header)
    writer.writerows([_safe_text(cell) for cell in row] for row in table.display_rows)
    return buffer.getvalue()


def _xlsx_cell(cell: Cell) -> object:
    """Numbers stay numbers (so a spreadsheet can sum them); the rest is the page's text."""
    if isinstance(cell, bool) or cell is None:
        return display_cell(cell)
    if isinstance(cell, int | float):
        return cell
    if isinstance(cell, Decimal):
        return float(cell)
    return _safe_text(display_cell(cell))


def _sheet_title(title: str) -> str:
    """Excel refuses these characters in a sheet's name."""
    for character in ":\\/?*[]’":
        title = title.replace(character, "")
    return title[:SHEET_TITLE_CHARACTERS]


def table_xlsx(table: StatisticsTable) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(table.title)
    sheet.append(table.header)
    for row in table.rows:
        sheet.append([_xlsx_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
