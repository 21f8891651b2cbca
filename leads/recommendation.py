"""The intake's team recommendation: the self-assessment questions and the rules that turn answers into pillars.

Every rule is one row of RULES: which pillar, when it applies, and the plain-words reason shown to the visitor.
The reason ends with the pillar's own failure text (Pillar.failure_prevented, seeded from the agency's text and
editable in the admin), so the recommendation speaks the agency's words.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from roles.models import Pillar

# The self-assessment. Keys are stored in Intake.answers; choice values are what the rules test.
QUESTIONS: dict[str, dict[str, Any]] = {
    "data_fixing_time": {
        "label": "How much of your ML team's time goes into fixing data?",
        "choices": [
            ("no_team", "We have no ML team yet"),
            ("little", "Very little (under 20%)"),
            ("some", "A fair share (20–50%)"),
            ("most", "Most of it (over half)"),
            ("unknown", "We don't know"),
        ],
    },
    "models_today": {
        "label": "Where are your models today?",
        "choices": [
            ("none", "We have no models yet"),
            ("notebooks", "In notebooks and prototypes, not in production"),
            ("few", "One or a few in production"),
            ("many", "Many (six or more) in production"),
        ],
    },
    "models_next_year": {
        "label": "How many models do you expect to run in production a year from now?",
        "choices": [("0-1", "None or one"), ("2-5", "Two to five"), ("6+", "Six or more")],
    },
    "drift_noticed": {
        "label": "Would you notice if a production model's predictions got worse?",
        "choices": [
            ("yes", "Yes, we monitor and alert on it"),
            ("no", "No"),
            ("unsure", "Not sure"),
            ("na", "No models in production yet"),
        ],
    },
    "adversarial_exposure": {
        "label": "Could someone attack or game your models (public APIs, fraud, defence, safety-critical use)?",
        "choices": [("yes", "Yes"), ("no", "No"), ("unsure", "Not sure")],
    },
    "shipped_before": {
        "label": "Has anyone on your team shipped production AI before?",
        "choices": [("yes", "Yes"), ("no", "No"), ("unsure", "Not sure")],
    },
}


def answer_label(question: str, value: str) -> str:
    return dict(QUESTIONS[question]["choices"]).get(value, value)


@dataclass(frozen=True)
class Signals:
    """What the rules look at: the self-assessment answers and the constraints ticked on the form."""

    answers: Mapping[str, str]
    needs_on_device: bool = False
    regulated_sector: bool = False

    def answer(self, question: str) -> str:
        return self.answers.get(question, "")


@dataclass(frozen=True)
class Rule:
    pillar_slug: str
    applies: Callable[[Signals], bool]
    why: Callable[[Signals], str]


def _data_problems(s: Signals) -> bool:
    return s.answer("data_fixing_time") in ("some", "most")


def _stuck_in_notebooks(s: Signals) -> bool:
    return s.answer("models_today") == "notebooks"


def _scaling_or_drift(s: Signals) -> bool:
    in_production = s.answer("models_today") in ("few", "many")
    return (
        s.answer("models_today") == "many"
        or s.answer("models_next_year") == "6+"
        or (in_production and s.answer("drift_noticed") in ("no", "unsure"))
    )


def _scaling_reason(s: Signals) -> str:
    unwatched = s.answer("models_today") in ("few", "many") and s.answer("drift_noticed") in ("no", "unsure")
    if unwatched:
        return "You have models in production but would not reliably notice if they got worse."
    return "You run, or expect to run, many models in production."


def _regulation_or_attack(s: Signals) -> bool:
    return s.regulated_sector or s.answer("adversarial_exposure") == "yes"


def _regulation_reason(s: Signals) -> str:
    if s.regulated_sector and s.answer("adversarial_exposure") == "yes":
        return "You work in a regulated sector and your models could be attacked or gamed."
    if s.regulated_sector:
        return "You work in a regulated sector."
    return "Your models could be attacked or gamed."


def _nobody_has_shipped(s: Signals) -> bool:
    return s.answer("shipped_before") in ("no", "unsure")


# The rules, one per pillar, in the seed's order: the failure each pillar prevents, matched to the answers.
RULES: list[Rule] = [
    Rule(
        "data-engineer",
        _data_problems,
        lambda s: "You told us {} of your ML team's time goes into fixing data.".format(
            {"some": "20–50%", "most": "over half"}[s.answer("data_fixing_time")]
        ),
    ),
    Rule(
        "ml-engineer",
        _stuck_in_notebooks,
        lambda s: "Your models are in notebooks and prototypes, not in production.",
    ),
    Rule("mlops-engineer", _scaling_or_drift, _scaling_reason),
    Rule(
        "embedded-ai-engineer",
        lambda s: s.needs_on_device,
        lambda s: "Your models need to run on devices or in real time.",
    ),
    Rule("ai-security-engineer", _regulation_or_attack, _regulation_reason),
    Rule(
        "ai-ml-leader",
        _nobody_has_shipped,
        lambda s: "Nobody on your team has shipped production AI before, as far as you know.",
    ),
]


def recommend_pillars(*, signals: Signals, pillars: Iterable[Pillar]) -> list[dict[str, str]]:
    """The pillars the rules recommend, in pillar order, each with its reason in plain words.

    Returns [{"pillar": slug, "name": ..., "reason": ...}], the shape stored in Intake.recommendation.
    A rule whose pillar was removed from the database is skipped rather than failing the visitor's form.
    """
    by_slug = {pillar.slug: pillar for pillar in pillars}
    recommended: list[dict] = []
    for rule in RULES:
        pillar = by_slug.get(rule.pillar_slug)
        if pillar is None or not rule.applies(signals):
            continue
        reason = rule.why(signals)
        if pillar.failure_prevented:
            reason = f"{reason} {pillar.failure_prevented}"
        recommended.append({"pillar": pillar.slug, "name": pillar.name, "reason": reason, "position": pillar.position})
    recommended.sort(key=lambda item: item["position"])
    for item in recommended:
        del item["position"]
    return recommended
