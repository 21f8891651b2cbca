"""Admin forms for interviews and scorecards. They only collect input: the rules are in assessments.services."""

import datetime
import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model

from clients.models import Contact

from .models import LEVELS, Competency, InterviewKind, Recommendation

ZONES = sorted(zoneinfo.available_timezones())


class InterviewTimeForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label="Starts at",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Local time in the time zone below.",
    )
    time_zone = forms.ChoiceField(choices=[(z, z) for z in ZONES], initial=settings.TIME_ZONE)
    duration_minutes = forms.IntegerField(label="Duration (minutes)", initial=60, min_value=5, max_value=480)
    location = forms.CharField(max_length=200, required=False, help_text="An address; blank for a video call.")
    video_link = forms.URLField(max_length=500, required=False, assume_scheme="https")

    def aware_start(self) -> datetime.datetime:
        """The start as an aware time in the chosen zone (the form's datetime is naive in that zone)."""
        start = self.cleaned_data["scheduled_at"]
        zone = zoneinfo.ZoneInfo(self.cleaned_data["time_zone"])
        return start.replace(tzinfo=None).replace(tzinfo=zone)


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class InterviewScheduleForm(InterviewTimeForm):
    kind = forms.ChoiceField(choices=InterviewKind.choices, initial=InterviewKind.TECHNICAL)
    interviewers = StaffChoiceField(
        label="Agency interviewers",
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    client_interviewers = forms.ModelMultipleChoiceField(
        label="Client interviewers",
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to everyone in the invitation.",
    )

    field_order = [
        "kind",
        "scheduled_at",
        "time_zone",
        "duration_minutes",
        "interviewers",
        "client_interviewers",
        "location",
        "video_link",
        "notes",
    ]

    def __init__(self, *args, client_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_staff=True, is_active=True).order_by("first_name", "username")
        staff = self.fields["interviewers"]
        contacts = self.fields["client_interviewers"]
        assert isinstance(staff, forms.ModelMultipleChoiceField)  # nosec  (declared above)
        assert isinstance(contacts, forms.ModelMultipleChoiceField)  # nosec
        staff.queryset = users
        contacts.queryset = Contact.objects.filter(client_id=client_id).order_by("name")


class ScorecardForm(forms.Form):
    """One score field per competency of the rubric (radio buttons 1–4, with the level descriptors)."""

    interviewer = forms.ChoiceField(label="Interviewer")
    recommendation = forms.ChoiceField(choices=Recommendation.choices, widget=forms.RadioSelect)
    strengths = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    concerns = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, rubric: list[Competency], interviewer_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        interviewer = self.fields["interviewer"]
        assert isinstance(interviewer, forms.ChoiceField)  # nosec  (declared above)
        interviewer.choices = [("", "---------"), *interviewer_choices]
        for competency in rubric:
            self.fields[self.score_field(competency)] = forms.TypedChoiceField(
                label=competency.name,
                coerce=int,
                choices=[(level, f"{level}: {competency.level_text(level)}") for level in LEVELS],
                widget=forms.RadioSelect,
                help_text=competency.description,
            )

    @staticmethod
    def score_field(competency: Competency) -> str:
        return f"score_{competency.pk}"

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[self.score_field(c)] for c in self.rubric}

    def score_fields(self):
        return [self[self.score_field(c)] for c in self.rubric]

    def other_fields(self):
        return [self[name] for name in ("interviewer", "recommendation", "strengths", "concerns")]
