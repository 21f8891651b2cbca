"""Domain events: what happened in the business, announced by the services that did it.

Each function is called inside the service's transaction, so whatever reacts (follow-up rules writing
messages, webhook deliveries) is stored atomically with the event itself, and only sent after commit.
Reactions are listed explicitly here so a reader can see everything an event sets off.
"""

from messaging import followups
from partners import webhooks


def enquiry_received(enquiry) -> None:
    """A contact-form enquiry was stored."""
    followups.followups_on_enquiry(enquiry=enquiry)  # acknowledge the sender


def intake_received(intake) -> None:
    """A hiring-need intake was stored."""
    followups.followups_on_intake(intake=intake)  # acknowledge the sender, alert the owning recruiter


def application_received(submission) -> None:
    """A candidate applied to a role on the job board (or was submitted by a partner)."""
    followups.followups_on_application(submission=submission)  # acknowledge the candidate


def stage_changed(stage_change) -> None:
    """A submission moved between stages (the StageChange row is already saved)."""
    followups.followups_on_stage_change(stage_change=stage_change)  # nudges for the new stage, cancel the old
    webhooks.webhooks_on_stage_change(stage_change=stage_change)  # tell the submitting partner


def placement_created(placement) -> None:
    """A submission was placed and its Placement saved."""
    followups.followups_on_placement(placement=placement)  # check-ins, guarantee-end reminder
    webhooks.webhooks_on_placement(placement=placement)  # tell the submitting partner


def placement_ended(placement) -> None:
    """A placement fell through (ended inside or after its guarantee)."""
    followups.followups_on_placement_ended(placement=placement)  # cancel its pending check-ins


def role_published(role) -> None:
    """A role became open and visible to partners or on the job board."""
    webhooks.webhooks_on_role_published(role=role)  # tell the partners who can see it


def role_partners_changed(role, *, gained_partner_ids: set[int], lost_partner_ids: set[int]) -> None:
    """An open role was published to more partners, or withdrawn from some."""
    webhooks.webhooks_on_role_partners_changed(
        role=role, gained_partner_ids=gained_partner_ids, lost_partner_ids=lost_partner_ids
    )


def role_closed(role) -> None:
    """A role stopped being open (filled, cancelled, on hold)."""
    followups.followups_on_role_closed(role=role)  # cancel its submissions' pending nudges
    webhooks.webhooks_on_role_closed(role=role)  # tell the partners who could see it
