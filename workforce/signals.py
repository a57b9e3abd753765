"""Keep the cached group names of ``core.roles`` true to the database.

A user's roles are their groups' names, cached per user (``core.roles._group_names``). Any
change to who is in a group, or to a group's name, or a group's deletion, clears the
cached names of the users concerned. Writes that send no signals (raw SQL on the
membership table) are picked up within ``core.roles.GROUP_NAMES_CACHE_SECONDS``.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

from core.roles import forget_group_names


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


def password_changing(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """A user's API tokens stop working when their password changes (issue 17). Saves
    that do not touch the password (signing in updates ``last_login`` only) cost no query."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    old = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if old is not None and old != instance.password:
        from knox.models import AuthToken

        _revoke_tokens(AuthToken, instance.pk)


def _revoke_tokens(model, user_pk) -> None:
    for token in model.objects.filter(user_id=user_pk):
        token.delete()  # one by one, so that each revocation is in the audit trail


def connect() -> None:
    from django.contrib.auth import get_user_model

    m2m_changed.connect(
        membership_changed,
        sender=get_user_model().groups.through,
        dispatch_uid="workforce.group-membership",
    )
    post_save.connect(group_changed, sender=Group, dispatch_uid="workforce.group-saved")
    pre_save.connect(
        password_changing, sender=get_user_model(), dispatch_uid="workforce.password-changing"
    )
    pre_delete.connect(group_changed, sender=Group, dispatch_uid="workforce.group-deleted")
