"""Keep the cached group names of ``workforce.roles`` true to the database.

A user's roles are their groups' names, cached per user (``roles._group_names``). Any
change to who is in a group, or to a group's name, or a group's deletion, clears the
cached names of the users concerned. Writes that send no signals (raw SQL on the
membership table) are picked up within ``roles.GROUP_NAMES_CACHE_SECONDS``.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_save, pre_delete

from .roles import forget_group_names


def _members(group: Group) -> list[int]:
    return list(group.user_set.values_list("pk", flat=True))


def membership_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """``user.groups.add/remove/set/clear`` (instance: a user) or the same from the
    group's side (instance: a group, pk_set: the users)."""
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if not reverse:
        forget_group_names([instance.pk])
    elif action == "pre_clear":
        forget_group_names(_members(instance))
    else:
        forget_group_names(pk_set or [])


def group_changed(sender, instance: Group, raw=False, **kwargs) -> None:
    """A renamed or deleted group changes its members' roles."""
    if not raw and instance.pk:
        forget_group_names(_members(instance))


def connect() -> None:
    from django.contrib.auth import get_user_model

    m2m_changed.connect(
        membership_changed,
        sender=get_user_model().groups.through,
        dispatch_uid="workforce.group-membership",
    )
    post_save.connect(group_changed, sender=Group, dispatch_uid="workforce.group-saved")
    pre_delete.connect(group_changed, sender=Group, dispatch_uid="workforce.group-deleted")
