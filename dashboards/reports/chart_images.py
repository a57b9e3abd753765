"""Plotly figures to PNG images for the report packs, through one kaleido browser.

kaleido draws each figure in a Chromium tab holding plotly.js. After every figure it
reloads that tab, loading and compiling plotly.js (3.5 MB) again: about 200 ms of
Chromium CPU a chart, where drawing the chart itself takes 30 ms (measured in
docs/benchmarks.md). ``Plotly.toImage`` draws each figure in a new element and removes it
when done, so nothing of one chart is left for the next; the tab here is reloaded after
every ``RELOAD_EVERY`` charts, which bounds what a long-lived worker's tab could gather
(its console log, for instance).

One browser per process, started when first needed and kept open (a Celery worker
process builds many packs); a process started by forking one that had a browser starts
its own. If the browser stops (killed, crashed), the next pack starts another.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading

import kaleido

#: Charts drawn in a tab before it is reloaded.
RELOAD_EVERY = 25
#: The size the Word and PDF files place the charts at.
WIDTH, HEIGHT = 800, 450


class _Kaleido(kaleido.Kaleido):
    """kaleido's renderer, reloading its tab every ``RELOAD_EVERY`` charts, not every one."""

    drawn = 0

    async def _return_kaleido_tab(self, tab) -> None:
        self.drawn += 1
        if self.drawn % RELOAD_EVERY == 0:
            await tab.reload()
        await self.tabs_ready.put(tab)


class _Renderer:
    """A kaleido browser open in an event loop on a thread of its own."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.kaleido = _Kaleido(n=1)
        self._run(self.kaleido.open())

    def _run(self, coroutine, timeout: float | None = None):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def pngs(self, figures) -> list[bytes]:
        opts = {"format": "png", "width": WIDTH, "height": HEIGHT, "scale": 1}
        return [self._run(self.kaleido.calc_fig(figure, opts=opts)) for figure in figures]

    def close(self) -> None:
        try:
            self._run(self.kaleido.close(), timeout=10)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)


_lock = threading.Lock()
_renderer: _Renderer | None = None


def pngs(figures) -> list[bytes]:
    """Each Plotly figure of ``figures`` as a PNG image, in order."""
    global _renderer
    figures = list(figures)
    if not figures:
        return []
    with _lock:
        if _renderer is None or _renderer.pid != os.getpid():
            _renderer = _Renderer()
        try:
            return _renderer.pngs(figures)
        except Exception:
            # The browser may have stopped: the next pack starts another one.
            stale, _renderer = _renderer, None
            if stale.pid == os.getpid():
                with contextlib.suppress(Exception):  # it is being replaced anyway
                    stale.close()
            raise
