"""A filled honeypot keeps the post, marked spam, for administrators (purged after 30 days) and sends nothing;
the honeypot field is one no browser autofills. Public forms are limited with an exact sliding window."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate
from leads.models import Enquiry, Intake, TriageStatus
from leads.services import spam_purge
from messaging.models import FollowUp, Message
from sonitec import public
from tests.factories import EnquiryFactory, IntakeFactory
from tests.public import test_apply, test_contact, test_intake

pytestmark = pytest.mark.django_db


def assert_nothing_sent():
    assert not FollowUp.objects.exists()
    assert not Message.objects.exists()


def test_a_filled_honeypot_on_the_contact_form_keeps_the_enquiry_as_spam_and_acknowledges_nothing(client):
    response = client.post(test_contact.URL, test_contact.valid(hp_sonitec_check="+1 555 0100"))
    assert response.status_code == 302  # the same thank-you as anyone
    enquiry = Enquiry.objects.get()
    assert enquiry.status == TriageStatus.SPAM and enquiry.contact is None
    assert_nothing_sent()


def test_a_filled_honeypot_on_the_intake_form_keeps_the_intake_as_spam(client):
    response = client.post(test_intake.URL, test_intake.valid(hp_sonitec_check="x"))
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    assert Intake.objects.get().status == TriageStatus.SPAM
    assert_nothing_sent()


def test_a_filled_honeypot_on_an_application_keeps_it_as_a_spam_enquiry_without_the_cv(client, published_role):
    response = client.post(test_apply.apply_url(published_role), test_apply.valid(hp_sonitec_check="bot"))
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert (enquiry.status, enquiry.topic, enquiry.email) == (TriageStatus.SPAM, "career", "alan.turing@mail.example")
    assert published_role.title in enquiry.message and "github.com/alan" in enquiry.message
    assert not Candidate.objects.exists() and test_apply.stored_files() == []
    assert_nothing_sent()


def test_administrators_find_spam_under_the_spam_filter_only(admin_client):
    EnquiryFactory(name="Genuine Person")
    EnquiryFactory(name="Caught Bot", status=TriageStatus.SPAM)
    changelist = reverse("admin:leads_enquiry_changelist")
    assert "Caught Bot" not in admin_client.get(changelist).content.decode()
    page = admin_client.get(changelist, {"status": "spam"}).content.decode()
    assert "Caught Bot" in page and "Genuine Person" not in page


def test_spam_older_than_30_days_is_purged_and_nothing_else():
    old = timezone.now() - datetime.timedelta(days=30, minutes=1)
    EnquiryFactory(status=TriageStatus.SPAM, created_at=old)
    IntakeFactory(status=TriageStatus.SPAM, created_at=old)
    recent_spam = EnquiryFactory(status=TriageStatus.SPAM, created_at=timezone.now() - datetime.timedelta(days=29))
    old_genuine = EnquiryFactory(created_at=old)
    assert spam_purge() == 2
    assert set(Enquiry.objects.values_list("pk", flat=True)) == {recent_spam.pk, old_genuine.pk}
    assert not Intake.objects.exists()


def test_the_honeypot_field_is_named_and_marked_so_no_browser_autofills_it(client):
    page = client.get(test_contact.URL).content.decode()
    at = page.index(f'name="{public.HONEYPOT_FIELD}"')
    field = page[page.rindex("<input", 0, at) : page.index(">", at)]
    assert 'autocomplete="off"' in field and 'tabindex="-1"' in field and 'aria-hidden="true"' in field
    autofill_words = ("name", "mail", "phone", "tel", "fax", "url", "website", "address", "company", "org", "zip")
    assert not any(word in public.HONEYPOT_FIELD for word in autofill_words)


@pytest.fixture
def clock(monkeypatch, settings):
    settings.PUBLIC_FORM_RATE = "5/m"
    now = [1_800_000_000.0]
    monkeypatch.setattr(public, "clock", lambda: now[0])
    return now


def post_at(client, clock, moment: float) -> int:
    clock[0] = 1_800_000_000.0 + moment
    return client.post(test_contact.URL, test_contact.valid(email="")).status_code  # refused by the form: 400


def test_the_limit_is_a_sliding_window_exact_to_the_boundary(client, clock):
    # Five posts just before a clock minute turns, then at once after it: a fixed window would let 10 through.
    assert [post_at(client, clock, 55 + i) for i in range(5)] == [400] * 5
    assert post_at(client, clock, 60.5) == 429
    assert post_at(client, clock, 114.999) == 429  # the first post is 59.999 s old: still counted
    assert post_at(client, clock, 115) == 400  # exactly 60 s later it no longer counts
    assert post_at(client, clock, 115.5) == 429  # and only one slot was freed
    # Refused posts were not recorded: once the window has slid past the others, all five slots are back.
    assert [post_at(client, clock, 175 + i) for i in range(5)] == [400] * 5


@pytest.mark.redis
def test_the_sliding_window_is_exact_in_redis_too(clock):
    assert isinstance(public.caches["default"], public.RedisCache)
    hits = [public.sliding_window_hit("test-window", limit=2, window=10, now=t) for t in (0, 1, 9.9, 10, 10.5, 11)]
    assert hits == [True, True, False, True, False, True]


def test_behind_trusted_proxies_the_limit_keys_on_the_visitor_not_the_proxy(client, clock, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    def post(forwarded: str) -> int:
        data = test_contact.valid(email="")  # refused by the form: 400
        return client.post(test_contact.URL, data, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded).status_code

    # The visitor forges a left-most entry each time; our proxies append the real address and their own.
    assert [post(f"9.9.9.{i}, 198.51.100.7, 10.0.0.3") for i in range(5)] == [400] * 5
    assert post("198.51.100.7") == 429
    assert post("198.51.100.8") == 400


def test_without_redis_the_dispatcher_loop_purges_old_spam(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the embedded default, where no beat runs the daily purge
    EnquiryFactory(status=TriageStatus.SPAM, created_at=timezone.now() - datetime.timedelta(days=31))
    call_command("run_dispatcher", "--once", stdout=io.StringIO())
    assert not Enquiry.objects.exists()
