"""Sign-in lockouts (django-axes) and two-factor devices (django-otp), for administrators, in the workspace's look.

A lockout is an access attempt that reached settings.AXES_FAILURE_LIMIT; releasing it deletes the attempt, so the
next sign-in from that address for that username starts counting afresh. A device can only be removed here (for
someone who lost their phone); staff set up their own on the two-factor page, and its secret is never shown.
"""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django_otp.plugins.otp_totp.models import TOTPDevice
from unfold.admin import ModelAdmin


class ReadOnlyAdmin(ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AccessAttempt)
class AccessAttemptAdmin(ReadOnlyAdmin):
    list_display = ["username", "ip_address", "failures_since_start", "locked", "attempt_time"]
    search_fields = ["username", "ip_address"]
    fields = ["username", "ip_address", "user_agent", "path_info", "failures_since_start", "attempt_time"]
    actions = ["release"]

    @admin.display(boolean=True, description="Locked out")
    def locked(self, attempt: AccessAttempt) -> bool:
        return attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT

    @admin.action(description="Release the selected lockouts", permissions=["delete"])
    def release(self, request, queryset) -> None:
        released = queryset.count()
        queryset.delete()
        messages.success(request, f"Released {released} lockout(s): they can sign in again.")


# Registered before django-otp's own admin (sonitec comes first in INSTALLED_APPS), which then stands aside.
@admin.register(TOTPDevice)
class TOTPDeviceAdmin(ReadOnlyAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
