"""Who may do what: partners by scope, staff by Django model permission. Neither reaches the other's endpoints."""

from rest_framework import permissions

from .authentication import PartnerUser


def request_partner(request):
    user = getattr(request, "user", None)
    return user.partner if isinstance(user, PartnerUser) else None


class PartnerScope(permissions.BasePermission):
    """Partner endpoints: a partner key holding the view's `required_scopes[action]` (or `required_scope`)."""

    message = "This API key's partner lacks the scope this endpoint needs."

    def has_permission(self, request, view) -> bool:
        partner = request_partner(request)
        if partner is None:
            self.message = "This endpoint needs a partner API key."
            return False
        scopes = getattr(view, "required_scopes", {})
        scope = scopes.get(getattr(view, "action", None), getattr(view, "required_scope", None))
        if scope is None:
            return True
        if scope not in partner.scopes:
            self.message = f"This API key's partner lacks the '{scope}' scope."
            return False
        return True


class PartnerScopeOrStaff(PartnerScope):
    """Reference data (pillars, skills): a partner with the scope, or any staff member."""

    def has_permission(self, request, view) -> bool:
        if request_partner(request) is None:
            return bool(request.user and request.user.is_authenticated and request.user.is_staff)
        return super().has_permission(request, view)


class StaffModelPermissions(permissions.DjangoModelPermissions):
    """Staff endpoints: a staff session whose user has the model permission; reads need the 'view' permission."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view) -> bool:
        user = request.user
        if isinstance(user, PartnerUser) or not (user and user.is_authenticated and user.is_staff):
            return False
        return super().has_permission(request, view)
