"""The intake: the recommendation rules, and the form storing an Intake with its needs or refusing bad input."""

import pytest
from django.urls import reverse

from leads.models import Intake, IntakePillarNeed
from leads.services import intake_recommend
from roles.models import Pillar

URL = reverse("public:intake")


def recommended(**kwargs) -> list[str]:
    return [item["pillar"] for item in intake_recommend(**kwargs)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"answers": {"data_fixing_time": "most"}}, ["data-engineer"]),
        ({"answers": {"data_fixing_time": "some"}}, ["data-engineer"]),
        ({"answers": {"data_fixing_time": "little"}}, []),
        ({"answers": {"models_today": "notebooks"}}, ["ml-engineer"]),
        ({"answers": {"models_today": "few", "drift_noticed": "yes"}}, []),
        ({"answers": {"models_today": "few", "drift_noticed": "unsure"}}, ["mlops-engineer"]),
        ({"answers": {"models_today": "many", "drift_noticed": "yes"}}, ["mlops-engineer"]),
        ({"answers": {"models_today": "notebooks", "models_next_year": "6+"}}, ["ml-engineer", "mlops-engineer"]),
        ({"answers": {}, "needs_on_device": True}, ["embedded-ai-engineer"]),
        ({"answers": {}, "regulated_sector": True}, ["ai-security-engineer"]),
        ({"answers": {"adversarial_exposure": "yes"}}, ["ai-security-engineer"]),
        ({"answers": {"adversarial_exposure": "unsure"}}, []),
        ({"answers": {"shipped_before": "no"}}, ["ai-ml-leader"]),
        ({"answers": {"shipped_before": "yes"}}, []),
        (
            {
                "answers": {"shipped_before": "no", "data_fixing_time": "most", "models_today": "notebooks"},
                "needs_on_device": True,
            },
            ["data-engineer", "ml-engineer", "embedded-ai-engineer", "ai-ml-leader"],
        ),
    ],
)
def test_recommendation_rules(kwargs, expected):
    assert recommended(**kwargs) == expected


@pytest.mark.django_db
def test_each_reason_says_why_in_the_visitors_terms_and_ends_with_the_pillars_own_failure_text():
    [item] = intake_recommend(answers={"data_fixing_time": "most"})
    pillar = Pillar.objects.get(slug="data-engineer")
    assert item["name"] == "Data Engineer"
    assert item["reason"].startswith("You told us over half of your ML team's time goes into fixing data.")
    assert item["reason"].endswith(pillar.failure_prevented)


@pytest.mark.django_db
def test_an_edited_failure_text_is_what_the_visitor_reads():
    Pillar.objects.filter(slug="ml-engineer").update(failure_prevented="Prototypes never ship.")
    [item] = intake_recommend(answers={"models_today": "notebooks"})
    assert item["reason"].endswith("Prototypes never ship.")


def valid(**overrides) -> dict:
    data = {
        "company_name": "Kestrel Robotics",
        "website": "https://kestrel.example",
        "industry": "robotics",
        "size": "51-200",
        "location": "Bristol",
        "contact_name": "Ada Lovelace",
        "contact_email": "ada@kestrel.example",
        "contact_job_title": "CTO",
        "timeline": "1-3 months",
        "budget": "250k-1m",
        "needs_on_device": "on",
        "data_fixing_time": "most",
        "models_today": "notebooks",
        "models_next_year": "2-5",
        "drift_noticed": "na",
        "adversarial_exposure": "no",
        "shipped_before": "no",
        "need_ml-engineer": "on",
        "headcount_ml-engineer": "2",
        "seniority_ml-engineer": "senior",
        "need_embedded-ai-engineer": "on",
        "headcount_embedded-ai-engineer": "1",
        "seniority_embedded-ai-engineer": "lead",
        "consent": "on",
        "hp_sonitec_check": "",
    }
    return {**data, **overrides}


@pytest.mark.django_db
def test_a_valid_intake_is_stored_and_its_result_page_shows_the_recommendation(client):
    response = client.post(URL, valid())

    assert response.status_code == 302
    intake = Intake.objects.get()
    assert intake.contact_email == "ada@kestrel.example"
    assert intake.answers["data_fixing_time"] == "most"
    assert [item["pillar"] for item in intake.recommendation] == [
        "data-engineer",
        "ml-engineer",
        "embedded-ai-engineer",
        "ai-ml-leader",
    ]
    needs = {(n.pillar.slug, n.headcount, n.seniority) for n in IntakePillarNeed.objects.select_related("pillar")}
    assert needs == {("ml-engineer", 2, "senior"), ("embedded-ai-engineer", 1, "lead")}

    page = client.get(response["Location"]).content.decode()
    assert "Your team recommendation" in page
    for name in ("Data Engineer", "ML Engineer", "Embedded AI Engineer", "AI/ML Leader"):
        assert name in page
    assert "2 × Senior ML Engineer" in page


@pytest.mark.django_db
def test_the_result_page_is_only_for_the_visitor_who_sent_the_intake(client):
    client.post(URL, valid())
    from django.test import Client

    stranger = Client().get(reverse("public:intake_result"))
    assert stranger.status_code == 302
    assert stranger["Location"] == URL


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"contact_email": "ada at kestrel"}, "Enter a valid email address."),
        ({"company_name": ""}, "This field is required."),
        ({"consent": ""}, "Please agree to be contacted"),
        ({"website": "javascript:alert(1)"}, "Enter a valid URL."),
        ({"notes": "x" * 2001}, "at most 2000 characters"),
        ({"headcount_ml-engineer": "0"}, "greater than or equal to 1"),
        ({"headcount_ml-engineer": "500"}, "less than or equal to 50"),
        ({"seniority_ml-engineer": ""}, "Choose a seniority for the ML Engineer."),
        ({"data_fixing_time": "all-of-it"}, "Select a valid choice."),
        ({"contact_phone": "12"}, "Enter a valid phone number"),
    ],
    ids=[
        "bad-email",
        "no-company",
        "no-consent",
        "script-url",
        "oversized-notes",
        "zero-headcount",
        "huge-headcount",
        "need-without-seniority",
        "unknown-answer",
        "bad-phone",
    ],
)
def test_invalid_intakes_are_refused_with_the_reason_and_store_nothing(client, overrides, message):
    response = client.post(URL, valid(**overrides))

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'value="Kestrel Robotics"' in page or overrides.get("company_name") == ""
    assert Intake.objects.count() == 0
    assert IntakePillarNeed.objects.count() == 0


@pytest.mark.django_db
def test_the_intake_form_is_rate_limited_per_address(client):
    for _ in range(5):
        client.post(URL, valid(consent=""))
    response = client.post(URL, valid())
    assert response.status_code == 429
    assert Intake.objects.count() == 0


@pytest.mark.django_db
def test_the_form_lists_every_pillar_and_every_question(client):
    page = client.get(URL).content.decode()
    for pillar in Pillar.objects.all():
        assert f'name="need_{pillar.slug}"' in page
    assert "How much of your ML team&#x27;s time goes into fixing data?" in page
    assert "Has anyone on your team shipped production AI before?" in page
