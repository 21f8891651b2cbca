"""What a partner may see: the roles published to it, and the partners a role is published to."""

from django.db.models import Q, QuerySet

from roles.models import PartnerVisibility, Role, RoleStatus

from .models import Partner


def roles_visible_to_partner(*, partner: Partner) -> QuerySet[Role]:
    """Open roles published to all partners or to this one: the only roles a partner may see or submit to."""
    # A subquery rather than a join, so roles published to all are not repeated once per linked partner.
    selected = Role.partners.through.objects.filter(partner=partner).values("role_id")
    return Role.objects.filter(status=RoleStatus.OPEN).filter(
        Q(partner_visibility=PartnerVisibility.ALL) | Q(partner_visibility=PartnerVisibility.SELECTED, pk__in=selected)
    )


def partners_who_see_role(*, role: Role) -> QuerySet[Partner]:
    """Active partners a role is (or was, just before it closed) published to, whatever its status."""
    partners = Partner.objects.filter(is_active=True)
    if role.partner_visibility == PartnerVisibility.ALL:
        return partners
    if role.partner_visibility == PartnerVisibility.SELECTED:
        return partners.filter(roles=role)
    return partners.none()
