"""Rules about roles (job orders): their status and what a change of status sets off."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sonitec import events

from .models import Role, RoleStatus


@transaction.atomic
def role_set_status(*, role: Role, status: str, by=None) -> Role:
    """Change a role's status, keep its dates right and announce it opening or closing.

    The row is locked so a placement filling the role and a recruiter editing it cannot interleave.
    `role` is updated in place and returned.
    """
    if status not in RoleStatus.values:
        raise ValidationError({"status": f"Unknown role status “{status}”."}, code="invalid_status")
    locked = Role.objects.select_for_update().get(pk=role.pk)
    previous = locked.status
    if previous == status:
        role.status = status
        return role
    today = timezone.localdate()
    fields = ["status", "updated_at"]
    locked.status = status
    if status == RoleStatus.OPEN:
        if locked.opened_on is None:
            locked.opened_on = today
            fields.append("opened_on")
        if locked.closed_on is not None:
            locked.closed_on = None
            fields.append("closed_on")
    elif status in (RoleStatus.FILLED, RoleStatus.CANCELLED):
        locked.closed_on = today
        fields.append("closed_on")
    locked.save(update_fields=fields)
    for field in fields:
        setattr(role, field, getattr(locked, field))
    if status == RoleStatus.OPEN:
        events.role_published(role)
    elif previous == RoleStatus.OPEN:
        events.role_closed(role)
    return role


def role_partner_ids(*, role: Role) -> set[int]:
    """The partners this role is published to, by its visibility setting (whatever its status)."""
    from clients.partners import partners_who_see_role

    return set(partners_who_see_role(role=role).values_list("pk", flat=True))


@transaction.atomic
def role_partners_changed(*, role: Role, partner_ids_before: set[int], was_open: bool) -> None:
    """After an edit of who may see a role: an open role is announced to the partners who can now see it and
    withdrawn from those who no longer can. A role that has just opened was announced by role_set_status."""
    if not was_open or role.status != RoleStatus.OPEN:
        return
    partner_ids_now = role_partner_ids(role=role)
    gained, lost = partner_ids_now - partner_ids_before, partner_ids_before - partner_ids_now
    if gained or lost:
        events.role_partners_changed(role, gained_partner_ids=gained, lost_partner_ids=lost)
