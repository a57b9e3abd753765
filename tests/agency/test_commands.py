"""The agency commands as a council's HR team would run them."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from agency import returns, services
from agency.models import AgencyPlacement, RegionalLeaver, RegionalPriceCap
from tests.agency.conftest import placement_fields
from tests.factories import PersonFactory, employ
from workforce.models import Agency, Council, Person

pytestmark = pytest.mark.django_db

D = dt.date
HEADER = (
    "SWENo,Agency,RoleCategory,StartDate,EndDate,HourlyRate,HoursPerWeek,ProjectTeam,"
    "ReferenceObtained,NoticeWeeks,LAExperienceMonths\n"
)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def compliance(as_of="2025-02-03"):
    from io import StringIO

    out = StringIO()
    call_command("agency_compliance", "--as-of", as_of, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_import_price_caps_all_or_nothing(tmp_path, council):
    good = write(
        tmp_path,
        "caps.csv",
        "Region,RoleCategory,EffectiveFrom,HourlyCap\nSouth East,social_worker,2024-10-31,40.00\n"
        "South East,team_manager,2024-10-31,55\n",
    )
    call_command("import_price_caps", good)
    assert RegionalPriceCap.objects.get(role_category="team_manager").hourly_cap == Decimal("55")
    bad = write(
        tmp_path,
        "bad.csv",
        "Region,RoleCategory,EffectiveFrom,HourlyCap\n"
        "South East,senior_social_worker,2024-10-31,45\n"
        "South East,manager,31/10/2024,-3\n",
    )
    with pytest.raises(CommandError) as exc:
        call_command("import_price_caps", bad)
    message = str(exc.value)
    assert "Row 3: RoleCategory 'manager'" in message
    assert "Row 3: EffectiveFrom '31/10/2024'" in message
    assert "Row 3: HourlyCap must be more than 0" in message
    assert RegionalPriceCap.objects.count() == 2  # the good row 2 was not saved either


def test_import_placements_creates_agencies_joins_known_workers_and_reports_breaches(
    tmp_path, caps
):
    known = PersonFactory(swe_number="SW900002", first_name="Known")
    employ(person=known, start=D(2018, 1, 1), end=D(2024, 12, 20), reason=1)
    path = write(
        tmp_path,
        "placements.csv",
        HEADER
        + "SW900001,New Agency Ltd,social_worker,2025-01-06,,40.00,37,no,yes,4,36\n"
        + "sw900002,Locum Partners,team_manager,2025-01-06,2025-06-30,60.00,37.5,yes,no,8,0\n",
    )
    call_command("import_agency_placements", path)
    assert Agency.objects.filter(name="New Agency Ltd").exists()
    second = AgencyPlacement.objects.get(swe_number="SW900002")
    assert second.person == known
    report = compliance()
    assert report["as_of"] == "2025-02-03"
    assert report["placements"] == 2
    rules = {(b["swe_number"], b["rule"]) for b in report["breaches"]}
    assert rules == {
        ("SW900002", "COOLING_OFF"),
        ("SW900002", "CAP"),
        ("SW900002", "NOTICE"),
        ("SW900002", "REFERENCE"),
        ("SW900002", "PROJECT_TEAM"),
    }  # PQE: 83 months employed here
    assert all(b["message"] for b in report["breaches"])


def test_import_placements_lists_every_problem_with_its_row_and_saves_nothing(tmp_path, caps):
    path = write(
        tmp_path,
        "placements.csv",
        HEADER
        + "SW900001,A,social_worker,2025-01-06,,40.00,37,no,yes,4,36\n"
        + "XX,A,boss,2025-13-01,,abc,37,maybe,yes,four,\n"
        + "SW900003,,social_worker,2025-01-06,2024-01-01,40,37,no,yes,4,0\n",
    )
    with pytest.raises(CommandError) as exc:
        call_command("import_agency_placements", path)
    message = str(exc.value)
    for expected in (
        "Row 3: RoleCategory 'boss'",
        "Row 3: StartDate '2025-13-01'",
        "Row 3: HourlyRate 'abc'",
        "Row 3: ProjectTeam must be yes or no",
        "Row 3: NoticeWeeks 'four'",
        "Row 4: Agency is empty",
    ):
        assert expected in message
    assert AgencyPlacement.objects.count() == 0
    assert not Agency.objects.exists()


def test_compliance_table_format(tmp_path, caps, agency_firm):
    from io import StringIO

    services.placement_save(agency=agency_firm, **placement_fields(notice_weeks=6))
    out = StringIO()
    call_command("agency_compliance", "--as-of", "2025-02-03", "--format", "table", stdout=out)
    assert "SW900001" in out.getvalue() and "NOTICE" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("agency_compliance", "--as-of", "3 Feb")


def test_regional_leavers_round_trip_between_two_councils(tmp_path, caps, agency_firm):
    # Kent (886): a permanent social worker leaves on 30 November 2024.
    leaver = PersonFactory(swe_number="SW777001", first_name="Rosalind", last_name="Featherstone")
    employ(person=leaver, start=D(2015, 1, 5), end=D(2024, 11, 30), reason=1)
    output = tmp_path / "kent-leavers.csv"
    call_command(
        "export_regional_leavers",
        "--from", "2024-10-01", "--to", "2025-03-31", "--output", str(output),
    )  # fmt: skip
    text = output.read_text()
    assert text.splitlines()[0] == "SWEHash,LeavingDate,LACode"
    assert len(text.splitlines()) == 2
    for secret in ("SW777001", "sw777001", "777001", "Rosalind", "Featherstone"):
        assert secret not in text
    assert text.splitlines()[1].endswith(",2024-11-30,886")

    # Medway (887), same region, has never employed her: it imports Kent's file.
    leaver.employments.all().delete()
    Person.objects.filter(pk=leaver.pk).delete()
    Council.objects.update(name="Medway Council", lea_code="887")
    call_command("import_regional_leavers", str(output))
    assert RegionalLeaver.objects.get().la_code == "886"
    services.placement_save(
        agency=agency_firm,
        **placement_fields(swe_number="SW777001", start_date=D(2025, 2, 3)),
    )
    breaches = compliance()["breaches"]
    assert [(b["swe_number"], b["rule"]) for b in breaches] == [("SW777001", "COOLING_OFF")]
    assert "LA 886" in breaches[0]["message"]
    # Importing the same file again adds nothing.
    call_command("import_regional_leavers", str(output))
    assert RegionalLeaver.objects.count() == 1


def test_regional_import_refuses_another_regions_council_and_bad_hashes(tmp_path, council):
    path = write(
        tmp_path,
        "leavers.csv",
        "SWEHash,LeavingDate,LACode\n" + "a" * 64 + ",2024-11-30,202\n" + "SW1,2024-11-30,887\n",
    )
    with pytest.raises(CommandError) as exc:
        call_command("import_regional_leavers", path)
    assert "Row 2: LA 202 is in London, not in this council's region (South East)" in str(exc.value)
    assert "Row 3: SWEHash is not a 64-character keyed hash" in str(exc.value)
    assert not RegionalLeaver.objects.exists()


def test_quarterly_return_is_written_and_reads_back(tmp_path, caps, agency_firm):
    services.placement_save(agency=agency_firm, **placement_fields())
    signed = {"signed_by": "A. Director", "signed_on": D(2025, 1, 2), "reason": "Court work"}
    services.placement_save(
        agency=agency_firm,
        sign_offs={"dcs": signed, "chief_executive": {**signed, "signed_by": "C. Exec"}},
        **placement_fields(
            swe_number="SW900002",
            role_category="team_manager",
            pay_rate=Decimal("60"),
            charge_rate=Decimal("70"),
            hours_per_week=Decimal("35"),
            start_date=D(2025, 2, 1),
            end_date=D(2025, 3, 1),
            notice_weeks=6,
        ),
    )
    services.placement_save(  # ended before the quarter: not in it
        agency=agency_firm, **placement_fields(swe_number="SW900003", end_date=D(2025, 1, 1),
                                               start_date=D(2024, 11, 4))
    )  # fmt: skip
    output = tmp_path / "return.csv"
    call_command("agency_return", "--quarter", "2025Q1", "--output", str(output))
    data = returns.read_return(output.read_text())
    by_swe = {row["SWENo"]: row for row in data["placements"]}
    assert set(by_swe) == {"SW900001", "SW900002"}
    assert by_swe["SW900002"]["NOTICEComplied"] == "no"
    assert "6 weeks" in by_swe["SW900002"]["NOTICEExplanation"]
    assert by_swe["SW900002"]["CAPComplied"] == "yes"  # above the cap, signed off by both
    assert by_swe["SW900001"]["HourlyPayRate"] == "40.00"
    # January: 37 h x £52 x 26/7 weeks (6-31 Jan); February: 28 days of SW900001 plus
    # 28 days of SW900002 (1 Feb to 1 Mar, the end date not included) at 35 h x £70.
    months = {row["Month"]: row["AgencyCost"] for row in data["monthly"]}
    jan = Decimal(37) * 52 * 26 / 7
    feb = Decimal(37) * 52 * 4 + Decimal(35) * 70 * 4
    mar = Decimal(37) * 52 * 31 / 7
    assert months["2025-01"] == str(jan.quantize(Decimal("0.01")))
    assert months["2025-02"] == str(feb.quantize(Decimal("0.01")))
    assert months["QuarterTotal"] == str((jan + feb + mar).quantize(Decimal("0.01")))
    assert data["caps"] == [
        {
            "SWENo": "SW900002",
            "Agency": "Locum Partners",
            "HourlyRate": "60.00",
            "HourlyCap": "55.00",
            "DCSSignedBy": "A. Director",
            "DCSSignedOn": "2025-01-02",
            "ChiefExecutiveSignedBy": "C. Exec",
            "ChiefExecutiveSignedOn": "2025-01-02",
        }
    ]


def test_quarterly_return_writes_nothing_when_something_is_missing(tmp_path, caps, agency_firm):
    services.placement_save(agency=agency_firm, **placement_fields(charge_rate=None))
    employ(person=PersonFactory(swe_number="SW555555"), start=D(2024, 12, 2), agency=True)
    RegionalPriceCap.objects.filter(role_category="team_manager").delete()
    services.placement_save(
        agency=agency_firm, **placement_fields(swe_number="SW900002", role_category="team_manager")
    )
    output = tmp_path / "return.csv"
    with pytest.raises(CommandError) as exc:
        call_command("agency_return", "--quarter", "2025Q1", "--output", str(output))
    message = str(exc.value)
    assert "SW900001: no hourly charge rate" in message
    assert "SW555555: agency worker from 2 December 2024 has no placement details" in message
    assert "SW900002: no South East price cap for Team manager" in message
    assert not output.exists()
    with pytest.raises(CommandError, match="2025Q1"):
        call_command("agency_return", "--quarter", "Q1 2025", "--output", str(output))


def test_importing_the_same_placements_again_updates_them(tmp_path, caps):
    row = "SW900001,New Agency Ltd,social_worker,2025-01-06,,40.00,37,no,yes,4,36\n"
    call_command("import_agency_placements", write(tmp_path, "a.csv", HEADER + row))
    changed = row.replace(",,40.00,", ",2025-03-31,40.00,")
    call_command("import_agency_placements", write(tmp_path, "b.csv", HEADER + changed))
    assert AgencyPlacement.objects.get().end_date == D(2025, 3, 31)


def test_a_second_placement_with_the_same_start_is_refused(caps, agency_firm):
    from django.core.exceptions import ValidationError

    services.placement_save(agency=agency_firm, **placement_fields())
    with pytest.raises(ValidationError) as exc:
        services.placement_save(agency=agency_firm, **placement_fields())
    assert "already exists" in " ".join(exc.value.messages)


def test_the_regional_exchange_needs_the_shared_key(tmp_path, council, settings):
    settings.AGENCY_REGIONAL_LEAVERS_KEY = ""
    output = tmp_path / "leavers.csv"
    with pytest.raises(CommandError, match="AGENCY_REGIONAL_LEAVERS_KEY"):
        call_command(
            "export_regional_leavers",
            "--from", "2024-10-01", "--to", "2025-03-31", "--output", str(output),
        )  # fmt: skip
    assert not output.exists()
    with pytest.raises(CommandError, match="AGENCY_REGIONAL_LEAVERS_KEY"):
        call_command("import_regional_leavers", str(output))


def test_the_same_swe_number_hashes_differently_with_another_regions_key(settings):
    from agency.regional import swe_hash

    settings.AGENCY_REGIONAL_LEAVERS_KEY = "south-east"
    first = swe_hash("sw 123456")
    assert first == swe_hash("SW123456")  # normalised before hashing
    settings.AGENCY_REGIONAL_LEAVERS_KEY = "london"
    assert swe_hash("SW123456") != first
