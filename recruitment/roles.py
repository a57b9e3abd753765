"""Who may use the recruitment pages and endpoints (see ``core.roles``).

HR officers and admins do everything; service managers work on their own teams'
vacancies and applicants (others are "not found"); directors read everything; scrutiny
and lead members see only the aggregate funnel page, with small numbers suppressed.
"""

from core.roles import ALL_ROLES, STAFF_READERS, Role

#: See vacancies, campaigns, applicants, pipelines and induction lists.
RECRUITMENT_READERS = STAFF_READERS
#: Open vacancies, record applications and move them through the stages, record starts.
RECRUITMENT_WRITERS = frozenset({Role.HR_OFFICER, Role.SERVICE_MANAGER, Role.ADMIN})
#: Delete an applicant's personal data on request (a data protection task for HR).
APPLICANT_DATA_ERASERS = frozenset({Role.HR_OFFICER, Role.ADMIN})
#: The aggregate funnel page: everyone with a role.
FUNNEL_READERS = ALL_ROLES
