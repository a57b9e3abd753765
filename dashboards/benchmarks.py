"""DfE's published benchmark figures: reading the indicators CSV, and the series the
dashboards compare a council with.

The file is DfE's "Children's social work workforce" per-council, per-region and
national indicators (``data/dfe/csww_indicators_2017_to_2025.csv``, Open Government
Licence): one row per reporting year and area, one column per measure
(``inpost_fte`` ... ``absence_rate_fte``). A cell may hold one of DfE's symbols instead of
a number; the symbol is kept, with no value, never turned into 0. A few merged councils
have combined codes such as ``314 / 318``; they are kept as published.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Q

from .models import BenchmarkFigure

#: DfE's symbols for a cell without a (reliable) number.
SYMBOLS = {
    "c": "suppressed to protect confidentiality",
    "x": "not available",
    "z": "not applicable",
    "u": "low reliability",
    "low": "rounds to zero",
}
#: The columns that say which year and area a row is about (every one must be present).
KEY_COLUMNS = (
    "time_period",
    "geographic_level",
    "country_code",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
)
#: Descriptive columns that are neither keys nor measures.
OTHER_COLUMNS = ("time_identifier", "country_name")
MAX_ERRORS_SHOWN = 20

_NUMBER = re.compile(r"^(-?\d+(?:\.\d+)?)$")
_NUMBER_WITH_SYMBOL = re.compile(r"^(-?\d+(?:\.\d+)?)\s*\(?\s*(c|x|z|u|low)\s*\)?$")
_MEASURE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


@dataclass
class ParsedIndicators:
    figures: list[dict] = field(default_factory=list)  # BenchmarkFigure field values
    rows_by_level: dict[str, int] = field(default_factory=dict)
    symbols: dict[str, int] = field(default_factory=dict)
    empty_cells: int = 0


def _not_this_file(name: str, why: str) -> ValidationError:
    return ValidationError(
        {"file": [f"{name} is not DfE's children's social work workforce indicators CSV: {why}"]}
    )


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise _not_this_file(name, "the file is empty.")
    if b"\x00" in data[:4096]:
        raise _not_this_file(name, "it is a binary file, not text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise _not_this_file(name, "it is not UTF-8 or Windows text.") from None
    if text.lstrip()[:1] == "<":
        raise _not_this_file(name, "it looks like a web page or XML, not a CSV file.")
    return text


def parse_cell(text: str) -> tuple[Decimal | None, str]:
    """A measure cell as (value, symbol): ``"15.9"`` -> (15.9, ""), ``"c"`` -> (None,
    "c"), ``"12.5 u"`` -> (12.5, "u"), ``"1,234"`` -> (1234, ""). Raises ValueError when the
    cell is neither a number nor one of DfE's symbols."""
    cell = text.strip().replace(",", "")
    if cell.lower() in SYMBOLS:
        return None, cell.lower()
    match = _NUMBER.match(cell) or _NUMBER_WITH_SYMBOL.match(cell.lower())
    if not match:
        raise ValueError(text)
    try:
        value = Decimal(match.group(1))
    except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
        raise ValueError(text) from None
    return value, (match.group(2) if match.re is _NUMBER_WITH_SYMBOL else "")


