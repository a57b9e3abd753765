"""A valid CSWW census return (XML, as sent to DfE) with N synthetic workers, for timing
the product's import path."""

from __future__ import annotations

import datetime as dt
import random
from xml.sax.saxutils import escape


def census_xml(*, workers: int = 5000, year: int = 2024, lea: str = "998", seed: int = 11) -> bytes:
    rng = random.Random(seed)
    ref = dt.date(year, 9, 30)
    year_start = dt.date(year - 1, 10, 1)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<Message><Header><CollectionDetails><Collection>CSWW</Collection>",
        f"<Year>{year}</Year><ReferenceDate>{ref}</ReferenceDate></CollectionDetails>",
        f"<Source><SourceLevel>L</SourceLevel><LEA>{lea}</LEA><SoftwareCode>Bench</SoftwareCode>",
        "<Release>1</Release><SerialNo>1</SerialNo>",
        f"<DateTime>{year}-10-15T09:00:00</DateTime></Source></Header>",
        "<LALevelVacancies><NumberOfVacancies>120.50</NumberOfVacancies>",
        "<NoAgencyFTE>80.00</NoAgencyFTE><NoAgencyHeadcount>82</NoAgencyHeadcount></LALevelVacancies>",
    ]
    for i in range(workers):
        agency = rng.random() < 0.2
        start = ref - dt.timedelta(days=rng.randint(30, 4000))
        leaver = not agency and rng.random() < 0.12
        end = None
        if leaver:
            end = year_start + dt.timedelta(days=rng.randint(0, 360))
            if end < start:
                start = end - dt.timedelta(days=rng.randint(30, 900))
        fte = rng.choice(["1.000000", "1.000000", "0.800000", "0.600000"])
        item = [f"<CSWWWorker><AgencyWorker>{int(agency)}</AgencyWorker>"]
        item.append(f"<SWENo>SW{900000000 + i}</SWENo><FTE>{fte}</FTE>")
        if not agency:
            dob = dt.date(1960 + rng.randint(0, 38), rng.randint(1, 12), rng.randint(1, 28))
            item.append(f"<PersonBirthDate>{dob}</PersonBirthDate>")
            item.append(f"<GenderCurrent>{rng.choice([1, 2, 2, 2])}</GenderCurrent>")
            item.append(f"<Ethnicity>{rng.choice(['WBRI', 'BAFR', 'AIND', 'WOTH'])}</Ethnicity>")
            item.append(f"<QualInst>{escape('University of Kent')}</QualInst>")
            item.append("<QualLevel>1</QualLevel>")
            item.append("<StepUpGrad>0</StepUpGrad>")
        item.append(f"<OrgRole>{rng.choice([5, 5, 5, 4, 3])}</OrgRole>")
        item.append(f"<RoleStartDate>{start}</RoleStartDate>")
        if start >= year_start:
            item.append(f"<StartOrigin>{rng.randint(1, 9)}</StartOrigin>")
        if end:
            item.append(f"<RoleEndDate>{end}</RoleEndDate>")
            item.append(f"<LeaverDestination>{rng.randint(1, 8)}</LeaverDestination>")
            item.append(f"<ReasonLeave>{rng.choice([1, 1, 5, 8])}</ReasonLeave>")
            item.append("<FTE30>0.000000</FTE30>")
        else:
            item.append(f"<FTE30>{fte}</FTE30><Cases30>{rng.randint(0, 22)}</Cases30>")
        if not agency:
            item.append(f"<WorkingDaysLost>{rng.randint(0, 12)}.00</WorkingDaysLost>")
            item.append("<FrontlineGrad>0</FrontlineGrad>")
            if not end:
                item.append("<Absat30Sept>0</Absat30Sept>")
        else:
            item.append(f"<ContractWeeks>{rng.randint(4, 52)}.0</ContractWeeks>")
        item.append("</CSWWWorker>")
        out.append("".join(item))
    out.append("</Message>")
    return "\n".join(out).encode("utf-8")
