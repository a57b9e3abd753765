"""The four councils' papers load as printed: counts per council, numbering, responses,
officers and dates; loading twice adds nothing; a bad file names the problem and saves
nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from recommendations import selectors
from recommendations.demo import SEED_FILE
from recommendations.models import Action, Recommendation, Review
from recommendations.services import recommendations_load

pytestmark = pytest.mark.django_db

SURREY = "Surrey County Council"
BUCKS = "Buckinghamshire Council"
KENT = "Kent County Council"
TAMESIDE = "Tameside Metropolitan Borough Council"


@pytest.fixture
def loaded():
    return recommendations_load(path=SEED_FILE)


def _numbers(council, title):
    review = Review.objects.get(committee__council=council, title=title)
    return [r.number for r in review.recommendations.all()]


def test_counts_per_council_as_printed(loaded):
    assert selectors.recommendation_counts_by_council() == {
        BUCKS: 18,  # 1-18
        KENT: 1,  # 9.1, an update for the committee to consider and comment on
        SURREY: 22,  # Cabinet response: 1-6 with 5a-5m (19); minutes: 1-3
        TAMESIDE: 9,  # 5.1-5.9
    }
    assert loaded.recommendations == 50


def test_surrey_numbering_sub_items_and_cabinet_responses(loaded):
    assert _numbers(SURREY, "Children's Social Care Workforce") == [
        "1", "2", "3", "4", "5", "5a", "5b", "5c", "5d", "5e", "5f", "5g", "5h", "5i", "5j",
        "5k", "5l", "5m", "6",
    ]  # fmt: skip
    five = Recommendation.objects.get(review__committee__council=SURREY, number="5",
                                      review__title="Children's Social Care Workforce")  # fmt: skip
    assert five.children.count() == 13
    five_a = five.children.get(number="5a")
    assert five_a.text.startswith("Ensure a face-to-face exit interview is offered")
    assert five_a.response.decision_body == "Cabinet 25 April 2023"
    assert five_a.response.response_date == dt.date(2023, 4, 25)
    assert five_a.response.decision_display == "Not stated"
    assert "£5,000 per annum" in Recommendation.objects.get(review=five.review, number="1").text
    two = Recommendation.objects.get(review=five.review, number="2")
    assert (two.kpi_key, int(two.kpi_target)) == ("permanence_rate", 85)
    assert Recommendation.objects.filter(review=five.review, response__isnull=False).count() == 19


def test_surrey_minutes_recommendations_and_actions(loaded):
    minutes = Review.objects.get(committee__council=SURREY, kind="minutes")
    assert [r.number for r in minutes.recommendations.all()] == ["1", "2", "3"]
    actions = Action.objects.filter(review=minutes)
    assert actions.count() == 2
    assert {a.due_date for a in actions} == {dt.date(2022, 11, 30)}


def test_tameside_table_as_printed(loaded):
    title = "Review on Children's Workforce Strategy – Social Worker Recruitment and Retention"
    assert _numbers(TAMESIDE, title) == [f"5.{n}" for n in range(1, 10)]
    recs = {r.number: r for r in Review.objects.get(title=title).recommendations.all()}
    assert recs["5.1"].response.action_by == "Quarterly review"
    assert recs["5.1"].response.action_by_date is None
    assert recs["5.2"].response.officer_responsible == "Tony DeCrop / Tracy Brennand"
    assert recs["5.2"].response.action_by == "February 2023"
    assert recs["5.2"].response.action_by_date == dt.date(2023, 2, 28)
    assert recs["5.5"].response.officer_responsible == "Tony DeCrop / Paula Sumner / Louise Dillon"
    assert all(r.response.decision == "accepted" for r in recs.values())
    assert all("Tracy Brennand" in r.lead_officers for r in recs.values())
    assert all(r.response.response_date == dt.date(2023, 1, 20) for r in recs.values())
    # overdue since: 5.2's action-by date passed without a progress update
    assert selectors.action_by_overdue(recommendation=recs["5.2"], as_of=dt.date(2023, 3, 1))
    assert not selectors.action_by_overdue(recommendation=recs["5.2"], as_of=dt.date(2023, 2, 28))


def test_buckinghamshire_and_kent(loaded):
    bucks = Review.objects.get(committee__council=BUCKS)
    assert _numbers(BUCKS, bucks.title) == [str(n) for n in range(1, 19)]
    assert bucks.monitoring_months == [6, 12]
    assert not Recommendation.objects.filter(review=bucks, response__isnull=False).exists()
    kent = Review.objects.get(committee__council=KENT)
    assert kent.kind == "update_for_noting"
    update = kent.recommendations.get().updates.get()
    assert "75.5% of posts were filled by permanent employees" in update.text


def test_loading_twice_adds_nothing():
    recommendations_load(path=SEED_FILE)
    again = recommendations_load(path=SEED_FILE)
    assert again.reviews_created == 0 and again.reviews_skipped == 5
    assert Recommendation.objects.count() == 50


def test_a_bad_file_names_the_problem_and_saves_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "councils:\n"
        "  - council: Demo\n    committee: Panel\n    reviews:\n"
        "      - title: Review\n        recommendations:\n"
        "          - {number: '1', text: 'Fine'}\n"
        "          - {number: '2', text: 'Bad date', response: {text: 'Yes', date: 2023-02-30}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        recommendations_load(path=bad)
    assert "recommendation 2" in caught.value.messages[0]
    assert "is not a date" in caught.value.messages[0]
    assert Recommendation.objects.count() == 0


def test_load_command(capsys):
    call_command("load_recommendations")
    assert "Recommendations: 50" in capsys.readouterr().out


BAD_FILE = """\
councils:
  - council: Demo
    committee: Panel
    reviews:
      - title: Review one
        monitoring_months: 6
        recommendations:
          - {number: '1', text: 'Fine', kpi: {key: caseload, target: lots}}
          - number: '2'
            text: Bad date
            response: {text: 'Yes', date: 2023-02-30}
            updates: not a list
          - just a sentence
      - title: Review two
        monitoring_months: [6, 120]
        recomendations: []
        actions:
          - {number: '1', description: 'Report back', due_date: 'soon'}
  - council: Other
    reviews: 3
