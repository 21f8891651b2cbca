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
