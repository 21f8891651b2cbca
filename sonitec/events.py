"""Domain events: what happened in the business, announced by the services that did it.

Each function is called inside the service's transaction, so whatever reacts (follow-up rules writing
messages, webhook deliveries) is stored atomically with the event itself, and only sent after commit.
Reactions are listed explicitly here so a reader can see everything an event sets off.
"""


def enquiry_received(enquiry) -> None:
    """A contact-form enquiry was stored."""


def intake_received(intake) -> None:
    """A hiring-need intake was stored."""


def application_received(submission) -> None:
    """A candidate applied to a role on the job board (or was submitted by a partner)."""


def stage_changed(stage_change) -> None:
    """A submission moved between stages (the StageChange row is already saved)."""


def placement_created(placement) -> None:
    """A submission was placed and its Placement saved."""


def placement_ended(placement) -> None:
    """A placement fell through (ended inside or after its guarantee)."""


def role_published(role) -> None:
    """A role became open and visible to partners or on the job board."""


def role_closed(role) -> None:
    """A role stopped being open (filled, cancelled, on hold)."""
