"""Code sets used by the workforce records. DfE census (CSWW) codes live here, once.

The integer values of the DfE code sets are the census item values, so an imported
return stores exactly what DfE defines and an exported one writes it back unchanged.
"""

from django.db import models


class Gender(models.IntegerChoices):
    """DfE ``GenderCurrent``."""

    NOT_KNOWN = 0, "Not known"
    MALE = 1, "Male"
    FEMALE = 2, "Female"
    NOT_SPECIFIED = 9, "Not specified"


class Ethnicity(models.TextChoices):
    """DfE ``Ethnicity`` codes."""

    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy / Roma"
    WIRT = "WIRT", "Traveller of Irish heritage"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class QualificationRoute(models.TextChoices):
    """How the person qualified as a social worker (the council's own code set)."""

    UNIVERSITY = "university", "University degree"
    STEP_UP = "step_up", "Step Up to Social Work"
    FRONTLINE = "frontline", "Frontline"
    APPRENTICESHIP = "apprenticeship", "Social work degree apprenticeship"
    PG_DIPLOMA = "pg_diploma", "Postgraduate diploma"
    INTERNATIONAL = "international", "International recruitment"


class QualLevel(models.IntegerChoices):
    """DfE ``QualLevel``."""

    UNDERGRADUATE = 1, "Undergraduate"
    POSTGRADUATE = 2, "Postgraduate"
    OTHER = 3, "Other"


class OrgRole(models.IntegerChoices):
    """DfE ``OrgRole``."""

    SENIOR_MANAGER = 1, "Senior manager"
    MIDDLE_MANAGER = 2, "Middle manager"
    FIRST_LINE_MANAGER = 3, "First line manager"
    SENIOR_PRACTITIONER = 4, "Senior practitioner"
    CASE_HOLDER = 5, "Case holder"
    QUALIFIED_NO_CASES = 6, "Qualified without cases"


class ContractType(models.TextChoices):
    """Permanent and fixed-term staff are *employed*; agency workers are not."""

    PERMANENT = "permanent", "Permanent"
    FIXED_TERM = "fixed_term", "Fixed-term"
    AGENCY = "agency", "Agency"


class StartOrigin(models.IntegerChoices):
    """DfE ``StartOrigin``: where a starter came from."""

    NEWLY_QUALIFIED = 1, "Newly qualified"
    OTHER_ENGLISH_COUNCIL = 2, "Social work role in another English council"
    OUTSIDE_ENGLAND = 3, "Social work role outside England"
    AGENCY = 4, "Agency or consultancy in England"
    OTHER_NON_COUNCIL_SW = 5, "Other non-council social work role"
    OTHER_SOCIAL_CARE = 6, "Other social care role"
    NON_SOCIAL_CARE = 7, "Non-social-care role, outside England, no employment or career break"
    OTHER = 8, "Other"
    NOT_KNOWN = 9, "Not known"
    NOT_YET_COLLECTED = 10, "Not yet collected"


class LeaverDestination(models.IntegerChoices):
    """DfE ``LeaverDestination``."""

    OTHER_ENGLISH_COUNCIL = 1, "Social work role in another English council"
    OUTSIDE_ENGLAND = 2, "Social work role outside England"
    AGENCY = 3, "Agency or consultancy in England"
    OTHER_NON_COUNCIL_SW = 4, "Other non-council social work role"
    OTHER_SOCIAL_CARE = 5, "Other social care role"
    NON_SOCIAL_CARE = 6, "Non-social-care role, outside England, no employment or career break"
    OTHER = 7, "Other"
    NOT_KNOWN = 8, "Not known"
    NOT_YET_COLLECTED = 9, "Not yet collected"


class ReasonLeave(models.IntegerChoices):
    """DfE ``ReasonLeave``. Code 7 (moved to a non-children's social work role) is a leaver."""

    RESIGNATION = 1, "Resignation"
    VOLUNTARY_REDUNDANCY = 2, "Voluntary redundancy"
    COMPULSORY_REDUNDANCY = 3, "Compulsory redundancy"
    DISMISSED = 4, "Dismissed"
    RETIRED = 5, "Retired"
    DECEASED = 6, "Deceased"
    MOVED_WITHIN_COUNCIL = 7, "Moved to a non-child-and-family social work role in the council"
    OTHER = 8, "Other"
    NOT_KNOWN = 9, "Not known"
    NOT_YET_COLLECTED = 10, "Not yet collected"


class ReasonAbsence(models.TextChoices):
    """DfE ``ReasonAbsence``."""

    MAT = "MAT", "Maternity / paternity"
    OTH = "OTH", "Other paid authorised"
    PUB = "PUB", "Public duties"
    SIC = "SIC", "Sickness"
    TRN = "TRN", "Training"
    UNA = "UNA", "Unauthorised"
    UNP = "UNP", "Unpaid authorised"


class CFKSSStatus(models.IntegerChoices):
    """DfE ``CFKSSstatus``: post-qualifying status. 1 = ASYE."""

    ASYE = 1, "ASYE"
    FRONTLINE_PRACTITIONER = 2, "Frontline practitioner"
    PRACTICE_SUPERVISOR = 3, "Practice supervisor"
    PRACTICE_LEADER = 4, "Practice leader"


class ChangeReason(models.TextChoices):
    """Why an assignment (a period of an employment's terms) began."""

    START = "start", "Started"
    TEAM_MOVE = "team_move", "Team move"
    FTE_CHANGE = "fte_change", "FTE change"
    ROLE_CHANGE = "role_change", "Grade or role change"
    ASYE_COMPLETED = "asye_completed", "ASYE completed"
    CORRECTION = "correction", "Correction"
    IMPORT = "import", "Census import"


class CaseloadSource(models.TextChoices):
    MANUAL = "manual", "Entered in the browser"
    IMPORT = "import", "Caseload import"
    CENSUS = "census", "Census return (Cases30)"
