"""Scorecards on the pillar's rubric, side by side with their averages; the admin flow a recruiter follows."""

import pytest
from django.core.exceptions import ValidationError

from assessments import selectors, services
from assessments.models import Competency, Interview, InterviewKind, Recommendation, Scorecard
from messaging.models import Message
from pipelines.models import Stage

from .conftest import in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview(panel):
    return services.interview_schedule(
        submission=panel["submission"],
        kind=InterviewKind.TECHNICAL,
        scheduled_at=in_days(1),
        interviewers=[panel["alice"], panel["bob"]],
        client_interviewers=[panel["contact"]],
        location="1 Fen Road, Cambridge",
    )


def rubric(interview):
    return list(Competency.objects.filter(pillar=interview.submission.role.pillar).order_by("position"))


def test_two_scorecards_side_by_side_with_averages(panel, interview, recruiter):
    competencies = rubric(interview)
    assert [c.name for c in competencies][:3] == [
        "CI/CD for models",
        "Monitoring and drift detection",
        "Training infrastructure",
    ]
    alice_scores = {c.pk: score for c, score in zip(competencies, [4, 3, 2, 4], strict=True)}
    dana_scores = {c.pk: score for c, score in zip(competencies, [3, 3, 1, 4], strict=True)}
    services.scorecard_submit(
        interview=interview,
        interviewer=panel["alice"],
        scores=alice_scores,
        recommendation=Recommendation.STRONG_YES,
        strengths="Ran drift alerts for 40 models.",
        entered_by=panel["alice"],
    )
    services.scorecard_submit(
        interview=interview,
        client_interviewer=panel["contact"],
        scores=dana_scores,
        recommendation=Recommendation.YES,
        concerns="Little GPU scheduling.",
        entered_by=recruiter,
    )
    table = selectors.submission_scorecards(submission=panel["submission"])
    assert [card.interviewer_name for card in table.scorecards] == ["Alice Ng", "Dana Client"]
    assert [(row.competency.name, row.scores, row.average) for row in table.rows] == [
        ("CI/CD for models", [4, 3], 3.5),
        ("Monitoring and drift detection", [3, 3], 3.0),
        ("Training infrastructure", [2, 1], 1.5),
        ("Kubernetes and platform operations", [4, 4], 4.0),
    ]
    assert table.recommendation_average == 3.5 and table.recommendation_label == "Strong yes"


def test_the_scorecard_table_takes_the_same_queries_for_one_or_many(panel, interview, django_assert_num_queries):
    competencies = rubric(interview)
    services.scorecard_submit(
        interview=interview,
        interviewer=panel["alice"],
        scores={c.pk: 2 for c in competencies},
        recommendation=Recommendation.NO,
    )
    # scorecards with their interview and people; their scores (prefetch); the rubric
    with django_assert_num_queries(3):
        selectors.submission_scorecards(submission=panel["submission"])
    services.scorecard_submit(
        interview=interview,
        interviewer=panel["bob"],
        scores={c.pk: 3 for c in competencies},
        recommendation=Recommendation.YES,
    )
    services.scorecard_submit(
        interview=interview,
        client_interviewer=panel["contact"],
        scores={c.pk: 4 for c in competencies},
        recommendation=Recommendation.YES,
    )
    with django_assert_num_queries(3):
        table = selectors.submission_scorecards(submission=panel["submission"])
    assert table.rows[0].average == 3.0


@pytest.mark.parametrize(
    "change, message",
    [
        ({"scores": "missing"}, "Score “"),
        ({"scores": "five"}, "1, 2, 3 or 4"),
        ({"recommendation": "maybe"}, "recommendation"),
        ({"interviewer": None}, "one interviewer"),
        ({"interviewer": "outsider"}, "not on this interview's panel"),
    ],
)
def test_an_incomplete_or_invalid_scorecard_is_refused(panel, interview, change, message):
    from tests import factories

    competencies = rubric(interview)
    kwargs = {
        "interview": interview,
        "interviewer": panel["alice"],
        "scores": {c.pk: 3 for c in competencies},
        "recommendation": Recommendation.YES,
    }
    if change.get("scores") == "missing":
        change = {"scores": {c.pk: 3 for c in competencies[1:]}}
    elif change.get("scores") == "five":
        change = {"scores": {c.pk: 5 for c in competencies}}
    elif change.get("interviewer") == "outsider":
        change = {"interviewer": factories.UserFactory()}
    kwargs.update(change)
    with pytest.raises(ValidationError, match=message):
        services.scorecard_submit(**kwargs)
    assert not Scorecard.objects.exists()


def test_an_interviewer_fills_in_one_scorecard_per_interview(panel, interview):
    scores = {c.pk: 3 for c in rubric(interview)}
    services.scorecard_submit(interview=interview, interviewer=panel["alice"], scores=scores, recommendation="yes")
    with pytest.raises(ValidationError, match="already in"):
        services.scorecard_submit(interview=interview, interviewer=panel["alice"], scores=scores, recommendation="no")


def test_the_recruiter_schedules_and_two_interviewers_fill_in_scorecards_in_the_admin(
    panel, admin_client, django_capture_on_commit_callbacks
):
    """The whole flow as a recruiter clicks it: schedule from the submission, two scorecards, side by side."""
    submission = panel["submission"]
    page = admin_client.get(f"/admin/pipelines/submission/{submission.pk}/change/")
    assert "Schedule an interview" in page.content.decode()
    start = in_days(4, hour=15)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/assessments/interview/schedule/{submission.pk}/",
            {
                "kind": "technical",
                "scheduled_at": start.strftime("%Y-%m-%dT%H:%M"),
                "time_zone": "Europe/London",
                "duration_minutes": "60",
                "interviewers": [panel["alice"].pk],
                "client_interviewers": [panel["contact"].pk],
                "video_link": "https://meet.example/xyz",
                "location": "",
                "notes": "Bring a system you have run in production.",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    interview = Interview.objects.get(submission=submission)
    assert interview.scheduled_at == start
    candidate_mail = Message.objects.get(to_email=submission.candidate.email)
    assert candidate_mail.attachment_name == "invite.ics" and candidate_mail.status == "sent"
    submission.refresh_from_db()
    assert submission.stage == Stage.INTERVIEW

    competencies = rubric(interview)
    form_page = admin_client.get(f"/admin/assessments/interview/{interview.pk}/scorecard/").content.decode()
    assert competencies[0].level_4 in form_page
    for person, scores, recommendation in (
        (f"user-{panel['alice'].pk}", [4, 4, 3, 3], "strong_yes"),
        (f"contact-{panel['contact'].pk}", [3, 2, 3, 3], "yes"),
    ):
        data = {"interviewer": person, "recommendation": recommendation, "strengths": "Clear.", "concerns": ""}
        data.update({f"score_{c.pk}": str(s) for c, s in zip(competencies, scores, strict=True)})
        response = admin_client.post(f"/admin/assessments/interview/{interview.pk}/scorecard/", data)
        assert response.status_code == 302, response.content.decode()[:3000]
    page = admin_client.get(f"/admin/pipelines/submission/{submission.pk}/change/").content.decode()
    assert "Scorecards side by side" in page
    assert "Alice Ng" in page and "Dana Client" in page and "3.5" in page

    # A missing score is shown on the form and nothing is stored.
    incomplete = admin_client.post(
        f"/admin/assessments/interview/{interview.pk}/scorecard/",
        {"interviewer": "", "recommendation": "yes"},
    )
    assert incomplete.status_code == 200 and Scorecard.objects.count() == 2
