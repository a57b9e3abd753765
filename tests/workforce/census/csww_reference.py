"""A small reference reader of a DfE CSWW return: the census KPIs of a return, worked out
from its items alone, written from ../shared/formats/csww.md and domain.md section 3.

It deliberately imports nothing of the product (no engine, no parser): it is the
independent side of the round-trip test, as a DfE analyst would read the file.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from defusedxml import ElementTree as SafeET

#: domain.md section 3: DfE's working days in a year for the absence rate.
WORKING_DAYS = Decimal(253)
HUNDRED = Decimal(100)


def _share(part, whole):
    if part is None or whole is None or whole == 0:
        return None
    return Decimal(part) / Decimal(whole) * HUNDRED


def read_return(xml: bytes) -> tuple[dict[str, str], list[dict[str, str]]]:
    """(header items, one dict of items per CSWWWorker) of a return in DfE's XML."""
    root = SafeET.fromstring(xml)
    header = {
        "ReferenceDate": root.findtext("Header/CollectionDetails/ReferenceDate"),
        "Year": root.findtext("Header/CollectionDetails/Year"),
        "LEA": root.findtext("Header/Source/LEA"),
    }
    for element in root.find("LALevelVacancies") or []:
        header[element.tag] = (element.text or "").strip()
    workers = [
        {child.tag: (child.text or "").strip() for child in worker}
        for worker in root.findall("CSWWWorker")
    ]
    return header, workers


def census_kpis(xml: bytes) -> dict[str, Decimal | None]:
    """Every census KPI of the return: stocks on the reference date (FTE30 of workers in
    post), flows in the year to it (FTE of starters and leavers, employed only), cases
    (Cases30), absence of employed staff in post, and the council-level vacancies."""
    header, workers = read_return(xml)
    ref = dt.date.fromisoformat(header["ReferenceDate"])
    year_before = ref.replace(year=ref.year - 1)
    two_years_before = ref.replace(year=ref.year - 2)

    def number(worker, item) -> Decimal:
        return Decimal(worker.get(item) or 0)

    def date(worker, item) -> dt.date | None:
        text = worker.get(item)
        return dt.date.fromisoformat(text) if text else None

    def in_year(day: dt.date | None) -> bool:
        return day is not None and year_before < day <= ref

    figures = dict.fromkeys(
        (
            "inpost_fte",
            "inpost_headcount",
            "agency_fte",
            "agency_headcount",
            "starters_fte",
            "starters_headcount",
            "leavers_fte",
            "leavers_headcount",
            "case_holders_fte",
            "case_holders_headcount",
            "cases",
            "working_days_lost",
            "asye_fte",
        ),
        Decimal(0),
    )
    stable = Decimal(0)
    for worker in workers:
        employed = worker["AgencyWorker"] == "0"
        end = date(worker, "RoleEndDate")
        in_post = (end is None or end > ref) and number(worker, "FTE30") > 0
        if in_post:
            fte30 = number(worker, "FTE30")
            kind = "inpost" if employed else "agency"
            figures[f"{kind}_fte"] += fte30
            figures[f"{kind}_headcount"] += 1
            if number(worker, "Cases30") > 0:
                figures["case_holders_fte"] += fte30
                figures["case_holders_headcount"] += 1
                figures["cases"] += number(worker, "Cases30")
            if employed:
                figures["working_days_lost"] += number(worker, "WorkingDaysLost")
                if worker.get("CFKSSstatus") == "1":
                    figures["asye_fte"] += fte30
                if date(worker, "RoleStartDate") <= two_years_before:
                    stable += 1
        if employed and in_year(date(worker, "RoleStartDate")):
            figures["starters_fte"] += number(worker, "FTE")
            figures["starters_headcount"] += 1
        if employed and in_year(end):
            figures["leavers_fte"] += number(worker, "FTE")
            figures["leavers_headcount"] += 1

    inpost, agency = figures["inpost_fte"], figures["agency_fte"]
    everyone = inpost + agency
    vacancies = Decimal(header["NumberOfVacancies"])
    cover = Decimal(header["NoAgencyFTE"])
    return {
        **figures,
        "vacancy_fte": vacancies,
        "agency_cover_fte": cover,
        "agency_rate": _share(agency, everyone),
        "permanence_rate": _share(inpost, everyone),
        "vacancy_rate": _share(vacancies, vacancies + inpost),
        "agency_cover_rate": _share(cover, agency),
        "vacancies_covered_by_agency_rate": _share(cover, vacancies),
        "posts_filled_permanent_rate": _share(inpost, inpost + vacancies),
        "posts_covered_by_agency_rate": _share(cover, inpost + vacancies),
        "posts_vacant_uncovered_rate": _share(vacancies - cover, inpost + vacancies),
        "turnover_rate": _share(figures["leavers_fte"], inpost),
        "caseload": figures["cases"] / figures["case_holders_fte"]
        if figures["case_holders_fte"]
        else None,
        "absence_rate": _share(figures["working_days_lost"], inpost * WORKING_DAYS),
        "asye_share": _share(figures["asye_fte"], everyone),
        "asye_share_of_employed": _share(figures["asye_fte"], inpost),
        "asye_and_agency_share": _share(figures["asye_fte"] + agency, everyone),
        "employed_experienced_share": _share(inpost - figures["asye_fte"], everyone),
        "stability_rate": _share(stable, figures["inpost_headcount"]),
    }
