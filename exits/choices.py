"""Code sets of the exits app: how an exit interview is offered and by whom, the
leaver's own answer on destination, and the five retention statements."""

from django.db import models


class Channel(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone"
    ONLINE_SURVEY = "online_survey", "Online survey"


class Conductor(models.TextChoices):
    """Who would conduct the interview (Surrey: a colleague of the leaver's choice)."""

    LINE_MANAGER = "line_manager", "Line manager"
    PEER = "peer", "Peer in the same role"
    HR = "hr", "HR / people team"
    LEAVERS_CHOICE = "leavers_choice", "A colleague of the leaver's choice"


class OfferResponse(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class Destination(models.TextChoices):
    """Where the leaver says they are going (their words, beside DfE's code)."""

    SOCIAL_WORK_ELSEWHERE = "social_work_elsewhere", "Staying in social work elsewhere"
    AGENCY = "agency", "Agency social work"
    LEAVING_PROFESSION = "leaving_profession", "Leaving the profession"


class YesNoUnsure(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SURE = "not_sure", "Not sure"


#: The five retention statements, scored 1 (strongly disagree) to 5 (strongly agree):
#: (field name on ``ExitQuestionnaire``, the statement as the leaver reads it).
RETENTION_STATEMENTS = (
    ("score_safe", "I feel safe"),
    ("score_supported", "I feel supported and able to do a good job"),
    ("score_valued", "I feel the organisation values social work"),
    ("score_growing", "I feel I am growing my skills and abilities"),
    ("score_happy", "I feel happy to go to work"),
)

SCORE_CHOICES = [
    (1, "1 - strongly disagree"),
    (2, "2 - disagree"),
    (3, "3 - neither agree nor disagree"),
    (4, "4 - agree"),
    (5, "5 - strongly agree"),
]

#: The council's starting theme list and the keyword rules that suggest each theme
#: (editable afterwards on the themes page; seeded by a data migration).
DEFAULT_THEMES = (
    (
        "Workload and caseload",
        "workload\ncaseload\ncases\ntoo many\novertime\nburnout\nburn out\nexhausted\nhours",
    ),
    ("Pay", "pay\nsalary\nwage\nmoney\nbetter paid"),
    ("Agency pay", "agency pay\nagency rate\nlocum\ngo agency\nagency work"),
    (
        "Management and supervision",
        "manager\nmanagement\nsupervision\nsupervisor\nleadership\nunsupported",
    ),
    (
        "Career progression",
        "progression\npromotion\ncareer\nsenior practitioner\ndevelopment\nno opportunity",
    ),
    (
        "Flexible / hybrid working",
        "flexible\nhybrid\nwork from home\nworking from home\npart time\npart-time\nrota",
    ),
    ("Travel, parking and car costs", "travel\nparking\ncar\nmileage\ncommute\ndriving\npetrol"),
    ("Housing and cost of living", "housing\nrent\ncost of living\nmortgage\nhouse prices"),
    (
        "Discrimination, bullying or racism",
        "discrimination\ndiscriminated\nbullying\nbullied\nracism\nracist\n"
        "harassment\nmicroaggression\nexcluded\nsingled out",
    ),
    (
        "IT and admin burden",
        "it system\nsystems\ncomputer\nlaptop\nadmin\npaperwork\nrecording\nmosaic\nliquidlogic",
    ),
    ("Culture", "culture\nblame\ntoxic\ntrust\nmorale\nvalued\natmosphere"),
    ("Personal or caring", "caring\ncarer\nchildcare\nfamily\nhealth\npersonal reasons\nmaternity"),
    ("Retirement", "retire*\nretirement\npension"),
    ("Relocation", "relocat*\nmoving away\nmove away\nmoving to\nmoving house\nemigrat*"),
)
