"""Admin actions on people (candidates, client contacts): subject-access export and erasure with confirmation.

Each is guarded by its own permission (privacy.export_personal_data, privacy.erase_personal_data), so the
agency can give them to managers only.
"""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import transaction
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from candidates.models import Candidate
from clients.models import Contact

from .. import selectors, services
from ..tasks import build_export


def export_response(content: bytes, *, label: str, pk: int) -> HttpResponse:
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{label}-{pk}-data-{timezone.localdate():%Y%m%d}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


class PersonalDataActionsMixin:
    """Adds the export and erase actions to a ModelAdmin of Candidate or Contact."""

    def has_export_personal_data_permission(self, request) -> bool:
        return request.user.has_perm("privacy.export_personal_data")

    def has_erase_personal_data_permission(self, request) -> bool:
        return request.user.has_perm("privacy.erase_personal_data")

    @admin.action(description="Export the selected person's data (ZIP)", permissions=["export_personal_data"])
    def export_personal_data(self, request, queryset):
        people = list(queryset[:2])
        if len(people) != 1:
            self.message_user(request, "Export one person at a time: select exactly one.", messages.ERROR)  # type: ignore[attr-defined]
            return None
        person = people[0]
        if isinstance(person, Candidate):
            if services.candidate_export_is_large(candidate=person):
                job = services.export_job_create(candidate=person, by=request.user)
                transaction.on_commit(lambda: build_export.delay(job.pk))
                link = reverse("admin:privacy_exportjob_changelist")
                message = 'This export is large and is being built: download it once from <a href="{}">Exports</a>.'
                self.message_user(request, format_html(message, link))  # type: ignore[attr-defined]
                return None
            content = services.candidate_export(candidate=person, by=request.user)
            return export_response(content, label="candidate", pk=person.pk)
        self.message_user(request, "Exports are available for candidates.", messages.ERROR)  # type: ignore[attr-defined]
        return None

    @admin.action(
        description="Erase the selected people (anonymise, irreversible)…", permissions=["erase_personal_data"]
    )
    def erase_personal_data(self, request, queryset):
        people = list(queryset)
        if request.POST.get("confirm") == "erase":
            for person in people:
                if isinstance(person, Candidate):
                    services.candidate_anonymise(candidate=person, by=request.user)
                elif isinstance(person, Contact):
                    services.contact_anonymise(contact=person, by=request.user)
            self.message_user(request, f"Erased {len(people)} record(s): only anonymised records remain.")  # type: ignore[attr-defined]
            return None
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": self.model._meta,  # type: ignore[attr-defined]
            "title": "Erase personal data",
            "people": people,
            "action": request.POST.get("action"),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "privacy/erase_confirm.html", context)


def access_log_html(request, candidate: Candidate) -> str:
    """The candidate page's access log, for users who may view it (managers): one query. Others see nothing."""
    if not request.user.has_perm("privacy.view_accesslog"):
        return ""
    entries = selectors.access_log_for(candidate=candidate)
    if not entries:
        return "Nobody has accessed this record yet."
    rows = format_html_join(
        "",
        "<li>{} · {} · {}</li>",
        (
            (timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M"), e.user or "system", e.get_action_display())
            for e in entries
        ),
    )
    return format_html("<ul class='access-log'>{}</ul>", rows)
