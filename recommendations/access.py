"""Who may do what in the recommendations tracker (roles are ``core.roles.Role``).

There is no personal staff data in this app (officers and members appear in their public
roles, as the published papers name them), so everyone with a role may read it:

- read the tracker, a recommendation, the monitoring lists, the exports: every role;
- comment on a recommendation or ask for an update: scrutiny members, lead members,
  directors (and admins) - the councillors who hold the executive to account;
- record the executive's response: lead members (the cabinet member who owns the
  recommendation), directors;
- record progress updates and actions, and link the evidencing KPI: the officers
  responsible - HR officers (the workforce team that delivers most of these) and
  directors;
- service managers read only.
Admins pass every check (``core.roles.has_role``).
"""

from core.roles import ALL_ROLES, Role

TRACKER_READERS = ALL_ROLES
COMMENTERS = frozenset({Role.SCRUTINY_MEMBER, Role.LEAD_MEMBER, Role.DIRECTOR, Role.ADMIN})
RESPONSE_WRITERS = frozenset({Role.LEAD_MEMBER, Role.DIRECTOR, Role.ADMIN})
PROGRESS_WRITERS = frozenset({Role.HR_OFFICER, Role.DIRECTOR, Role.ADMIN})