"""


def test_a_bad_file_is_checked_whole_and_every_problem_is_said_with_where_it_is(tmp_path):
    """A non-list monitoring_months used to crash the loader (TypeError); now the whole
    file is checked and each problem reported with its place, and nothing is saved."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_FILE, encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        recommendations_load(path=bad)
    messages = caught.value.messages
    where = f"{bad}, council 1 (Demo), review 1"
    assert f"{where}: monitoring_months: '6' is not a list of months" in messages[0]
    expected = [
        f"{where}, recommendation 1, kpi: target: 'lots' is not a number.",
        f"{where}, recommendation 2: updates: expected a list, not 'not a list'.",
        f"{where}, recommendation 2, response: date: '2023-02-30' is not a date (YYYY-MM-DD).",
        f"{where}, recommendation #3: expected a recommendation with named fields "
        "(title: ..., text: ...), not 'just a sentence'.",
        f"{bad}, council 1 (Demo), review 2: 'recomendations' is not a field of a review "
        "(expected: title, kind, report_date, meeting, paper_url, chair, summary, "
        "monitoring_months, response_defaults, recommendations, actions).",
        f"{bad}, council 1 (Demo), review 2, action 1: due_date: 'soon' is not a date "
        "(YYYY-MM-DD).",
        f"{bad}, council 2 (Other): reviews: expected a list, not '3'.",
        f"{bad}, council 2 (Other): give the committee's name (committee: ...).",
    ]
    for message in expected:
        assert message in messages, (message, messages)
    assert any("review 2: monitoring_months: '[6, 120]'" in m for m in messages)
    assert len(messages) == len(expected) + 2
    assert Review.objects.count() == 0 and Recommendation.objects.count() == 0


def test_the_services_problems_are_all_reported_too_and_nothing_is_saved(tmp_path):
    """A file of the right shape whose values a service refuses: every refusal, each
    with where it is, not only the first."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "councils:\n"
        "  - council: Demo\n    committee: Panel\n    reviews:\n"
        "      - title: Review\n        recommendations:\n"
        "          - {number: '1', text: ''}\n"
        "          - {number: '2', text: 'Fine', response: {decision: maybe, text: 'Yes'}}\n"
        "          - {number: '3', text: 'Fine'}\n"
        "        actions:\n"
        "          - {number: '1', recommendation: '9', description: 'Report back'}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        recommendations_load(path=bad)
    messages = caught.value.messages
    where = f"{bad}, council 1 (Demo), review 1"
    assert any(m.startswith(f"{where}, recommendation 1: ") for m in messages), messages
    assert any(m.startswith(f"{where}, recommendation 2: ") for m in messages), messages
    assert f"{where}, action 1: there is no recommendation 9 in this review." in messages
    assert Review.objects.count() == 0 and Recommendation.objects.count() == 0


def test_the_command_lists_every_problem_and_loads_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_FILE, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("load_recommendations", str(bad))
    text = str(caught.value)
    assert text.startswith("Nothing was loaded: 10 problems in the file.")
    assert "\n- " in text and "monitoring_months" in text and "council 2 (Other)" in text
