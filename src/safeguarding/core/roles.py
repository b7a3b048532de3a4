"""Roles and the capabilities each grants, as data.

A capability is something a person can open from the home page. Which records
they then see inside it is decided by the rules predicates, not here.
"""

from django.db import models


class Role(models.TextChoices):
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"
    BUSINESS_UNIT = "business_unit", "Partnership business unit"
    BOARD_MEMBER = "board_member", "Board member"
    SUB_GROUP_MEMBER = "sub_group_member", "Sub-group member"
    ANALYST = "analyst", "Analyst"
    PRACTITIONER = "practitioner", "Practitioner"
    SCHOOL_KEY_ADULT = "school_key_adult", "School key adult"


# Roles whose holders may open identifiable child records. Practitioners and
# key adults see only children their own agency is involved with; the business
# unit sees every child of its partnership. Analysts and board members work
# from aggregates only.
CHILD_RECORDS_PARTNERSHIP_WIDE = frozenset({Role.BUSINESS_UNIT})
CHILD_RECORDS_WHERE_AGENCY_INVOLVED = frozenset(
    {Role.PRACTITIONER, Role.SCHOOL_KEY_ADULT, Role.SUB_GROUP_MEMBER}
)
MANAGE_PARTNERSHIPS = frozenset({Role.SYSTEM_ADMINISTRATOR})
VIEW_PARTNERSHIPS = frozenset({Role.SYSTEM_ADMINISTRATOR, Role.BUSINESS_UNIT, Role.BOARD_MEMBER})
SEARCH_AUDIT_LOG = frozenset({Role.SYSTEM_ADMINISTRATOR, Role.BUSINESS_UNIT})
MANAGE_PEOPLE = frozenset({Role.SYSTEM_ADMINISTRATOR})
MANAGE_CALENDAR = frozenset({Role.SYSTEM_ADMINISTRATOR, Role.BUSINESS_UNIT})
