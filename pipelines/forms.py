"""Admin forms for moving submissions, recording consent and ending placements. They only collect input:
the rules are in pipelines.services."""

from django import forms

from candidates.models import ConsentMethod

from .models import RejectionReason, Stage


class MoveForm(forms.Form):
    to_stage = forms.ChoiceField(label="Move to", choices=Stage.choices)
    rejection_reason = forms.ModelChoiceField(
        label="Rejection reason",
        queryset=RejectionReason.objects.filter(is_active=True),
        required=False,
        help_text="When rejecting: the coded reason (reported on the dashboard); add detail in the note.",
    )
    note = forms.CharField(
        label="Note / reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when rejecting or withdrawing (the reason) and when re-opening.",
    )
    start_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="When placing: the start date."
    )
    agreed_salary = forms.DecimalField(
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=0,
        help_text="When placing a permanent hire: the agreed first-year salary.",
    )
    agreed_day_rate = forms.DecimalField(
        required=False,
        max_digits=10,
        decimal_places=2,
        min_value=0,
        help_text="When placing a contractor: the agreed day rate.",
    )

    def __init__(self, *args, stage_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if stage_choices is not None:
            self.fields["to_stage"].choices = stage_choices


class BulkMoveForm(forms.Form):
    to_stage = forms.ChoiceField(label="Move to", choices=[c for c in Stage.choices if c[0] != Stage.PLACED])
    note = forms.CharField(
        label="Note / reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when rejecting or withdrawing, and when re-opening.",
    )


class RejectForm(forms.Form):
    note = forms.CharField(label="Reason", max_length=255, widget=forms.Textarea(attrs={"rows": 2}))


class ConsentForm(forms.Form):
    method = forms.ChoiceField(label="How they agreed", choices=ConsentMethod.choices)
    consent_note = forms.CharField(
        label="Note", required=False, max_length=255, help_text="E.g. “agreed on a call, 25 Nov”."
    )


class PlacementEndForm(forms.Form):
    ended_on = forms.DateField(label="Ended on", widget=forms.DateInput(attrs={"type": "date"}))
    termination_reason = forms.CharField(label="Why it ended", widget=forms.Textarea(attrs={"rows": 3}))
