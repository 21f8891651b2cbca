"""Default follow-up rules and their email templates; recruiters edit both in the admin."""

from django.db import migrations

SIGNATURE = "\n\nBest regards,\n{% if owner %}{{ owner.get_full_name|default:owner.username }}\n{% endif %}{{ agency }}"

TEMPLATES = {
    "enquiry_ack": (
        "Acknowledge an enquiry",
        "Thanks for getting in touch, {{ enquiry.name }}",
        "Hello {{ enquiry.name }},\n\nThank you for your message to {{ agency }}. A recruiter will reply within one "
        "working day.\n\nYou wrote:\n{{ enquiry.message|truncatewords:80 }}\n\nBest regards,\n{{ agency }}",
    ),
    "intake_ack": (
        "Acknowledge an intake",
        "Your AI hiring needs at {{ intake.company_name }}",
        "Hello {{ intake.contact_name }},\n\nThank you for telling us what {{ intake.company_name }} needs. "
        "A recruiter who specialises in your pillars will call you within one working day to talk it through."
        "\n\nBest regards,\n{{ agency }}",
    ),
    "intake_alert": (
        "Alert: new intake",
        "New intake: {{ intake.company_name }}",
        "A new hiring-need intake arrived.\n\nCompany: {{ intake.company_name }}\nContact: {{ intake.contact_name }} "
        "<{{ intake.contact_email }}>\nTimeline: {{ intake.timeline|default:'not given' }}\n"
        "Budget: {{ intake.budget|default:'not given' }}\n\nPlease call them within one working day.",
    ),
    "application_ack": (
        "Acknowledge an application",
        "Your application for {{ role.title }}",
        "Hello {{ candidate.name }},\n\nThank you for applying for {{ role.title }}. We read every application and "
        "will be in touch within a few days." + SIGNATURE,
    ),
    "submitted_nudge_contact": (
        "Nudge the client on a submitted candidate",
        "{{ candidate.name }} for {{ role.title }}: your thoughts?",
        "Hello {{ contact.name }},\n\nA few days ago we introduced {{ candidate.name }} for {{ role.title }}. "
        "Could you let us know whether you would like to interview them?" + SIGNATURE,
    ),
    "submitted_nudge_owner": (
        "Alert: submission waiting on the client",
        "Waiting on {{ client.name }}: {{ candidate.name }} for {{ role.title }}",
        "{{ candidate.name }} has been with {{ client.name }} for {{ role.title }} since "
        "{{ submission.stage_changed_at|date:'j M' }} without an answer. The client has been nudged; a call may help.",
    ),
    "interview_feedback": (
        "Ask the client for interview feedback",
        "How did the interview with {{ candidate.name }} go?",
        "Hello {{ contact.name }},\n\nThank you for interviewing {{ candidate.name }} for {{ role.title }}. "
        "We would value your feedback, and would like to know your next steps." + SIGNATURE,
    ),
    "offer_reminder": (
        "Remind the owner of an open offer",
        "Open offer: {{ candidate.name }} for {{ role.title }}",
        "The offer to {{ candidate.name }} for {{ role.title }} at {{ client.name }} is still open. "
        "Check with both sides where it stands.",
    ),
    "checkin_candidate": (
        "Check in with a placed candidate",
        "How are your first {{ weeks }} week{{ weeks|pluralize }} at {{ client.name }}?",
        "Hello {{ candidate.name }},\n\nYou have now been at {{ client.name }} for {{ weeks }} "
        "week{{ weeks|pluralize }}. How is it going? Reply to this email if there is anything we can help with."
        + SIGNATURE,
    ),
    "checkin_client": (
        "Check in with the client after a placement",
        "{{ candidate.name }}: {{ weeks }} week{{ weeks|pluralize }} in",
        "Hello {{ contact.name }},\n\n{{ candidate.name }} joined you as {{ role.title }} {{ weeks }} "
        "week{{ weeks|pluralize }} ago. How are they settling in?" + SIGNATURE,
    ),
    "guarantee_reminder": (
        "Remind the owner before a guarantee ends",
        "Guarantee ends {{ placement.guarantee_ends_on|date:'j M Y' }}: {{ candidate.name }}",
        "The guarantee for {{ candidate.name }} at {{ client.name }} ({{ role.title }}) ends on "
        "{{ placement.guarantee_ends_on|date:'j M Y' }}. A check-in call with both sides is due.",
    ),
    "reengage": (
        "Re-engage a candidate",
        "Still open to new AI roles, {{ candidate.name }}?",
        "Hello {{ candidate.name }},\n\nIt has been a while since we spoke. Are you open to new roles? Reply with "
        "what you are looking for now and we will keep you in mind." + SIGNATURE,
    ),
}

# key, template, delay in days, timing shown in the admin
RULES = [
    ("enquiry_ack", "enquiry_ack", 0, "Days after a contact-form enquiry · to the sender"),
    ("intake_ack", "intake_ack", 0, "Days after an intake · to the sender"),
    ("intake_alert", "intake_alert", 0, "Days after an intake · to the client's account owner (or the team)"),
    ("application_ack", "application_ack", 0, "Days after an application · to the candidate"),
    ("submitted_nudge_contact", "submitted_nudge_contact", 3,
     "Business days in 'submitted to client' · to the role's hiring contact"),
    ("submitted_nudge_owner", "submitted_nudge_owner", 3,
     "Business days in 'submitted to client' · to the submission's owner"),
    ("interview_feedback", "interview_feedback", 1,
     "Days after the move to 'interview' (9:00) · to the role's hiring contact"),
    ("offer_reminder", "offer_reminder", 3, "Days after the move to 'offer' · to the submission's owner"),
    ("checkin_candidate_1w", "checkin_candidate", 7, "Days after the placement starts (9:00) · to the candidate"),
    ("checkin_candidate_4w", "checkin_candidate", 28, "Days after the placement starts (9:00) · to the candidate"),
    ("checkin_candidate_12w", "checkin_candidate", 84, "Days after the placement starts (9:00) · to the candidate"),
    ("checkin_client_1w", "checkin_client", 7, "Days after the placement starts (9:00) · to the hiring contact"),
    ("checkin_client_4w", "checkin_client", 28, "Days after the placement starts (9:00) · to the hiring contact"),
    ("checkin_client_12w", "checkin_client", 84, "Days after the placement starts (9:00) · to the hiring contact"),
    ("guarantee_reminder", "guarantee_reminder", 14,
     "Days before the guarantee ends (9:00) · to the submission's owner"),
    ("reengage", "reengage", 182,
     "Days without contact · to candidates who agreed to news and job alerts"),
]


def seed(apps, schema_editor):
    EmailTemplate = apps.get_model("pipelines", "EmailTemplate")
    FollowUpRule = apps.get_model("pipelines", "FollowUpRule")
    RuleKey = dict(apps.get_model("pipelines", "FollowUpRule")._meta.get_field("key").choices)
    templates = {}
    for key, (name, subject, body) in TEMPLATES.items():
        templates[key], _ = EmailTemplate.objects.get_or_create(
            key=key, defaults={"name": name, "subject": subject, "body": body}
        )
    for key, template_key, delay, timing in RULES:
        FollowUpRule.objects.get_or_create(
            key=key,
            defaults={"name": RuleKey[key], "template": templates[template_key], "delay_days": delay,
                      "timing": timing},
        )


class Migration(migrations.Migration):
    dependencies = [("pipelines", "0002_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
