"""Pay benchmarking (issue 14): neighbours' pay ranges per role loaded from a CSV (all or
nothing, every problem with its row), and where the council's own grade ranges sit among
them - Tameside's Greater Manchester comparison (seed 004) as the worked example."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pandas as pd
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from dashboards.charts import pay_range_chart
from pay.benchmark_demo import benchmark_csv
from pay.benchmark_selectors import benchmark_comparison
from pay.benchmark_services import pay_benchmarks_import
from pay.models import GradePointRange, PayBenchmark
from pay.selectors import Spine
from tests.factories import GradeFactory
from workforce.models import Council

pytestmark = pytest.mark.django_db
GOOD = (
    b"Council,Role,PayYear,Minimum,Maximum\n"
    b"Wigan,asye,2021/22,33486,38553\n"
    b"Bolton,Newly qualified social worker (ASYE),2021-22,31895.00,35336\n"
)


def test_a_csv_loads_and_a_second_load_replaces(tmp_path):
    path = tmp_path / "gm.csv"
    path.write_bytes(GOOD)
    out = StringIO()
    call_command("import_pay_benchmarks", str(path), "--source", "GM pay scales", stdout=out)
    assert "Loaded 2 pay ranges: 2 added, 0 replaced" in out.getvalue()
    assert sorted(PayBenchmark.objects.values_list("council", "role", "pay_year", "minimum")) == [
        ("Bolton", "asye", "2021/22", Decimal("31895.00")),
        ("Wigan", "asye", "2021/22", Decimal("33486.00")),
    ]
    assert set(PayBenchmark.objects.values_list("source", flat=True)) == {"GM pay scales"}
    result = pay_benchmarks_import(
        data=b"Council,Role,PayYear,Minimum,Maximum\nwigan,asye,2021/22,34000,39000\n"
    )
    assert (result.created, result.updated) == (0, 1)
    assert PayBenchmark.objects.get(council__iexact="wigan").maximum == Decimal("39000")


def test_every_problem_is_reported_with_its_row_and_nothing_is_saved(tmp_path, capsys):
    data = (
        "Council,Role,PayYear,Minimum,Maximum\n"
        "Wigan,asye,2021/22,33486,38553\n"  # fine, but not saved
        ",asye,2021/22,1,2\n"  # no council, not salaries
        "Bury,chief,2021/22,30000,31000\n"  # unknown role
        "Bury,asye,2021/23,30000,31000\n"  # not a pay year
        "Bury,asye,2021/22,32000,31000\n"  # max below min
        "=cmd,asye,2021/22,30000,31000\n"  # formula
        "Wigan,asye,2021/22,33000,38000\n"  # repeat
        "Oldham,asye,2021/22,1E5,3O000\n"
    )
    path = tmp_path / "bad.csv"
    path.write_text(data)
    with pytest.raises(CommandError, match="10 error"):
        call_command("import_pay_benchmarks", str(path))
    err = capsys.readouterr().err
    for expected in (
        "row 3, Council: Missing",
        "row 3, Minimum = '1': Not a full-time annual salary",
        "row 3, Maximum = '2'",
        "row 4, Role = 'chief': Unknown role",
        "row 5, PayYear = '2021/23': Not a pay year",
        "row 6, Maximum = '31000': Below the minimum",
        "row 7, Council = '=cmd': Cannot start with",
        "row 8, Council = 'Wigan': Also in row 2",
        "row 9, Minimum = '1E5'",
        "row 9, Maximum = '3O000'",
    ):
        assert expected in err
    assert not PayBenchmark.objects.exists()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"Council,Role,Year,Min,Max\nA,asye,2021/22,1,2\n", "missing: PayYear, Minimum, Maximum"),
        (b"Council,Role,PayYear,Minimum,Maximum\n", "no pay ranges"),
        (b"PK\x03\x04zip", "CSV"),
    ],
)
def test_a_file_that_is_not_a_benchmark_csv_gets_one_message(data, words):
    with pytest.raises(ValidationError) as exc:
        pay_benchmarks_import(data=data)
    assert any(words in m for m in exc.value.messages), exc.value.messages


@pytest.fixture
def greater_manchester(spine):
    """Our grades on Tameside's points (ASYE 29-31, experienced 29-34, team manager 40-43)
    and the other nine Greater Manchester councils' published ranges (seed 004)."""
    Council.objects.create(name="Tameside", lea_code="357")
    for name, role, low, high in (
        ("Level 1 (ASYE)", "asye", 29, 31),
        ("Level 3 social worker", "senior_social_worker", 29, 34),
        ("Team manager", "team_manager", 40, 43),
    ):
        GradePointRange.objects.create(
            grade=GradeFactory(name=name), min_scp=low, max_scp=high,
            effective_from=dt.date(2021, 4, 1), benchmark_role=role,
        )  # fmt: skip
    pay_benchmarks_import(data=benchmark_csv(Spine()))


