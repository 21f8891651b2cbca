"""Interviews in the admin: schedule, move or cancel one (each sends calendar invitations through the outbox),
fill in scorecards on the pillar's rubric. Thin views: a form, a service call, its ValidationError shown."""

import zoneinfo

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action

from pipelines.models import Submission
from sonitec.admin_tools import themed

from .. import services
from ..forms import InterviewScheduleForm, InterviewTimeForm, ScorecardForm
from ..models import CompetencyScore, Interview, InterviewStatus, Scorecard


def _apply_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class ScorecardInline(TabularInline):
    model = Scorecard
    fields = readonly_fields = (
        "interviewer_name",
        "recommendation",
        "strengths",
        "concerns",
        "entered_by",
        "submitted_at",
    )
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("interviewer", "client_interviewer", "entered_by")


@admin.register(Interview)
class InterviewAdmin(ModelAdmin):
    list_display = ["__str__", "submission", "status", "outcome", "created_by"]
    list_filter = ["kind", "status", "outcome", "submission__role__pillar"]
    list_select_related = ["submission__candidate", "submission__role", "created_by"]
    search_fields = ["submission__candidate__name", "submission__role__title", "submission__role__client__name"]
    date_hierarchy = "scheduled_at"
    fields = (
        "submission",
        "kind",
        "scheduled_at",
        "time_zone",
        "duration_minutes",
        "interviewers",
        "client_interviewers",
        "location",
        "video_link",
        "status",
        "outcome",
        "notes",
        "sequence",
        "created_by",
    )
    readonly_fields = tuple(f for f in fields if f not in ("outcome", "notes"))
    inlines = [ScorecardInline]
    # The interview's own steps as buttons at the top of its page; each opens the page where it is done.
    actions_detail = ["open_submission", "fill_in_scorecard", "move_interview", "cancel_interview"]

    def has_still_on_permission(self, request, object_id=None) -> bool:
        """Scorecards, moves and cancelling are for interviews that have not been cancelled."""
        live = Interview.objects.filter(pk=object_id).exclude(status=InterviewStatus.CANCELLED).exists()
        return live and self.has_change_permission(request)

    def _to(self, name: str, *args) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse(name, args=args))

    @action(description="Submission", url_path="submission", icon="move_up", permissions=["view"])
    def open_submission(self, request, object_id):
        interview = get_object_or_404(Interview, pk=object_id)
        return self._to("admin:pipelines_submission_change", interview.submission_id)

    @action(description="Fill in a scorecard", url_path="fill-scorecard", icon="rate_review", permissions=["still_on"])
    def fill_in_scorecard(self, request, object_id):
        return self._to("admin:assessments_interview_scorecard", object_id)

    @action(description="Move", url_path="move", icon="event", permissions=["still_on"])
    def move_interview(self, request, object_id):
        return self._to("admin:assessments_interview_reschedule", object_id)

    @action(description="Cancel", url_path="cancel-interview", icon="event_busy", permissions=["still_on"])
    def cancel_interview(self, request, object_id):
        return self._to("admin:assessments_interview_cancel", object_id)

    def has_add_permission(self, request):
        return False  # interviews are scheduled from a submission ("Schedule an interview")

    def save_model(self, request, obj, form, change):
        if "outcome" in form.changed_data:
            services.interview_record_outcome(interview=obj, outcome=obj.outcome)
            obj.refresh_from_db()
        if "notes" in form.changed_data:
            Interview.objects.filter(pk=obj.pk).update(notes=obj.notes)

    def get_urls(self):
        def view(fn):
            return self.admin_site.admin_view(lambda request, pk: fn(request, pk))

        return [
            path("schedule/<int:pk>/", view(self.schedule_view), name="assessments_interview_schedule"),
            path("<int:pk>/reschedule/", view(self.reschedule_view), name="assessments_interview_reschedule"),
            path("<int:pk>/cancel/", view(self.cancel_view), name="assessments_interview_cancel"),
            path("<int:pk>/scorecard/", view(self.scorecard_view), name="assessments_interview_scorecard"),
            *super().get_urls(),
        ]

    def _page(self, request, template: str, title: str, **context):
        return TemplateResponse(
            request,
            template,
            {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **context},
        )

    def _interview(self, request, pk: int) -> Interview:
        if not self.has_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(
            Interview.objects.select_related("submission__candidate", "submission__role__client"), pk=pk
        )

    def schedule_view(self, request, pk: int):
        """Schedule an interview for submission `pk`."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        submission = get_object_or_404(Submission.objects.select_related("candidate", "role__client"), pk=pk)
        form = themed(InterviewScheduleForm(request.POST or None, client_id=submission.role.client_id))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                interview = services.interview_schedule(
                    submission=submission,
                    kind=data["kind"],
                    scheduled_at=form.aware_start(),
                    time_zone=data["time_zone"],
                    duration_minutes=data["duration_minutes"],
                    interviewers=data["interviewers"],
                    client_interviewers=data["client_interviewers"],
                    location=data["location"],
                    video_link=data["video_link"],
                    notes=data["notes"],
                    by=request.user,
                )
            except ValidationError as error:
                _apply_error(form, error)
            else:
                self.message_user(request, f"{interview} scheduled; invitations are on their way.")
                return HttpResponseRedirect(reverse("admin:pipelines_submission_change", args=[submission.pk]))
        return self._page(
            request,
            "assessments/interview_form.html",
            f"Schedule an interview: {submission}",
            form=form,
            submission=submission,
            button="Schedule and send invitations",
        )

    def reschedule_view(self, request, pk: int):
        interview = self._interview(request, pk)
        initial = {
            "scheduled_at": interview.scheduled_at.astimezone(zoneinfo.ZoneInfo(interview.time_zone)).replace(
                tzinfo=None
            ),
            "time_zone": interview.time_zone,
            "duration_minutes": interview.duration_minutes,
            "location": interview.location,
            "video_link": interview.video_link,
        }
        form = themed(InterviewTimeForm(request.POST or None, initial=initial))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.interview_reschedule(
                    interview=interview,
                    scheduled_at=form.aware_start(),
                    time_zone=data["time_zone"],
                    duration_minutes=data["duration_minutes"],
                    location=data["location"],
                    video_link=data["video_link"],
                    by=request.user,
                )
            except ValidationError as error:
                _apply_error(form, error)
            else:
                self.message_user(request, "Interview moved; everyone receives the updated invitation.")
                return HttpResponseRedirect(reverse("admin:assessments_interview_change", args=[interview.pk]))
        return self._page(
            request,
            "assessments/interview_form.html",
            f"Move {interview}",
            form=form,
            submission=interview.submission,
            interview=interview,
            button="Move and send updates",
        )

    def cancel_view(self, request, pk: int):
        interview = self._interview(request, pk)
        if request.method == "POST":
            try:
                services.interview_cancel(interview=interview, by=request.user)
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, "Interview cancelled; everyone receives the cancellation.")
            return HttpResponseRedirect(reverse("admin:assessments_interview_change", args=[interview.pk]))
        return self._page(request, "assessments/interview_cancel.html", f"Cancel {interview}?", interview=interview)

    def scorecard_view(self, request, pk: int):
        interview = self._interview(request, pk)
        rubric = services.rubric_for(interview=interview)
        done = Scorecard.objects.filter(interview=interview)
        done_users = set(done.values_list("interviewer_id", flat=True))
        done_contacts = set(done.values_list("client_interviewer_id", flat=True))
        choices = [
            (f"user-{u.pk}", u.get_full_name() or u.username)
            for u in interview.interviewers.all()
            if u.pk not in done_users
        ] + [
            (f"contact-{c.pk}", f"{c.name} ({interview.submission.role.client}; entered on their behalf)")
            for c in interview.client_interviewers.all()
            if c.pk not in done_contacts
        ]
        form = themed(ScorecardForm(request.POST or None, rubric=rubric, interviewer_choices=choices))
        if request.method == "POST" and form.is_valid():
            kind, _, person_id = form.cleaned_data["interviewer"].partition("-")
            staff = interview.interviewers.filter(pk=person_id).first() if kind == "user" else None
            contact = interview.client_interviewers.filter(pk=person_id).first() if kind == "contact" else None
            try:
                services.scorecard_submit(
                    interview=interview,
                    scores=form.scores(),
                    recommendation=form.cleaned_data["recommendation"],
                    strengths=form.cleaned_data["strengths"],
                    concerns=form.cleaned_data["concerns"],
                    entered_by=request.user,
                    interviewer=staff,
                    client_interviewer=contact,
                )
            except ValidationError as error:
                _apply_error(form, error)
            else:
                self.message_user(request, "Scorecard saved.")
                return HttpResponseRedirect(
                    reverse("admin:pipelines_submission_change", args=[interview.submission_id])
                )
        return self._page(
            request,
            "assessments/scorecard_form.html",
            f"Scorecard: {interview} of {interview.submission}",
            form=form,
            interview=interview,
            rubric=rubric,
            can_cancel=interview.status != InterviewStatus.CANCELLED,
        )


@admin.register(Scorecard)
class ScorecardAdmin(ModelAdmin):
    """Scorecards are filled in from their interview ("Fill in a scorecard"); here they are read."""

    list_display = ["interview", "interviewer_name", "recommendation", "entered_by", "submitted_at"]
    list_filter = ["recommendation", "interview__kind", "interview__submission__role__pillar"]
    list_select_related = [
        "interview__submission__candidate",
        "interview__submission__role",
        "interviewer",
        "client_interviewer",
        "entered_by",
    ]
    search_fields = ["interview__submission__candidate__name", "interview__submission__role__title"]

    class ScoreInline(TabularInline):
        model = CompetencyScore
        fields = readonly_fields = ("competency", "score")
        extra = 0
        can_delete = False

        def has_add_permission(self, request, obj=None):
            return False

        def get_queryset(self, request):
            return super().get_queryset(request).select_related("competency")

    inlines = [ScoreInline]
    readonly_fields = (
        "interview",
        "interviewer",
        "client_interviewer",
        "recommendation",
        "strengths",
        "concerns",
        "entered_by",
        "submitted_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
