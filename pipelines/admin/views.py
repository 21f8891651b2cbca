"""Admin pages of the pipeline: a role's board, the move page of a submission, ending a placement.

Thin views: they collect a form, call a service and show its ValidationError. Plain form posts, so they
work without JavaScript.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from roles.models import Role, RoleStatus
from sonitec.money import money_format

from .. import selectors, services
from ..forms import ConsentForm, MoveForm, PlacementEndForm
from ..models import EXIT_STAGES, STAGE_ORDER, Placement, RejectionReason, Stage, Submission


def safe_next(request, default: str) -> str:
    """The `next` URL of the request when it points back into this site, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return default


def allowed_targets(stage: str) -> list[tuple[str, str]]:
    """Stages a submission at `stage` may move to (given a note where one is needed), for the move menus."""
    return [
        (value, label)
        for value, label in Stage.choices
        if services.transition_error(from_stage=stage, to_stage=value, note="-") is None
    ]


def _apply_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def role_board(model_admin, request, role_id: int):
    role = get_object_or_404(Role.objects.select_related("client", "pillar"), pk=role_id)
    # The cards are submissions: seeing a role is not enough to see who is in its pipeline.
    if not model_admin.has_view_permission(request, role) or not request.user.has_perm("pipelines.view_submission"):
        raise PermissionDenied
    columns = selectors.board_for_role(role=role)
    board_url = reverse("admin:roles_role_board", args=[role.pk])
    stage_menus = {stage: allowed_targets(stage) for stage in columns}
    column_list = [
        {"stage": stage, "label": Stage(stage).label, "cards": cards, "targets": stage_menus[stage]}
        for stage, cards in columns.items()
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": f"Board: {role.title}",
        "role": role,
        "columns": [c for c in column_list if c["stage"] in STAGE_ORDER],
        "exits": [c for c in column_list if c["stage"] in EXIT_STAGES],
        "board_url": board_url,
        "can_move": request.user.has_perm("pipelines.change_submission"),
        "rejection_reasons": RejectionReason.objects.filter(is_active=True),
        "move_url_template": reverse("admin:pipelines_submission_move", args=[0]),
    }
    return TemplateResponse(request, "pipelines/board.html", context)


def submission_move_page(model_admin, request, submission_id: int):
    submission = get_object_or_404(
        Submission.objects.select_related("candidate", "role__client", "owner"), pk=submission_id
    )
    if not model_admin.has_view_permission(request, submission):
        raise PermissionDenied
    change_url = reverse("admin:pipelines_submission_change", args=[submission.pk])
    next_url = safe_next(request, change_url)
    choices = allowed_targets(submission.stage)
    form = MoveForm(initial={"to_stage": request.GET.get("to_stage")}, stage_choices=choices)
    consent_form = ConsentForm()
    if request.method == "POST":
        if not model_admin.has_change_permission(request, submission):
            raise PermissionDenied
        if "record_consent" in request.POST:
            consent_form = ConsentForm(request.POST)
            if consent_form.is_valid():
                try:
                    services.consent_record_representation(
                        submission=submission,
                        method=consent_form.cleaned_data["method"],
                        by=request.user,
                        note=consent_form.cleaned_data["consent_note"],
                    )
                except ValidationError as error:
                    _apply_error(consent_form, error)
                else:
                    messages.success(
                        request, f"Consent to represent {submission.candidate} for “{submission.role.title}” recorded."
                    )
                    return HttpResponseRedirect(request.get_full_path())
        else:
            form = MoveForm(request.POST, stage_choices=choices)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.submission_move(
                        submission=submission,
                        to_stage=data["to_stage"],
                        by=request.user,
                        note=data["note"],
                        start_date=data["start_date"],
                        agreed_salary=data["agreed_salary"],
                        agreed_day_rate=data["agreed_day_rate"],
                        rejection_reason=data["rejection_reason"],
                    )
                except ValidationError as error:
                    _apply_error(form, error)
                else:
                    if _wants_json(request):
                        return JsonResponse(
                            {"ok": True, "stage": submission.stage, "message": _moved_message(submission)}
                        )
                    messages.success(request, _moved_message(submission))
                    return HttpResponseRedirect(next_url)
            if _wants_json(request):
                # The board's drag and drop: the card goes back to its column and shows why.
                errors = [str(message) for field_errors in form.errors.values() for message in field_errors]
                return JsonResponse({"ok": False, "stage": submission.stage, "errors": errors}, status=400)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": f"Move {submission.candidate} ({submission.role.title})",
        "submission": submission,
        "form": form,
        "consent_form": consent_form,
        "next_url": next_url,
        "change_url": change_url,
        "board_url": reverse("admin:roles_role_board", args=[submission.role_id]),
        "history": submission.stage_changes.select_related("changed_by"),
        "placement": Placement.objects.filter(submission=submission).first(),
        "can_represent_problems": services.submission_representation_problems(submission=submission),
    }
    return TemplateResponse(request, "pipelines/move.html", context)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _moved_message(submission: Submission) -> str:
    text = f"{submission.candidate} moved to “{submission.get_stage_display()}”."
    if submission.stage == Stage.PLACED:
        placement = Placement.objects.get(submission=submission)
        text += (
            f" Fee {money_format(placement.fee_amount, placement.currency)}; guarantee until "
            f"{placement.guarantee_ends_on.day} {placement.guarantee_ends_on:%b %Y}."
        )
        if Role.objects.filter(pk=submission.role_id, status=RoleStatus.FILLED).exists():
            text += " The role is now filled; its other open submissions are flagged for a decision."
    return text


def placement_end_page(model_admin, request, placement_id: int):
    placement = get_object_or_404(
        Placement.objects.select_related("submission__candidate", "submission__role"), pk=placement_id
    )
    if not model_admin.has_view_permission(request, placement):
        raise PermissionDenied
    change_url = reverse("admin:pipelines_placement_change", args=[placement.pk])
    form = PlacementEndForm()
    if request.method == "POST":
        if not request.user.has_perm("pipelines.change_placement"):
            raise PermissionDenied
        form = PlacementEndForm(request.POST)
        if form.is_valid():
            try:
                services.placement_end(
                    placement=placement,
                    ended_on=form.cleaned_data["ended_on"],
                    reason=form.cleaned_data["termination_reason"],
                    by=request.user,
                )
            except ValidationError as error:
                _apply_error(form, error)
            else:
                messages.success(
                    request,
                    f"Placement ended. Rebate owed: {money_format(placement.rebate_amount, placement.currency)}.",
                )
                return HttpResponseRedirect(change_url)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": f"End the placement of {placement.submission.candidate}",
        "placement": placement,
        "form": form,
        "change_url": change_url,
    }
    return TemplateResponse(request, "pipelines/placement_end.html", context)
