"""The job board's apply endpoint. Thin: the form checks input, candidate_apply stores it."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from leads.services import application_caught_as_spam
from pipelines.services import candidate_apply
from roles.views import job_detail_context, published_roles
from sonitec.public import add_service_errors, form_rate_limited, request_too_large

from .forms import ApplyForm
from .services import CV_MAX_BYTES

logger = logging.getLogger(__name__)

# The whole request may carry a CV a little over the limit (so the form can say "too large" next to the field,
# keeping what was typed) plus the text fields; anything bigger is refused before it is read.
APPLY_MAX_REQUEST_BYTES = 2 * CV_MAX_BYTES


@csrf_exempt  # only so the size check runs before the CSRF check reads the body; _apply is CSRF-protected
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method != "POST":
        # The form is on the role's page: a GET here (a bookmark, a reload) goes there.
        return redirect("public:job_detail", slug=slug)
    if request_too_large(request, APPLY_MAX_REQUEST_BYTES):
        return render(request, "public/413.html", {"max_mb": CV_MAX_BYTES // (1024 * 1024)}, status=413)
    return _apply(request, slug)


@csrf_protect
@form_rate_limited("apply")
def _apply(request: HttpRequest, slug: str) -> HttpResponse:
    role = get_object_or_404(published_roles(), slug=slug)
    form = ApplyForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.service_data()
        try:
            if form.is_spam():
                _apply_caught_as_spam(role, data)
            else:
                candidate_apply(role=role, notice_version=settings.PRIVACY_NOTICE_VERSION, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("public:job_applied", slug=role.slug)
    return render(request, "public/job_detail.html", job_detail_context(role, form, request), status=400)


def _apply_caught_as_spam(role, data: dict) -> None:
    logger.info("Honeypot filled on the apply form; stored as spam")
    details = {"Phone": data["phone"], "LinkedIn": data["linkedin_url"], "GitHub": data["github_url"]}
    application_caught_as_spam(
        role_title=role.title,
        name=data["name"],
        email=data["email"],
        consent=data["consent"],
        consent_notice_version=settings.PRIVACY_NOTICE_VERSION,
        details=details,
    )


def applied(request: HttpRequest, slug: str) -> HttpResponse:
    role = get_object_or_404(published_roles(), slug=slug)
    return render(request, "public/thanks.html", {"what": "application", "role": role})
