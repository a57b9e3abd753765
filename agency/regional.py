"""The regional leavers exchange: councils in a region check cooling-off against each
other's permanent leavers without sharing names or SWE numbers.

A leaver travels as an HMAC-SHA256 of their SWE number keyed with the region's shared
secret (``settings.AGENCY_REGIONAL_LEAVERS_KEY``), their leaving date and the council's LA
code. Without the key the hash cannot be turned back into a number, even by trying every
possible SWE number.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FILE_COLUMNS = ["SWEHash", "LeavingDate", "LACode"]


def regional_key() -> bytes:
    key = getattr(settings, "AGENCY_REGIONAL_LEAVERS_KEY", "")
    if not key:
        raise ImproperlyConfigured(
            "Set AGENCY_REGIONAL_LEAVERS_KEY (the key the region's councils share) to "
            "exchange regional leavers."
        )
    return key.encode()


def swe_hash(swe_number: str) -> str:
    """The keyed hash of a SWE number (normalised: upper case, no spaces)."""
    number = "".join((swe_number or "").split()).upper()
    try:
        key = regional_key()
    except ImproperlyConfigured:
        return ""
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()