def test_our_ranges_sit_among_the_neighbours_as_in_tamesides_paper(greater_manchester):
    rows = {r.role: r for r in benchmark_comparison(pay_year="2021/22", council_name="Tameside")}
    asye = rows["asye"]
    # the loaded Tameside row is not counted as a neighbour: ours come from our grades
    assert asye.neighbours == 9 and asye.councils == 10
    assert (asye.ours.minimum, asye.ours.maximum) == (Decimal("33486.00"), Decimal("35336.00"))
    # 3.13: "Tameside offers the joint highest entry pay for ASYE"
    assert asye.minimum_rank == 1
    assert [r.council for r in asye.ranges if r.minimum == asye.ours.minimum] == [
        "Wigan", "Tameside"
    ]  # fmt: skip
    # 3.14: experienced social workers' entry pay "remains fixed at SCP 29" - near the bottom
    senior = rows["senior_social_worker"]
    assert senior.minimum_rank == 7 and senior.councils == 9
    # 3.15: "Tameside resumes a higher position" for team managers: only Wigan and Bury
    # start higher (joint 3rd), and only Wigan's maximum is higher
    assert rows["team_manager"].minimum_rank == 3
    assert rows["team_manager"].maximum_rank == 2
    assert rows["team_manager"].median_maximum == Decimal("47665")
    # a later year is the same points on that year's spine, ours too
    later = {r.role: r for r in benchmark_comparison(pay_year="2025/26", council_name="Tameside")}
    assert later["asye"].minimum_rank == 1
    assert later["asye"].ours.minimum > asye.ours.minimum + 5000


def test_every_role_sees_the_page_with_its_table_and_chart(greater_manchester, client, make_user):
    for role in ("Scrutiny member", "Director", "HR officer"):
        client.force_login(make_user(role))
        page = client.get("/pay/benchmarking/?year=2021/22")
        assert page.status_code == 200
        html = page.content.decode()
        assert "Tameside (this council)" in html and "Wigan" in html
        assert "highest of 10" in html  # our ASYE minimum
        assert 'data-chart-for="pay-range-0"' in html and "plotly.min.js" in html
        assert "Load neighbours" not in html  # only admins load ranges
    client.force_login(make_user("Admin"))
    assert "Load neighbours" in client.get("/pay/benchmarking/").content.decode()
    bad_year = client.get("/pay/benchmarking/?year=1999/00")
    assert bad_year.status_code == 200 and "Choose a pay year" in bad_year.content.decode()


def test_the_page_says_when_nothing_is_loaded(client, make_user):
    client.force_login(make_user("Lead member"))
    page = client.get("/pay/benchmarking/")
    assert "No neighbours' pay ranges are loaded yet." in page.content.decode()


def test_an_admin_uploads_ranges_in_the_browser(client, make_user):
    client.force_login(make_user("HR officer"))
    assert client.get("/pay/benchmarking/upload/").status_code == 403
    client.force_login(make_user("Admin"))
    bad = client.post(
        "/pay/benchmarking/upload/",
        {"file": SimpleUploadedFile("gm.csv", GOOD + b"Bury,asye,2021/22,lots,31000\n")},
    )
    html = bad.content.decode()
    assert bad.status_code == 200 and "nothing was saved" in html
    assert "row 4, Minimum = &#x27;lots&#x27;" in html
    assert not PayBenchmark.objects.exists()
    good = client.post(
        "/pay/benchmarking/upload/",
        {"file": SimpleUploadedFile("gm.csv", GOOD), "source": "GM pay scales Oct 2022"},
    )
    assert good.status_code == 302 and PayBenchmark.objects.count() == 2
    assert "2 pay ranges loaded" in client.get(good.url).content.decode()


def test_the_api_gives_the_same_comparison(greater_manchester, client, make_user):
    client.force_login(make_user("Scrutiny member"))
    data = client.get("/api/pay-benchmarks/?year=2021/22").json()
    assert data["pay_year"] == "2021/22" and "2025/26" in data["pay_years"]
    asye = next(r for r in data["roles"] if r["role"] == "asye")
    assert asye["ours"] == {"minimum": 33486.0, "maximum": 35336.0}
    assert asye["minimum_rank"] == 1 and len(asye["ranges"]) == 10
    assert client.get("/api/pay-benchmarks/?year=nonsense").status_code == 400


def test_the_chart_draws_each_range_and_marks_ours_by_more_than_colour():
    df = pd.DataFrame(
        [
            {"council": "Wigan", "minimum": 33486, "maximum": 38553, "ours": False},
            {"council": "Us (this council)", "minimum": 33486, "maximum": 35336, "ours": True},
        ]
    )
    fig = json.loads(pay_range_chart(df, title="ASYE").to_json())
    neighbours, ours = fig["data"]
    assert neighbours["base"] == [33486] and neighbours["x"] == [38553 - 33486]
    assert ours["name"] == "This council" and ours["marker"]["pattern"]["shape"] == "/"
    assert fig["layout"]["yaxis"]["categoryarray"] == ["Wigan", "Us (this council)"]
