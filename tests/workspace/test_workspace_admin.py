"""Money formatting, triage lists opening on New, actions on the record's page, the board's JSON moves."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from leads.models import TriageStatus
from pipelines.models import RejectionReason, Stage, StageChange
from sonitec.money import money_format
from tests import factories


@pytest.mark.parametrize(
    ("amount", "currency", "written"),
    [
        (Decimal("85000"), "GBP", "£85,000"),
        (Decimal("1250.5"), "EUR", "€1,250.50"),
        (Decimal("-300"), "USD", "−$300"),
        (Decimal("1000"), "CHF", "CHF 1,000"),
        (None, "GBP", "—"),
    ],
)
def test_money_is_written_one_way(amount, currency, written):
    assert money_format(amount, currency) == written


@pytest.mark.django_db
def test_triage_lists_open_on_new_and_all_shows_every_status(admin_client):
    factories.EnquiryFactory(name="Still new")
    factories.EnquiryFactory(name="Dealt with", status=TriageStatus.SPAM)
    url = reverse("admin:leads_enquiry_changelist")

    opened = admin_client.get(url).content.decode()
    everything = admin_client.get(url, {"status": "all"}).content.decode()

    assert "Still new" in opened and "Dealt with" not in opened
    assert "Still new" in everything and "Dealt with" in everything


@pytest.mark.django_db
def test_an_enquiry_is_converted_from_its_own_page_after_confirming(admin_client):
    enquiry = factories.EnquiryFactory(company="Kestrel Robotics")
    change = reverse("admin:leads_enquiry_change", args=[enquiry.pk])
    assert "Convert" in admin_client.get(change).content.decode()
    action = reverse("admin:leads_enquiry_convert_one", args=[enquiry.pk])

    confirm = admin_client.get(action)
    enquiry.refresh_from_db()
    assert confirm.status_code == 200 and enquiry.status == TriageStatus.NEW  # a GET only asks

    response = admin_client.post(action)
    enquiry.refresh_from_db()
    assert response.status_code == 302 and enquiry.status == TriageStatus.CONVERTED
    assert enquiry.client.name == "Kestrel Robotics"

    # Once converted, the page no longer offers Convert or Mark as spam but leads to what the conversion made.
    page = admin_client.get(change).content.decode()
    assert action not in page and reverse("admin:leads_enquiry_spam_one", args=[enquiry.pk]) not in page
    open_client = admin_client.get(reverse("admin:leads_enquiry_open_client", args=[enquiry.pk]))
    assert open_client.url == reverse("admin:clients_client_change", args=[enquiry.client_id])


@pytest.mark.django_db
def test_a_candidate_page_carries_its_actions_as_buttons(admin_client):
    candidate = factories.CandidateFactory()
    page = admin_client.get(reverse("admin:candidates_candidate_change", args=[candidate.pk])).content.decode()
    for label in ["Add to role", "Add to pool", "Log a call", "Log a note", "Record consent", "Download CV"]:
        assert label in page
    log_call = admin_client.get(reverse("admin:candidates_candidate_log_call", args=[candidate.pk]))
    assert log_call.url.startswith(reverse("admin:pipelines_activity_add")) and "kind=call" in log_call.url


@pytest.mark.django_db
def test_the_board_moves_a_card_and_answers_json(admin_client, recruiter):
    submission = factories.SubmissionFactory(stage=Stage.SOURCED)
    url = reverse("admin:pipelines_submission_move", args=[submission.pk])

    response = admin_client.post(url, {"to_stage": "screened"}, HTTP_ACCEPT="application/json")

    assert response.status_code == 200 and response.json()["ok"] is True
    change = StageChange.objects.get(submission=submission, to_stage="screened")
    assert change.changed_by == recruiter


@pytest.mark.django_db
def test_a_refused_drop_stores_nothing_and_says_why(admin_client):
    submission = factories.SubmissionFactory(stage=Stage.SOURCED)
    url = reverse("admin:pipelines_submission_move", args=[submission.pk])

    response = admin_client.post(url, {"to_stage": "placed"}, HTTP_ACCEPT="application/json")

    assert response.status_code == 400 and response.json()["ok"] is False
    assert response.json()["errors"]
    submission.refresh_from_db()
    assert submission.stage == Stage.SOURCED


@pytest.mark.django_db
def test_rejecting_with_a_coded_reason_records_it(admin_client):
    submission = factories.SubmissionFactory(stage=Stage.SCREENED)
    reason = RejectionReason.objects.get(code="pay")
    url = reverse("admin:pipelines_submission_move", args=[submission.pk])

    response = admin_client.post(
        url, {"to_stage": "rejected", "rejection_reason": reason.pk}, HTTP_ACCEPT="application/json"
    )

    assert response.json()["ok"] is True
    submission.refresh_from_db()
    assert submission.rejection_reason == reason and submission.exit_reason == reason.label


@pytest.mark.django_db
def test_the_board_shows_every_forward_stage_with_the_exits_collapsed(admin_client):
    role = factories.RoleFactory()
    factories.SubmissionFactory(role=role, stage=Stage.REJECTED, exit_reason="Not a fit")
    page = admin_client.get(reverse("admin:roles_role_board", args=[role.pk])).content.decode()
    for stage in ["sourced", "screened", "shortlisted", "submitted", "interview", "offer", "placed"]:
        assert f'id="col-{stage}"' in page
    assert '<details class="ws-exit" data-stage="rejected">' in page
    assert "Sortable-1.15.7.min.js" in page


def _buttons(admin_client, url: str) -> str:
    return admin_client.get(url).content.decode()


@pytest.mark.django_db
def test_record_pages_carry_their_steps_as_buttons_only_while_they_apply(admin_client):
    placement = factories.PlacementFactory()
    submission = placement.submission
    interview = factories.InterviewFactory()
    page = _buttons(admin_client, reverse("admin:pipelines_submission_change", args=[submission.pk]))
    for name in ["move_one", "open_board", "schedule_interview"]:
        assert reverse(f"admin:pipelines_submission_{name}", args=[submission.pk]) in page
    page = _buttons(admin_client, reverse("admin:assessments_interview_change", args=[interview.pk]))
    move = reverse("admin:assessments_interview_move_interview", args=[interview.pk])
    assert "Fill in a scorecard" in page and move in page
    end = reverse("admin:pipelines_placement_end_placement", args=[placement.pk])
    page = _buttons(admin_client, reverse("admin:pipelines_placement_change", args=[placement.pk]))
    assert end in page and "£100,000" in page and 'name="fee_amount"' not in page  # read-only money

    interview.status = "cancelled"
    interview.save(update_fields=["status"])
    placement.ended_on = placement.start_date
    placement.save(update_fields=["ended_on"])
    assert "Fill in a scorecard" not in _buttons(
        admin_client, reverse("admin:assessments_interview_change", args=[interview.pk])
    )
    assert end not in _buttons(admin_client, reverse("admin:pipelines_placement_change", args=[placement.pk]))


@pytest.mark.django_db
def test_lists_write_dates_in_en_gb_on_the_24_hour_clock(admin_client):
    # 19:30 UTC on 18 July is 20:30 in London (British Summer Time).
    factories.ActivityFactory(occurred_at=datetime.datetime(2026, 7, 18, 19, 30, tzinfo=datetime.UTC))
    page = admin_client.get(reverse("admin:pipelines_activity_changelist")).content.decode()
    assert "18 Jul 2026, 20:30" in page and "p.m." not in page
