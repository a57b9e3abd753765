"""factory_boy factories for the workforce core, used by every app's tests.

Factories build records directly; tests of behaviour call ``workforce.services`` so the
same rules apply as for users. ``employ(...)`` is the quick way to get a person in post:
it records them through the services as the demo council does, with the database
checking keys and constraints (``core.validation.checked_by_database``; the services'
own rules still apply). Nearly half of recording a starter was the validation's
per-field queries, and test data is recorded thousands of times a run; a test of what
the services refuse calls them itself.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
import factory.random

from core.locking import UNCHECKED
from core.validation import checked_by_database
from workforce import models, services
from workforce.choices import ContractType, OrgRole

#: Faker's names and factory_boy's random choices are drawn from this seed, so a test
#: gets the same people whatever ran before it (see ``reseed`` and tests/conftest.py).
FAKER_SEED = 20251


def reseed(key: str = "") -> None:
    """Restart Faker's and factory_boy's random stream from ``FAKER_SEED`` and ``key``
    (a test's id): the same key, the same names, in any order and on any xdist worker."""
    factory.random.reseed_random(f"{FAKER_SEED}:{key}")


reseed()


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ServiceArea
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Service area {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")
    service_area = factory.SubFactory(ServiceAreaFactory)
    is_case_holding = True


class GradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Grade
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Grade {n}")
    default_org_role = OrgRole.CASE_HOLDER


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Agency {n}")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Post

    reference = factory.Sequence(lambda n: f"P{n:05d}")
    team = factory.SubFactory(TeamFactory)
    grade = factory.SubFactory(GradeFactory)
    fte = Decimal("1")
    valid_from = dt.date(2010, 1, 1)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    swe_number = factory.Sequence(lambda n: f"SW{n + 100000:06d}")
    staff_ref = factory.Sequence(lambda n: f"E{n + 1000}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = dt.date(1985, 5, 17)
    gender = 2
    ethnicity = "WBRI"
    qualification_route = "university"


def employ(
    *,
    person: models.Person | None = None,
    team: models.Team | None = None,
    start: dt.date = dt.date(2020, 1, 6),
    end: dt.date | None = None,
    fte: str | Decimal = "1",
    agency: bool = False,
    org_role: int = OrgRole.CASE_HOLDER,
    is_asye: bool = False,
    reason: int = 1,
    destination: int = 1,
    **extra,
) -> models.Employment:
    """A person employed (or placed by an agency) in ``team`` from ``start`` (to ``end``),
    recorded through the services."""
    person = person or PersonFactory()
    team = team or TeamFactory()
    with checked_by_database():
        employment = services.starter_record(
            person=person,
            contract_type=ContractType.AGENCY if agency else ContractType.PERMANENT,
            agency=AgencyFactory() if agency else None,
            start_date=start,
            team=team,
            org_role=org_role,
            fte=Decimal(str(fte)),
            is_asye=is_asye,
            start_origin=None if agency else 2,
            **extra,
        )
        if end is not None:
            services.leaver_record(
                employment=employment,
                end_date=end,
                leaving_reason=None if agency else reason,
                leaving_destination=None if agency else destination,
                version=UNCHECKED,
            )
            employment.refresh_from_db()
    return employment
