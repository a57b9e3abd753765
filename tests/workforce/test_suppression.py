"""Small numbers are hidden from scrutiny members, and totals never give them away."""

from hypothesis import given, settings
from hypothesis import strategies as st

from workforce.suppression import suppress_counts, suppress_grid


def test_counts_under_five_are_shown_as_fewer_than_five_and_zero_is_shown():
    cells, total = suppress_counts({"pay": 12, "workload": 3, "culture": 0, "travel": 7})
    assert str(cells["workload"]) == "fewer than 5"
    assert str(cells["culture"]) == "0"
    assert str(cells["pay"]) == "12"


def test_a_single_hidden_cell_takes_the_smallest_other_cell_with_it():
    cells, total = suppress_counts({"pay": 12, "workload": 3, "travel": 7})
    # 22 - 12 - 7 would reveal workload = 3, so travel (the smallest visible) is hidden too.
    assert cells["workload"].suppressed and cells["travel"].suppressed
    assert cells["pay"].value == 12
    assert total.value == 22


def test_a_hidden_cell_alone_in_its_line_hides_the_total():
    cells, total = suppress_counts({"pay": 3, "workload": 0})
    assert cells["pay"].suppressed
    assert total.suppressed


def test_threshold_is_configurable(settings):
    settings.SUPPRESSION_THRESHOLD = 10
    cells, _ = suppress_counts({"a": 7, "b": 20, "c": 30})
    assert str(cells["a"]) == "fewer than 10"


def test_rates_from_hidden_counts_are_hidden():
    cells, total = suppress_counts({"a": 2, "b": 3, "c": 40})
    assert cells["a"].rate_of(total) is None
    assert cells["c"].rate_of(total) == 40 / 45 * 100


def test_grid_rows_and_columns_are_both_protected():
    grid = {
        ("Q1", "pay"): 10, ("Q1", "bullying"): 2, ("Q1", "workload"): 9,
        ("Q2", "pay"): 8, ("Q2", "bullying"): 6, ("Q2", "workload"): 11,
    }  # fmt: skip
    cells, rows, cols = suppress_grid(grid)
    _assert_safe(grid, cells, rows, cols)
    assert cells[("Q1", "bullying")].suppressed


def _assert_safe(grid, cells, rows, cols):
    """No shown total, less the visible cells of its line, pins down a single hidden cell."""
    for totals, axis in ((rows, 0), (cols, 1)):
        for name, total in totals.items():
            line = [key for key in grid if key[axis] == name]
            hidden = [key for key in line if cells[key].suppressed]
            if total.suppressed:
                continue
            assert len(hidden) != 1, f"{name}: the total reveals {hidden[0]}"
    for key, value in grid.items():
        if 0 < value < 5:
            assert cells[key].suppressed


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.sampled_from("ABCD"), st.sampled_from("wxyz")),
        st.integers(min_value=0, max_value=30),
        min_size=1,
    )
)
def test_no_total_ever_reveals_a_hidden_cell(grid):
    cells, rows, cols = suppress_grid(grid)
    _assert_safe(grid, cells, rows, cols)
