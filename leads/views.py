"""Public pages that write enquiries and intakes. Thin: the form checks input, a service stores it."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from roles.models import Pillar
from sonitec.public import add_service_errors, form_rate_limited

from .forms import ContactForm, IntakeForm
from .models import Intake
from .selectors import intake_budget_guide
from .services import enquiry_create, intake_create

logger = logging.getLogger(__name__)

INTAKE_SESSION_KEY = "public_intake_id"


@require_http_methods(["GET", "POST"])
@form_rate_limited("contact")
def contact(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                enquiry_create(
                    **form.service_data(), consent_notice_version=settings.PRIVACY_NOTICE_VERSION, spam=form.is_spam()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("public:contact_thanks")
    status = 400 if form.errors else 200
    return render(request, "public/contact.html", {"form": form}, status=status)


def contact_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "public/thanks.html", {"what": "message"})


@require_http_methods(["GET", "POST"])
@form_rate_limited("intake")
def intake(request: HttpRequest) -> HttpResponse:
    pillars = list(Pillar.objects.all())
    form = IntakeForm(request.POST or None, pillars=pillars)
    if request.method == "POST":
        if form.is_valid():
            try:
                stored = intake_create(
                    **form.service_kwargs(), consent_notice_version=settings.PRIVACY_NOTICE_VERSION, spam=form.is_spam()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if form.is_spam():  # the bot learns nothing: the same thank-you as anyone, no recommendation
                    return render(request, "public/thanks.html", {"what": "request"})
                # The result page reads the intake from the session, so its address reveals nothing and
                # refreshing it does not send the form again.
                request.session[INTAKE_SESSION_KEY] = stored.pk
                return redirect("public:intake_result")
    status = 400 if form.errors else 200
    return render(request, "public/intake.html", {"form": form}, status=status)


def intake_result(request: HttpRequest) -> HttpResponse:
    intake_id = request.session.get(INTAKE_SESSION_KEY)
    stored = Intake.objects.filter(pk=intake_id).prefetch_related("pillar_needs__pillar").first() if intake_id else None
    if stored is None:
        return redirect("public:intake")
    guide = intake_budget_guide(intake=stored)
    return render(request, "public/intake_result.html", {"intake": stored, "budget_guide": guide})
