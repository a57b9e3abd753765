"""Code sets of the agency register. DfE's role categories and the rule codes live here, once."""

from django.db import models

from workforce.choices import OrgRole


class RoleCategory(models.TextChoices):
    """DfE's five role categories for agency price caps and the quarterly return."""

    SOCIAL_WORKER = "social_worker", "Social worker"
    SENIOR_SOCIAL_WORKER = "senior_social_worker", "Senior social worker"
    ADVANCED_PRACTITIONER = "advanced_practitioner", "Advanced practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"
    IRO_CP_CHAIR = "iro_cp_chair", "IRO / child protection conference chair"


#: The DfE role (OrgRole) each category counts under in KPI scopes.
ORG_ROLE_OF_CATEGORY = {
    RoleCategory.SOCIAL_WORKER: OrgRole.CASE_HOLDER,
    RoleCategory.SENIOR_SOCIAL_WORKER: OrgRole.SENIOR_PRACTITIONER,
    RoleCategory.ADVANCED_PRACTITIONER: OrgRole.SENIOR_PRACTITIONER,
    RoleCategory.TEAM_MANAGER: OrgRole.FIRST_LINE_MANAGER,
    RoleCategory.IRO_CP_CHAIR: OrgRole.QUALIFIED_NO_CASES,
}


class Rule(models.TextChoices):
    """The DfE agency rules the register checks (see docs/agency-rules.md)."""

    PQE = "PQE", "Post-qualification experience"
    COOLING_OFF = "COOLING_OFF", "Cooling-off after a permanent role"
    CAP = "CAP", "Regional price cap"
    NOTICE = "NOTICE", "Notice period"
    REFERENCE = "REFERENCE", "Practice-based references"
    PROJECT_TEAM = "PROJECT_TEAM", "Project teams and packaged models"


class SignOffRole(models.TextChoices):
    """Who must sign off pay above the regional cap: both of them."""

    DCS = "dcs", "Director of Children's Services"
    CHIEF_EXECUTIVE = "chief_executive", "Chief executive"


def role_category_for(org_role: int | None, grade_name: str = "") -> str:
    """The DfE role category suggested by a worker's DfE role and local grade (editable)."""
    if "advanced" in (grade_name or "").lower():
        return RoleCategory.ADVANCED_PRACTITIONER
    if org_role in (OrgRole.SENIOR_MANAGER, OrgRole.MIDDLE_MANAGER, OrgRole.FIRST_LINE_MANAGER):
        return RoleCategory.TEAM_MANAGER
    if org_role == OrgRole.SENIOR_PRACTITIONER:
        return RoleCategory.SENIOR_SOCIAL_WORKER
    if org_role == OrgRole.QUALIFIED_NO_CASES:
        return RoleCategory.IRO_CP_CHAIR
    return RoleCategory.SOCIAL_WORKER
