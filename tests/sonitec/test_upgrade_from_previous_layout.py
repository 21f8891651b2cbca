"""Upgrading a database made before partners, leads and messaging had apps of their own loses nothing.

The database is migrated back to the previous layout, filled through the models as they were then, and migrated
forward again: every row is still there, read through the models where they now live.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from candidates.models import Candidate
from leads.models import Enquiry, Intake, IntakePillarNeed
from messaging.models import FollowUp, Message
from partners.models import ApiKey, Partner, WebhookDelivery, WebhookSubscription
from roles.models import Role
from sonitec.models import IdempotencyRecord, User

PREVIOUS_LAYOUT = [
    ("sonitec", "0001_initial"),
    ("roles", "0003_seed_pillars_and_skills"),
    ("clients", "0002_initial"),
    ("candidates", "0005_candidate_list_order_index"),
    ("pipelines", "0003_seed_followup_rules"),
    ("leads", None),
    ("partners", None),
    ("messaging", None),
]
MOVED_TABLES = [
    "clients_partner",
    "clients_apikey",
    "clients_webhooksubscription",
    "clients_webhookdelivery",
    "clients_enquiry",
    "clients_intake",
    "clients_intakepillarneed",
    "clients_idempotencyrecord",
    "pipelines_emailtemplate",
    "pipelines_followuprule",
    "pipelines_followup",
    "pipelines_message",
    "roles_role_partners",
    "candidates_historicalcandidate",
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _fill_previous_layout(apps) -> dict:
    """Rows in every moved table, made with the models as they were (old app labels)."""
    now = timezone.now()
    Partner = apps.get_model("clients", "Partner")
    partner = Partner.objects.create(name="Board Co", contact_email="dev@board.example", scopes=["roles:read"])
    apps.get_model("clients", "ApiKey").objects.create(partner=partner, prefix="abcd1234", key_hash="f" * 64)
    subscription = apps.get_model("clients", "WebhookSubscription").objects.create(
        partner=partner, url="https://hooks.board.example/x", events=["role.published"], secret="s" * 32
    )
    apps.get_model("clients", "WebhookDelivery").objects.create(
        subscription=subscription,
        event_id="00000000-0000-0000-0000-000000000001",
        event_type="role.published",
        payload={"id": 1},
    )
    enquiry = apps.get_model("clients", "Enquiry").objects.create(
        name="Ada Client", email="ada@acme.example", message="We need help", consent_at=now, consent_notice_version="1"
    )
    intake = apps.get_model("clients", "Intake").objects.create(
        company_name="Acme",
        contact_name="Ada",
        contact_email="ada@acme.example",
        consent_at=now,
        consent_notice_version="1",
    )
    # Earlier transactional tests may have emptied the seeded tables: make what this test needs.
    pillar, _ = apps.get_model("roles", "Pillar").objects.get_or_create(
        slug="upgrade-pillar", defaults={"name": "Upgrade pillar", "position": 99}
    )
    apps.get_model("clients", "IntakePillarNeed").objects.create(intake=intake, pillar=pillar, seniority="senior")
    apps.get_model("clients", "IdempotencyRecord").objects.create(
        owner="partner:1", key="k1", fingerprint="0" * 64, response_status=201, response_body={"id": 7}
    )
    client = apps.get_model("clients", "Client").objects.create(name="Acme")
    role = apps.get_model("roles", "Role").objects.create(
        client=client, pillar=pillar, title="ML Engineer", slug="ml-engineer-acme", partner_visibility="selected"
    )
    role.partners.add(partner)
    candidate = apps.get_model("candidates", "Candidate").objects.create(
        name="Lena Usman", email="lena@example.com", source_partner=partner
    )
    apps.get_model("candidates", "HistoricalCandidate").objects.create(
        id=candidate.pk,
        name=candidate.name,
        email=candidate.email,
        source_partner_id=partner.pk,
        history_date=now,
        history_type="+",
        created_at=now,
    )
    template, _ = apps.get_model("pipelines", "EmailTemplate").objects.get_or_create(
        key="enquiry-ack", defaults={"name": "Enquiry", "subject": "Thanks", "body": "Hello"}
    )
    rule, _ = apps.get_model("pipelines", "FollowUpRule").objects.get_or_create(
        key="enquiry_ack", defaults={"name": "Acknowledge", "template": template}
    )
    message = apps.get_model("pipelines", "Message").objects.create(
        to_email="ada@acme.example", subject="Thanks", body="Hello", enquiry=enquiry, rule=rule
    )
    apps.get_model("pipelines", "FollowUp").objects.create(
        rule=rule, due_at=now + datetime.timedelta(days=1), dedupe_key="enquiry_ack:1", enquiry=enquiry, message=message
    )
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=60, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.update_or_create(
        name="webhook-retry-due", defaults={"task": "clients.tasks.webhook_retry_due", "interval": every_minute}
    )
    # A recruiter allowed to view partners keeps that permission after the move.
    user = apps.get_model("sonitec", "User").objects.create(username="ops", is_staff=True)
    permission = apps.get_model("auth", "Permission").objects.get(
        content_type__app_label="clients", codename="view_partner"
    )
    user.user_permissions.add(permission)
    return {"partner": partner.pk, "candidate": candidate.pk, "role": role.pk, "user": user.pk}


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in MOVED_TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - fixed table names
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_upgrading_from_the_previous_layout_keeps_every_row():
    executor = _migrate(PREVIOUS_LAYOUT)
    try:
        old_apps = executor.loader.project_state([t for t in PREVIOUS_LAYOUT if t[1]]).apps
        ids = _fill_previous_layout(old_apps)
        before = _row_counts()
    finally:  # whatever happens, later tests get the current schema back
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert all(before.values()), before

    assert _row_counts() == before
    partner = Partner.objects.get(pk=ids["partner"])
    assert partner.name == "Board Co" and partner.api_keys.get().prefix == "abcd1234"
    assert WebhookSubscription.objects.get().deliveries.get().payload == {"id": 1}
    assert Candidate.objects.get(pk=ids["candidate"]).source_partner == partner
    assert Candidate.history.get(id=ids["candidate"]).source_partner_id == partner.pk
    assert list(Role.objects.get(pk=ids["role"]).partners.all()) == [partner]
    enquiry = Enquiry.objects.get()
    assert enquiry.messages.get().subject == "Thanks" and enquiry.followups.get().message is not None
    assert IntakePillarNeed.objects.get().intake == Intake.objects.get()
    assert Message.objects.get().rule.key == FollowUp.objects.get().rule.key == "enquiry_ack"
    assert ApiKey.objects.count() == WebhookDelivery.objects.count() == IdempotencyRecord.objects.count() == 1
    assert PeriodicTask.objects.get(name="webhook-retry-due").task == "partners.retry_due_webhooks"
    assert not ContentType.objects.filter(app_label="clients", model="partner").exists()
    assert User.objects.get(pk=ids["user"]).has_perm("partners.view_partner")
    assert Permission.objects.filter(content_type__app_label="partners", codename="view_partner").count() == 1
