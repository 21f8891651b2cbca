"""The recruiter's pages: the board, the move page, bulk actions, ending placements, quick logging, dashboard."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import ConsentPurpose
from pipelines.models import Activity, Placement, StageChange, Submission
from roles.models import Role, RoleStatus
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def test_board_shows_columns_and_cards_with_a_flat_query_count(admin_client, django_assert_max_num_queries):
    role = factories.RoleFactory()
    factories.SubmissionFactory.create_batch(5, role=role, stage="screened")
    url = reverse("admin:roles_role_board", args=[role.pk])
    with django_assert_max_num_queries(30) as small:
        response = admin_client.get(url)
    assert response.status_code == 200
    factories.SubmissionFactory.create_batch(50, role=role, stage="interview")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = admin_client.get(url)
    html = response.content.decode()
    for stage, count in [("screened", 5), ("interview", 50), ("placed", 0)]:
        column = html.split(f'id="col-{stage}"')[1].split("</h2>")[0]
        assert f"data-count>{count}</span>" in column
    assert html.count('class="ws-card"') == 55
    assert "days in stage" in html or "day in stage" in html


def test_board_is_linked_from_the_role_list_and_page(admin_client):
    role = factories.RoleFactory()
    board = reverse("admin:roles_role_board", args=[role.pk])
    assert board in admin_client.get(reverse("admin:roles_role_changelist")).content.decode()
    button = reverse("admin:roles_role_open_board", args=[role.pk])
    assert button in admin_client.get(reverse("admin:roles_role_change", args=[role.pk])).content.decode()
    assert admin_client.get(button).url == board


def test_a_card_moves_by_a_plain_form_post(admin_client, recruiter):
    submission = factories.SubmissionFactory(stage="sourced")
    board = reverse("admin:roles_role_board", args=[submission.role_id])
    response = admin_client.post(
        reverse("admin:pipelines_submission_move", args=[submission.pk]),
        {"to_stage": "screened", "note": "", "next": board},
    )
    assert response.status_code == 302 and response["Location"] == board
    change = StageChange.objects.get(submission=submission)
    assert (change.to_stage, change.changed_by) == ("screened", recruiter)


def test_a_refused_move_shows_the_reason_and_stores_nothing(admin_client):
    submission = factories.SubmissionFactory(stage="shortlisted")
    response = admin_client.post(
        reverse("admin:pipelines_submission_move", args=[submission.pk]), {"to_stage": "submitted"}
    )
    assert response.status_code == 200
    assert "no recorded consent" in response.content.decode()
    assert Submission.objects.get(pk=submission.pk).stage == "shortlisted"


def test_from_sourced_to_placed_as_a_recruiter_would(admin_client, recruiter):
    """The issue's walk-through: board → consent → move to placed with start date and pay → fee, history, filled."""
    role = factories.RoleFactory(headcount=1, status=RoleStatus.OPEN)
    submission = factories.SubmissionFactory(role=role, stage="sourced")
    other = factories.SubmissionFactory(role=role, stage="screened")
    move = reverse("admin:pipelines_submission_move", args=[submission.pk])
    board = reverse("admin:roles_role_board", args=[role.pk])
    dashboard_before = admin_client.get(reverse("admin:index")).content.decode()
    assert 'id="pipeline-dashboard"' in dashboard_before

    # Choosing "placed" on the board without details asks for them (and first for the consent).
    response = admin_client.post(move, {"to_stage": "placed", "next": board})
    assert "no recorded consent" in response.content.decode()
    response = admin_client.post(move, {"record_consent": "1", "method": "phone", "consent_note": "On a call"})
    assert response.status_code == 302
    assert submission.candidate.consents.filter(purpose=ConsentPurpose.REPRESENTATION, role=role).exists()
    response = admin_client.post(move, {"to_stage": "placed", "next": board})
    assert response.status_code == 200 and "Enter the start date" in response.content.decode()
    assert not Placement.objects.exists()

    response = admin_client.post(
        move,
        {"to_stage": "placed", "next": board, "start_date": TODAY.isoformat(), "agreed_salary": "100000"},
        follow=True,
    )
    text = response.content.decode()
    assert "Fee £20,000" in text and "guarantee until" in text and "role is now filled" in text
    placement = Placement.objects.get(submission=submission)
    assert placement.guarantee_ends_on == TODAY + datetime.timedelta(days=90)
    assert Role.objects.get(pk=role.pk).status == RoleStatus.FILLED
    assert Submission.objects.get(pk=other.pk).needs_decision
    history = admin_client.get(reverse("admin:pipelines_submission_change", args=[submission.pk])).content.decode()
    assert "Placed" in history and "Sourced" in history
    placement_page = admin_client.get(reverse("admin:pipelines_placement_change", args=[placement.pk]))
    assert "£20,000" in placement_page.content.decode()  # the fee, read-only, written as money
    assert admin_client.get(reverse("admin:index")).content.decode() != dashboard_before


def test_bulk_move_asks_for_a_stage_then_moves_all(admin_client):
    submissions = factories.SubmissionFactory.create_batch(3, stage="sourced")
    url = reverse("admin:pipelines_submission_changelist")
    ids = [s.pk for s in submissions]
    response = admin_client.post(url, {"action": "move_to_stage", "_selected_action": ids})
    assert response.status_code == 200 and "Move submissions to a stage" in response.content.decode()
    admin_client.post(
        url, {"action": "move_to_stage", "_selected_action": ids, "apply": "1", "to_stage": "shortlisted", "note": ""}
    )
    assert set(Submission.objects.values_list("stage", flat=True)) == {"shortlisted"}
    assert StageChange.objects.filter(to_stage="shortlisted").count() == 3


