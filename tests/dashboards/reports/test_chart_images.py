"""The report packs' chart images: one kaleido browser, its tab reloaded only now and then."""

from __future__ import annotations

import os
import signal
import struct

import plotly.graph_objects as go
import pytest

from dashboards.reports import chart_images


def _bars(values, title):
    return go.Figure(go.Bar(x=["a", "b", "c"], y=values), layout={"title": title})


def _size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG image"
    return struct.unpack(">II", png[16:24])


@pytest.fixture
def reload_often(monkeypatch):
    monkeypatch.setattr(chart_images, "RELOAD_EVERY", 2)


def test_each_chart_is_drawn_alone_whatever_was_drawn_before_it(reload_often):
    rising, falling = _bars([1, 2, 3], "Rising"), _bars([3, 2, 1], "Falling")

    first = chart_images.pngs([rising, falling, rising, rising, falling])

    assert {_size(png) for png in first} == {(chart_images.WIDTH, chart_images.HEIGHT)}
    assert first[0] != first[1]  # two charts, two pictures
    # The same chart gives the same picture, before and after a tab reload, and in
    # another batch in another order: nothing of one chart is left in the next.
    assert first[0] == first[2] == first[3]
    assert first[1] == first[4]
    assert chart_images.pngs([falling, rising]) == [first[1], first[0]]


def test_a_browser_that_stopped_is_replaced_by_the_next_batch():
    chart = _bars([1, 2, 3], "Rising")
    drawn = chart_images.pngs([chart])
    os.kill(chart_images._renderer.kaleido.subprocess.pid, signal.SIGKILL)

    with pytest.raises(Exception):  # noqa: B017, PT011 - whatever kaleido raises
        chart_images.pngs([chart])

    assert chart_images.pngs([chart]) == drawn