def parse_indicators_csv(data: bytes, *, name: str = "The file") -> ParsedIndicators:
    """Every figure in the file, or ``ValidationError({"file": [...]})`` listing every
    problem (row number as in a spreadsheet, column, value) - all of them, not the first."""
    text = _decode(data, name)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [column.strip() for column in (reader.fieldnames or [])]
    missing = [column for column in KEY_COLUMNS if column not in header]
    if missing:
        raise _not_this_file(name, f"the header lacks the columns {', '.join(missing)}.")
    measures = [c for c in header if c not in KEY_COLUMNS and c not in OTHER_COLUMNS]
    if not measures:
        raise _not_this_file(name, "the header has no measure columns (such as inpost_fte).")
    bad_names = [m for m in measures if not _MEASURE_NAME.match(m)]
    if bad_names:
        raise _not_this_file(name, f"unexpected column names {', '.join(bad_names[:5])}.")
    reader.fieldnames = header

    levels = {choice.value for choice in BenchmarkFigure.Level}
    parsed = ParsedIndicators()
    rows_by_level: Counter[str] = Counter()
    symbols: Counter[str] = Counter()
    errors: list[str] = []
    seen: dict[tuple, int] = {}
    for line, row in enumerate(reader, start=2):
        if None in row or any(value is None for value in row.values()):
            errors.append(f"Row {line}: it has {len(header)} columns in the header but not here.")
            continue
        row = {key: value.strip() for key, value in row.items()}
        level = row["geographic_level"]
        if level not in levels:
            allowed = ", ".join(sorted(levels))
            errors.append(f"Row {line}, geographic_level: '{level}' is not one of {allowed}.")
            continue
        if not re.fullmatch(r"\d{4}", row["time_period"]):
            errors.append(f"Row {line}, time_period: '{row['time_period']}' is not a year.")
            continue
        if level == BenchmarkFigure.Level.NATIONAL:
            area_code, area_name = row["country_code"], row.get("country_name") or "England"
        elif level == BenchmarkFigure.Level.REGIONAL:
            area_code, area_name = row["region_code"], row["region_name"]
        else:
            area_code, area_name = row["new_la_code"] or row["old_la_code"], row["la_name"]
        if not area_code:
            errors.append(f"Row {line}: no area code for this {level.lower()} row.")
            continue
        key = (row["time_period"], level, area_code)
        if key in seen:
            errors.append(
                f"Row {line}: {area_name} {row['time_period']} appears again (first in row "
                f"{seen[key]})."
            )
            continue
        seen[key] = line
        rows_by_level[level] += 1
        for measure in measures:
            cell = row[measure]
            if cell == "":
                parsed.empty_cells += 1
                continue
            try:
                value, symbol = parse_cell(cell)
            except ValueError:
                errors.append(
                    f"Row {line}, {measure}: '{cell}' is neither a number nor one of DfE's "
                    f"symbols ({', '.join(SYMBOLS)})."
                )
                continue
            if value is not None and abs(value) >= Decimal("1e11"):
                errors.append(f"Row {line}, {measure}: {cell} is too large.")
                continue
            if symbol:
                symbols[symbol] += 1
            parsed.figures.append(
                {
                    "time_period": int(row["time_period"]),
                    "geographic_level": level,
                    "area_code": area_code[:40],
                    "old_la_code": row["old_la_code"][:20],
                    "area_name": area_name[:120],
                    "region_name": row["region_name"][:60],
                    "measure": measure,
                    "value": value,
                    "symbol": symbol,
                }
            )
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > MAX_ERRORS_SHOWN:
            shown.append(f"... and {len(errors) - MAX_ERRORS_SHOWN} more problems.")
        raise ValidationError({"file": shown})
    if not parsed.figures:
        raise _not_this_file(name, "it has a header but no figures.")
    parsed.rows_by_level = dict(rows_by_level)
    parsed.symbols = dict(symbols)
    return parsed


# --- Reads for the dashboards ---------------------------------------------------------


@dataclass(frozen=True)
class BenchmarkPoint:
    """One published figure: ``value`` is None when DfE published ``symbol`` instead."""

    time_period: int
    geographic_level: str
    area_code: str
    area_name: str
    value: Decimal | None
    symbol: str

    @property
    def symbol_meaning(self) -> str:
        return SYMBOLS.get(self.symbol, "")


def lea_code_q(lea_code: str) -> Q:
    """Rows for a council by three-digit LEA code, including years it was published
    merged with another council (``314 / 318``)."""
    return (
        Q(old_la_code=lea_code)
        | Q(old_la_code__startswith=f"{lea_code} /")
        | Q(old_la_code__endswith=f"/ {lea_code}")
        | Q(old_la_code__contains=f"/ {lea_code} /")
    )


def benchmark_series(
    *,
    measure: str,
    lea_code: str | None = None,
    region: str | None = None,
    national: bool = True,
) -> dict[str, list[BenchmarkPoint]]:
    """DfE's published ``measure`` (a column such as ``turnover_rate_fte``) by year, for
    England (``national``), a region (by name, e.g. "South East") and a council (by LEA
    code), keyed "national", "regional" and "council"; only the series asked for."""
    wanted: dict[str, Q] = {}
    if national:
        wanted["national"] = Q(geographic_level=BenchmarkFigure.Level.NATIONAL)
    if region:
        wanted["regional"] = Q(geographic_level=BenchmarkFigure.Level.REGIONAL, area_name=region)
    if lea_code:
        wanted["council"] = Q(geographic_level=BenchmarkFigure.Level.LOCAL_AUTHORITY) & lea_code_q(
            lea_code
        )
    series: dict[str, list[BenchmarkPoint]] = {}
    for key, condition in wanted.items():
        rows = (
            BenchmarkFigure.objects.filter(condition, measure=measure)
            .order_by("time_period")
            .values_list(
                "time_period", "geographic_level", "area_code", "area_name", "value", "symbol"
            )
        )
        series[key] = [BenchmarkPoint(*row) for row in rows]
    return series


def benchmark_comparators(
    *, measure: str, lea_codes: list[str], time_period: int
) -> list[BenchmarkPoint]:
    """DfE's ``measure`` in one year for a comparator group's councils (by LEA code)."""
    condition = Q()
    for code in lea_codes:
        condition |= lea_code_q(code)
    if not lea_codes:
        return []
    rows = (
        BenchmarkFigure.objects.filter(
            condition,
            measure=measure,
            time_period=time_period,
            geographic_level=BenchmarkFigure.Level.LOCAL_AUTHORITY,
        )
        .order_by("area_name")
        .values_list("time_period", "geographic_level", "area_code", "area_name", "value", "symbol")
    )
    return [BenchmarkPoint(*row) for row in rows]
