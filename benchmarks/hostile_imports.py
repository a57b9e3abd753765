"""Issue 17, finding 1: time and peak memory of the parser and validator on hostile census
files (a declared million-row XLSX, a 198 MB zip bomb, huge or foreign-digit numbers).

Run: ``.venv/bin/python -m benchmarks.hostile_imports`` (not part of ``make bench``).
"""

from __future__ import annotations

import io
import os
import time
import tracemalloc
import zipfile


def measure(label: str, work) -> None:
    from workforce.census.parse import NotACensusReturn

    tracemalloc.start()
    started = time.monotonic()
    try:
        outcome = work()
    except NotACensusReturn as refusal:
        outcome = f"refused: {refusal}"
    elapsed = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{label:40s} {elapsed * 1000:7.0f} ms  peak {peak / 1e6:6.1f} MB  {str(outcome)[:80]}")


def dimension_bomb() -> bytes:
    """A two-row workbook whose sheet declares A1:XFD1048576."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["AgencyWorker", "SWENo", "RoleStartDate"])
    book.active.append(["1", "SW1", "2020-01-06"])
    saved = io.BytesIO()
    book.save(saved)
    source, patched = zipfile.ZipFile(io.BytesIO(saved.getvalue())), io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index("<dimension ref=")
                end = text.index("/>", start) + 2
                data = (text[:start] + '<dimension ref="A1:XFD1048576"/>' + text[end:]).encode()
            target.writestr(info, data)
    return patched.getvalue()


def inflation_bomb(megabytes: int = 198) -> bytes:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (megabytes << 20) + b"/>")
    return bomb.getvalue()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from tests.workforce.census.helpers import employed, return_xml
    from workforce.census.parse import parse_return
    from workforce.census.validate import validate_return

    declared = dimension_bomb()
    measure(f"xlsx declaring A1:XFD1048576 ({len(declared)} B)", lambda: parse_return(declared))
    bomb = inflation_bomb()
    measure(f"xlsx inflating to 198 MB ({len(bomb) >> 10} KB)", lambda: parse_return(bomb))
    values = [
        ("Cases30", "1E+10000000"),
        ("Cases30", "9" * 5000),
        ("WorkingDaysLost", "9999999999999999999.5"),
        ("Cases30", "99999999999"),
        ("Cases30", "2147483648"),
        ("GenderCurrent", "\u00b2"),
        ("Cases30", "\u0661\u0662"),
    ]
    for item, value in values:
        data = return_xml(2023, [employed("SW1", "2020-01-06", **{item: value})])

        def check(data=data):
            return [str(p) for p in validate_return(parse_return(data)).errors]

        measure(f"{item}={value[:22]}", check)


if __name__ == "__main__":
    main()
