"""Sign-in by username and password, and no permission from anywhere but the rules.

Django's ``ModelBackend`` does two jobs: it checks a password, and it grants the model
permissions held in ``auth_permission`` (a person's own and their groups'). This service
grants every permission through ``rules`` from a person's seats (``core/rules.py`` and
each app's ``rules.py``); nothing assigns model permissions. Left in place, the second job
read two tables on every page that checked a permission the rules refused, and a stray row
in them would have opened a page that no seat opens. This backend keeps the first job only
(ADR 0040).
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    """``ModelBackend``'s sign-in, with no model permissions."""

    def get_user_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return False

    def has_module_perms(self, user_obj, app_label) -> bool:
        return False
