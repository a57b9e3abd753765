"""Login lockout (django-axes) by account-and-address, by address and by account.

ASVS 4.0.3 V2.2.1 asks for anti-automation that works against brute force, credential
stuffing and password spraying without letting an attacker lock people out at will, and
for no more than 100 failed attempts an hour on one account. Locking by username and
address alone (what this app did) counts nothing against someone trying many accounts, or
one account from many addresses; locking by username alone lets anyone lock the director
out with five wrong passwords. So three counters, each with its own limit, within
``AXES_COOLOFF_TIME`` (``LOGIN_LOCKOUT_LIMITS``):

- username and address (5): someone guessing one person's password from one place; the
  person signing in from elsewhere is not affected;
- address (30): one client trying many accounts (spraying), yet a council office behind
  one address survives its staff's typos;
- username (100): one account tried from many addresses (a botnet); at the ASVS ceiling,
  so locking someone out takes a sustained attack, which the access log shows.

Axes compares one number (``get_failures``) with one ``AXES_FAILURE_LIMIT``; this handler
answers, for the counter nearest its limit, ``AXES_FAILURE_LIMIT - (limit - count)``, so
axes locks out exactly when one of the counters reaches its own limit.
"""

from __future__ import annotations

from axes.conf import settings as axes_settings
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def _key(parameter) -> str:
    return parameter if isinstance(parameter, str) else "+".join(parameter)


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        limits = settings.LOGIN_LOCKOUT_LIMITS
        base = int(axes_settings.AXES_FAILURE_LIMIT)
        parameters = axes_settings.AXES_LOCKOUT_PARAMETERS
        nearest = 0
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=True
        ):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if count:
                nearest = max(nearest, base - (limits[_key(parameter)] - count))
        return nearest
