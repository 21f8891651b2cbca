"""What recruiters see and change in the admin: rules, templates with a preview, messages, follow-ups."""

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import ConsentPurpose
from messaging.models import FollowUpStatus, Message, MessageStatus, RuleKey
from sonitec import events
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_recruiter_switches_off_a_rule_and_changes_its_delay_from_the_list(admin_client):
    rule = factories.seeded_rule(RuleKey.OFFER_REMINDER)
    url = reverse("admin:messaging_followuprule_change", args=[rule.pk])
    response = admin_client.post(url, {"name": rule.name, "delay_days": 5, "template": rule.template_id})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.is_active, rule.delay_days) == (False, 5)


def test_a_template_that_does_not_compile_is_refused(admin_client):
    template = factories.seeded_rule(RuleKey.APPLICATION_ACK).template
    url = reverse("admin:messaging_emailtemplate_change", args=[template.pk])
    response = admin_client.post(
        url, {"key": template.key, "name": template.name, "subject": "Hi {% if %}", "body": template.body}
    )
    assert response.status_code == 200
    assert b"does not compile" in response.content
    template.refresh_from_db()
    assert "{% if" not in template.subject


def test_the_template_page_previews_against_a_real_record(admin_client):
    submission = factories.SubmissionFactory(candidate__name="Grace Hopper", role__title="Compiler Lead")
    template = factories.seeded_rule(RuleKey.APPLICATION_ACK).template
    url = reverse("admin:messaging_emailtemplate_change", args=[template.pk])
    response = admin_client.get(url, {"record": submission.pk})
    assert response.status_code == 200
    assert b"Your application for Compiler Lead" in response.content
    # An acknowledgement quotes nothing the applicant typed, and the preview shows exactly what is sent.
    assert b"Grace Hopper" not in response.content.split(b"Your application for Compiler Lead", 1)[1][:2000]


def test_failed_messages_are_retried_from_the_admin(admin_client, django_capture_on_commit_callbacks):
    failed = factories.MessageFactory(status=MessageStatus.FAILED, attempts=5, last_error="550")
    sent = factories.MessageFactory(status=MessageStatus.SENT, sent_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:messaging_message_changelist"),
            {"action": "retry_messages", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )
    assert b"1 message(s) queued again" in response.content
    failed.refresh_from_db()
    assert failed.status == MessageStatus.SENT
    assert Message.objects.get(pk=sent.pk).sent_at == sent.sent_at


def test_candidate_contact_role_and_submission_pages_show_pending_follow_ups_and_messages(admin_client):
    contact = factories.ContactFactory()
    role = factories.RoleFactory(client=contact.client, hiring_contact=contact)
    candidate = factories.CandidateFactory()
    factories.ConsentFactory(candidate=candidate, purpose=ConsentPurpose.DATA_PROCESSING)
    submission = factories.SubmissionFactory(candidate=candidate, role=role, stage="submitted")
    events.application_received(submission)
    events.stage_changed(
        factories.StageChangeFactory(submission=submission, from_stage="shortlisted", to_stage="submitted")
    )
    for name, obj in [
        ("candidates_candidate", candidate),
        ("roles_role", role),
        ("pipelines_submission", submission),
        ("clients_contact", contact),
    ]:
        page = admin_client.get(reverse(f"admin:{name}_change", args=[obj.pk])).content.decode()
        assert "Pending follow-ups" in page, name
        assert "Nudge the client on a submitted candidate" in page, name
        # The candidate's acknowledgement is listed where it concerns them, not on the contact's page.
        assert (f"Your application for {role.title}" in page) == (name != "clients_contact"), name


def test_due_today_lists_todays_follow_ups_only(admin_client):
    today = factories.FollowUpFactory(candidate__name="Due Today Person")
    factories.FollowUpFactory(candidate__name="Next Week Person", due_at=timezone.now() + timezone.timedelta(days=7))
    response = admin_client.get(reverse("admin:messaging_followupduetoday_changelist"))
    assert b"Due Today Person" in response.content
    assert b"Next Week Person" not in response.content
    assert today.status == FollowUpStatus.PENDING
