"""Email templates render in a sandbox: only the documented variables of their kind of message, as plain values.
Saving names what is not allowed; the preview uses the same sandbox and only records the editor may view."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from messaging import followups
from messaging.models import RULE_KIND, EmailTemplate, FollowUp, FollowUpRule, RuleKey
from messaging.templating import VARIABLES, template_check
from tests import factories

pytestmark = pytest.mark.django_db


def _form(template, **changes):
    return {"key": template.key, "name": template.name, "subject": template.subject, "body": template.body, **changes}


@pytest.mark.parametrize(
    "body",
    [
        "{{ candidate.owner.password }}",
        "{{ submission.candidate.cv.path }}",
        "{% if candidate.owner.is_superuser %}yes{% endif %}",
        "{{ candidate.name|default:owner.email }}",
    ],
)
def test_saving_a_template_that_reaches_beyond_the_documented_variables_names_the_variable(admin_client, body):
    template = factories.seeded_rule(RuleKey.SUBMITTED_NUDGE_CONTACT).template
    url = reverse("admin:messaging_emailtemplate_change", args=[template.pk])
    response = admin_client.post(url, _form(template, body=f"Hello {{{{ contact.name }}}}, {body}"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Unknown variable" in page
    assert "contact.name" not in page.split("Unknown variable", 1)[1][:40]  # the allowed one is not blamed
    template.refresh_from_db()
    assert body not in template.body


@pytest.mark.parametrize(
    "text", ['{% include "admin/base.html" %}', "{% load static %}", '{% extends "x" %}', "{% debug %}"]
)
def test_tags_that_reach_files_or_the_context_are_refused(text):
    with pytest.raises(ValidationError) as refused:
        template_check(subject="Hi", body=text)
    assert "body" in refused.value.message_dict


def test_an_acknowledgement_may_not_use_a_name_the_visitor_typed():
    with pytest.raises(ValidationError, match="candidate.name"):
        template_check(subject="Hi {{ candidate.name }}", body="x", kinds={RULE_KIND[RuleKey.APPLICATION_ACK]})


def test_a_stored_template_renders_no_record_attribute_even_if_it_skipped_the_check(recruiter):
    recruiter.set_password("s3cret-pass")
    recruiter.save()
    submission = factories.SubmissionFactory(
        candidate__name="Grace Hopper", candidate__owner=recruiter, role__title="Compiler Lead"
    )
    template = factories.seeded_rule(RuleKey.SUBMITTED_NUDGE_OWNER).template
    EmailTemplate.objects.filter(pk=template.pk).update(
        body="{{ candidate.name }}|{{ candidate.owner.password }}|{{ candidate.email }}|{{ submission.candidate.pk }}"
        "|{{ role.client.account_owner }}|{{ owner.password }}"
    )
    template.refresh_from_db()
    _, body = followups.template_preview(template=template, record=submission)
    assert body.strip() == "Grace Hopper|||||"


def _paths(context):
    for name, value in context.items():
        if isinstance(value, dict):
            for part, inner in value.items():
                assert isinstance(inner, str | int | datetime.date) or inner is None, (name, part)
                yield f"{name}.{part}"
        else:
            assert isinstance(value, str | int) or value is None, name
            yield name


def test_every_rule_renders_exactly_the_documented_variables_of_its_kind_as_plain_values():
    placement = factories.PlacementFactory(submission__owner=factories.UserFactory())
    submission = placement.submission
    contact, intake = factories.ContactFactory(), factories.IntakeFactory()
    for key, kind in RULE_KIND.items():
        followup = FollowUp(rule=FollowUpRule(key=key), submission=submission, placement=placement, intake=intake)
        followup.candidate, followup.role, followup.contact = submission.candidate, submission.role, contact
        assert set(_paths(followups.template_context(followup))) == VARIABLES[kind], key


def test_every_seeded_template_passes_the_check_for_the_rules_that_send_it():
    for rule in FollowUpRule.objects.select_related("template"):
        rule.template.full_clean()


def test_the_preview_only_uses_records_the_editor_may_view(client):
    submission = factories.SubmissionFactory(candidate__name="Grace Hopper", role__title="Compiler Lead")
    template = factories.seeded_rule(RuleKey.SUBMITTED_NUDGE_CONTACT).template
    editor = factories.UserFactory(is_staff=True)
    editor.user_permissions.add(*Permission.objects.filter(codename__in=["view_emailtemplate", "change_emailtemplate"]))
    client.force_login(editor)
    url = reverse("admin:messaging_emailtemplate_change", args=[template.pk])

    page = client.get(url, {"record": submission.pk}).content.decode()
    assert "Grace Hopper" not in page and "Compiler Lead" not in page
    assert "You may not view any submission" in page

    editor.user_permissions.add(Permission.objects.get(codename="view_submission"))
    page = client.get(url, {"record": submission.pk}).content.decode()
    assert "Grace Hopper" in page and "Compiler Lead" in page