def test_bulk_reject_needs_a_reason_and_is_all_or_nothing(admin_client):
    open_ones = factories.SubmissionFactory.create_batch(2, stage="screened")
    placed = factories.SubmissionFactory(stage="placed")
    url = reverse("admin:pipelines_submission_changelist")
    ids = [s.pk for s in [*open_ones, placed]]
    response = admin_client.post(
        url, {"action": "reject_with_reason", "_selected_action": ids, "apply": "1", "note": ""}
    )
    assert "This field is required" in response.content.decode()
    response = admin_client.post(
        url,
        {"action": "reject_with_reason", "_selected_action": ids, "apply": "1", "note": "Client paused hiring"},
        follow=True,
    )
    assert "Placed is final" in response.content.decode()
    assert not Submission.objects.filter(stage="rejected").exists()
    admin_client.post(
        url, {"action": "reject_with_reason", "_selected_action": ids[:2], "apply": "1", "note": "Client paused hiring"}
    )
    assert set(Submission.objects.filter(stage="rejected").values_list("exit_reason", flat=True)) == {
        "Client paused hiring"
    }


def test_ending_a_placement_from_its_page(admin_client, consented):
    from pipelines.services import submission_move

    submission = consented(stage="offer")
    submission_move(
        submission=submission, to_stage="placed", start_date=TODAY - datetime.timedelta(days=10), agreed_salary=100000
    )
    placement = Placement.objects.get()
    url = reverse("admin:pipelines_placement_end", args=[placement.pk])
    assert admin_client.post(url, {"ended_on": "", "termination_reason": ""}).status_code == 200
    response = admin_client.post(url, {"ended_on": TODAY.isoformat(), "termination_reason": "Failed probation"})
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.status == "fell_through" and placement.rebate_amount > 0


@pytest.mark.parametrize("target", ["candidate", "role", "client"])
def test_log_a_call_in_one_click_returns_to_the_page(admin_client, recruiter, target):
    obj = {"candidate": factories.CandidateFactory, "role": factories.RoleFactory, "client": factories.ClientFactory}[
        target
    ]()
    page = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    html = admin_client.get(page).content.decode()
    link = f"{reverse('admin:pipelines_activity_add')}?{target}={obj.pk}&amp;kind=call&amp;next="
    assert link in html
    add = link.replace("&amp;", "&") + page
    response = admin_client.post(
        add,
        {
            "kind": "call",
            "subject": "Checked in",
            "body": "",
            target: obj.pk,
            "occurred_at_0": TODAY.isoformat(),
            "occurred_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302 and response["Location"] == page
    activity = Activity.objects.get()
    assert (getattr(activity, f"{target}_id"), activity.author, activity.kind) == (obj.pk, recruiter, "call")


def test_role_status_edits_go_through_the_service(admin_client):
    role = factories.RoleFactory(status=RoleStatus.DRAFT, opened_on=None)
    page = reverse("admin:roles_role_change", args=[role.pk])
    form = admin_client.get(page).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update({"status": RoleStatus.OPEN, "client": role.client_id, "pillar": role.pillar_id})
    for inline in admin_client.get(page).context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-TOTAL_FORMS": 0, f"{formset.prefix}-INITIAL_FORMS": 0})
    response = admin_client.post(page, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    role.refresh_from_db()
    assert (role.status, role.opened_on) == (RoleStatus.OPEN, TODAY)


def test_dashboard_query_count_is_flat(admin_client, django_assert_max_num_queries, consented):
    def grow(count):
        for index in range(count):
            submission = consented(stage="offer", role__headcount=1)
            from pipelines.services import submission_move

            submission_move(submission=submission, to_stage="placed", start_date=TODAY, agreed_salary=90000 + index)
            factories.SubmissionFactory(stage="screened", owner=factories.UserFactory())

    grow(5)
    with django_assert_max_num_queries(30) as small:
        assert admin_client.get(reverse("admin:index")).status_code == 200
    grow(50)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = admin_client.get(reverse("admin:index"))
    assert "<svg" in response.content.decode()


def test_board_shows_the_next_pending_follow_up(admin_client):
    follow_up_factory = getattr(factories, "FollowUpFactory", None)
    if follow_up_factory is None:
        pytest.skip("follow-ups are not installed")
    submission = factories.SubmissionFactory(stage="submitted")
    due = timezone.localtime() + datetime.timedelta(days=3)
    follow_up_factory(submission=submission, candidate=submission.candidate, due_at=due)
    follow_up_factory(
        submission=submission,
        candidate=submission.candidate,
        due_at=due - datetime.timedelta(days=2),
        status="cancelled",
    )
    html = admin_client.get(reverse("admin:roles_role_board", args=[submission.role_id])).content.decode()
    assert f"Follow-up {due:%-d %b %H:%M}" in html


def test_next_never_leaves_the_site(admin_client):
    submission = factories.SubmissionFactory(stage="sourced")
    response = admin_client.post(
        reverse("admin:pipelines_submission_move", args=[submission.pk]),
        {"to_stage": "screened", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("admin:pipelines_submission_change", args=[submission.pk])
