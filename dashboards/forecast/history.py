"""The council's history as plain arrays, cut off at a date: what the forecast may know.

``History`` holds every assignment of every employment (employed and agency) and every
funded post, as numpy arrays of day numbers. ``known_on(date)`` is the one place the
"only data dated on or before the forecast's start" rule is applied: employments and
assignments starting later are dropped, and leaving dates, assignment ends and post ends
after the date become "not known yet" (open). ``stock_on(date)`` gives the FTE in post
and the establishment on a date, as the DfE definitions do (domain.md s.3: active when
``start <= D`` and the end is empty or after ``D``).

Built from ``workforce.selectors`` (``load_history``) or, in tests, from plain tuples.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import numpy as np

#: A day number meaning "no end yet".
OPEN = 10**8
EPOCH = dt.date(1970, 1, 1)
DAYS_PER_MONTH = 365.25 / 12

#: DfE OrgRole -> the forecast's role groups. Senior practitioners hold cases.
GROUPS = ("case_holders", "managers", "others")
GROUP_LABELS = {"case_holders": "Case holders", "managers": "Managers", "others": "Others"}
ROLE_GROUP = {1: 1, 2: 1, 3: 1, 4: 0, 5: 0, 6: 2}


def day(date: dt.date | None) -> int:
    return OPEN if date is None else (date - EPOCH).days


def date_of(day_number: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(day_number))


@dataclass(frozen=True)
class History:
    """One row per assignment (``emp`` ... ``group``) plus the posts (``post_*``)."""

    emp: np.ndarray  # employment id
    agency: np.ndarray  # bool: agency placement
    start: np.ndarray  # employment start day
    end: np.ndarray  # employment end day (OPEN if none)
    destination: np.ndarray  # DfE LeaverDestination code, 0 if none
    eff_from: np.ndarray
    eff_to: np.ndarray
    fte: np.ndarray
    group: np.ndarray  # index into GROUPS
    post_from: np.ndarray
    post_to: np.ndarray
    post_fte: np.ndarray

    @classmethod
    def from_rows(cls, rows: list[tuple], posts: list[tuple] = ()) -> History:
        """``rows`` as ``workforce.selectors.employment_history_rows``; ``posts`` as
        ``establishment_rows``."""
        n = len(rows)
        cols = list(zip(*rows, strict=True)) if n else [()] * 9
        posts = list(posts)
        pcols = list(zip(*posts, strict=True)) if posts else [()] * 3
        return cls(
            emp=np.array(cols[0], dtype=np.int64),
            agency=np.array([c == "agency" for c in cols[1]], dtype=bool),
            start=np.array([day(d) for d in cols[2]], dtype=np.int64),
            end=np.array([day(d) for d in cols[3]], dtype=np.int64),
            destination=np.array([d or 0 for d in cols[4]], dtype=np.int64),
            eff_from=np.array([day(d) for d in cols[5]], dtype=np.int64),
            eff_to=np.array([day(d) for d in cols[6]], dtype=np.int64),
            fte=np.array([float(f) for f in cols[7]], dtype=float),
            group=np.array([ROLE_GROUP.get(int(r), 2) for r in cols[8]], dtype=np.int64),
            post_from=np.array([day(d) for d in pcols[0]], dtype=np.int64),
            post_to=np.array([day(d) for d in pcols[1]], dtype=np.int64),
            post_fte=np.array([float(f) for f in pcols[2]], dtype=float),
        )

    def known_on(self, date: dt.date) -> History:
        """What was known on ``date``: nothing starting later, no end dated later."""
        d = day(date)
        keep = (self.start <= d) & (self.eff_from <= d)
        end = np.where(self.end > d, OPEN, self.end)
        pkeep = self.post_from <= d
        return replace(
            self,
            emp=self.emp[keep],
            agency=self.agency[keep],
            start=self.start[keep],
            end=end[keep],
            destination=np.where(self.end > d, 0, self.destination)[keep],
            eff_from=self.eff_from[keep],
            eff_to=np.where(self.eff_to > d, OPEN, self.eff_to)[keep],
            fte=self.fte[keep],
            group=self.group[keep],
            post_from=self.post_from[pkeep],
            post_to=np.where(self.post_to > d, OPEN, self.post_to)[pkeep],
            post_fte=self.post_fte[pkeep],
        )

    def records_begin(self) -> int:
        """The day the records are taken to begin: the first recorded leaving date (staff
        who started earlier are there, but nobody who left before it), else the first
        start. Rates are never learnt from before it."""
        ended = self.end[self.end < OPEN]
        if ended.size:
            return int(ended.min())
        return int(self.start.min()) if self.start.size else OPEN

    def in_post_on(self, date: dt.date) -> np.ndarray:
        """Mask of the assignment rows in force, for employments in post, on ``date``."""
        d = day(date)
        return (self.start <= d) & (self.end > d) & (self.eff_from <= d) & (self.eff_to > d)

    def stock_on(self, date: dt.date) -> dict:
        """``{"inpost_fte", "agency_fte", "establishment_fte", "permanence_rate"}`` on a date."""
        mask = self.in_post_on(date)
        inpost = float(self.fte[mask & ~self.agency].sum())
        agency = float(self.fte[mask & self.agency].sum())
        d = day(date)
        posts = (self.post_from <= d) & (self.post_to > d)
        total = inpost + agency
        return {
            "inpost_fte": inpost,
            "agency_fte": agency,
            "establishment_fte": float(self.post_fte[posts].sum()),
            "permanence_rate": 100.0 * inpost / total if total else None,
        }

    def last_terms(self, date: dt.date) -> dict[str, np.ndarray]:
        """One row per employment known on ``date``: its start, end, agency flag, and the
        group and FTE of its latest assignment starting on or before ``date`` (for a
        leaver, the terms they left on)."""
        d = day(date)
        rows = np.flatnonzero((self.start <= d) & (self.eff_from <= d))
        if rows.size == 0:
            empty = np.array([], dtype=np.int64)
            return {
                "start": empty,
                "end": empty,
                "agency": empty.astype(bool),
                "group": empty,
                "fte": empty.astype(float),
                "destination": empty,
            }
        order = rows[np.lexsort((self.eff_from[rows], self.emp[rows]))]
        emp = self.emp[order]
        last = order[np.r_[emp[1:] != emp[:-1], True]]
        end = np.where(self.end[last] > d, OPEN, self.end[last])
        return {
            "start": self.start[last],
            "end": end,
            "agency": self.agency[last],
            "group": self.group[last],
            "fte": self.fte[last],
            "destination": np.where(self.end[last] > d, 0, self.destination[last]),
        }


def load_history(*, as_of: dt.date) -> History:
    """The council's history up to ``as_of`` through the workforce selectors."""
    from workforce.selectors import employment_history_rows, establishment_rows

    return History.from_rows(
        employment_history_rows(as_of=as_of), establishment_rows(as_of=as_of)
    ).known_on(as_of)


def agency_returns(*, as_of: dt.date, lookback_months: int = 36) -> tuple[int, int] | None:
    """(came back, left to agency): employed leavers to agency (DfE destination 3) in the
    ``lookback_months`` to ``as_of`` and how many of them were back at the council as
    agency workers by ``as_of``. None when nobody left to agency."""
    from dateutil.relativedelta import relativedelta
    from django.db.models import Exists, OuterRef

    from workforce.choices import ContractType, LeaverDestination
    from workforce.models import Employment

    since = as_of - relativedelta(months=lookback_months)
    back_as_agency = Employment.objects.filter(
        person=OuterRef("person"),
        contract_type=ContractType.AGENCY,
        start_date__gte=OuterRef("end_date"),
        start_date__lte=as_of,
    )
    leavers = (
        Employment.objects.exclude(contract_type=ContractType.AGENCY)
        .filter(
            leaving_destination=LeaverDestination.AGENCY,
            end_date__gt=since,
            end_date__lte=as_of,
        )
        .annotate(back=Exists(back_as_agency))
    )
    total = leavers.count()
    if not total:
        return None
    return leavers.filter(back=True).count(), total
