"""Workbooks out: the uploaded workbook (or the CSV as a Data sheet) with an added Insights
sheet listing each finding with its numbers, and a native Excel chart of the breakdown."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from tandem.apps.productivity.insights import Insights
from tandem.apps.productivity.text import xml_safe

MAX_CSV_ROWS = 200_000


def with_insights(name: str, path: Path, found: Insights) -> bytes:
    """The workbook with an Insights sheet (and chart) added, as .xlsx bytes."""
    from openpyxl import Workbook, load_workbook
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.styles import Font

    if Path(name).suffix.lower() == ".xlsx":
        book = load_workbook(path)  # formulas and formatting kept, not just values
    else:
        book = Workbook()
        data = book.active
        data.title = "Data"
        with path.open(newline="", encoding="utf-8", errors="replace") as handle:
            for number, row in enumerate(csv.reader(handle)):
                if number > MAX_CSV_ROWS:
                    break
                data.append([_value(v) for v in row])
    title = "Insights" if "Insights" not in book.sheetnames else "Insights (Tandem)"
    sheet = book.create_sheet(title)
    sheet.append(["Insight", "Kind", "Measure", "Value"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for insight in found.insights:
        value = insight.values.get(
            "total",
            insight.values.get(
                "average", insight.values.get("value", insight.values.get("fitted_change"))
            ),
        )
        sheet.append([xml_safe(insight.text), insight.kind, xml_safe(insight.measure), value])
    sheet.column_dimensions["A"].width = 100
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 16
    chart_spec = found.chart
    if chart_spec:
        start = sheet.max_row + 3
        sheet.cell(start, 1, xml_safe(chart_spec["title"])).font = Font(bold=True)
        sheet.cell(start, 2, xml_safe(chart_spec["measure"])).font = Font(bold=True)
        for offset, (category, value) in enumerate(
            zip(chart_spec["categories"], chart_spec["values"], strict=True), start=1
        ):
            sheet.cell(start + offset, 1, xml_safe(str(category)))
            sheet.cell(start + offset, 2, value)
        end = start + len(chart_spec["categories"])
        chart = LineChart() if chart_spec["kind"] == "line" else BarChart()
        chart.title = xml_safe(chart_spec["title"])
        chart.y_axis.title = xml_safe(chart_spec["measure"])
        chart.add_data(
            Reference(sheet, min_col=2, min_row=start, max_row=end), titles_from_data=True
        )
        chart.set_categories(Reference(sheet, min_col=1, min_row=start + 1, max_row=end))
        chart.height, chart.width = 8, 16
        sheet.add_chart(chart, "F2")
    # Printed (or converted to PDF) on one page width, landscape: the sentences are long.
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    book.active = book.sheetnames.index(title)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _value(text: str) -> object:
    """CSV text as a number where it is one, so the sheet can be summed and charted."""
    cleaned = text.replace(",", "").strip()
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", cleaned):
        return xml_safe(text)
    return int(cleaned) if "." not in cleaned else float(cleaned)
