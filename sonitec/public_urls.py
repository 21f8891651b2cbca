"""URLs of the public site: the pitch and pillars, contact, intake, job board, privacy notice."""

from django.urls import path

from candidates import views as candidate_views
from leads import views as lead_views
from privacy import views as privacy_views
from roles import feeds as role_feeds
from roles import views as role_views

app_name = "public"

urlpatterns = [
    path("", role_views.home, name="home"),
    path("contact/", lead_views.contact, name="contact"),
    path("contact/thanks/", lead_views.contact_thanks, name="contact_thanks"),
    path("intake/", lead_views.intake, name="intake"),
    path("intake/result/", lead_views.intake_result, name="intake_result"),
    path("jobs/", role_views.job_list, name="job_list"),
    path("jobs/feed.xml", role_feeds.JobsRssFeed(), name="jobs_feed_rss"),
    path("jobs/feed.atom", role_feeds.JobsAtomFeed(), name="jobs_feed_atom"),
    path("jobs/feed.json", role_feeds.jobs_json_feed, name="jobs_feed_json"),
    path("jobs/<slug:slug>/", role_views.job_detail, name="job_detail"),
    path("jobs/<slug:slug>/apply/", candidate_views.apply, name="job_apply"),
    path("jobs/<slug:slug>/applied/", candidate_views.applied, name="job_applied"),
    path("privacy/", privacy_views.privacy_notice, name="privacy"),
    path("privacy/me/<str:token>/", privacy_views.self_service, name="privacy_self_service"),
]
