"""Email templates in Django template syntax, rendered in a sandbox: checked when saved, rendered as plain text.

A template sees only the documented variables of its kind of message (VARIABLES), and the context it renders
with holds plain strings, dates and numbers built for that kind, never a record: `{{ candidate.owner.password }}`
or a file path cannot be reached by traversal, because there is nothing behind the values to traverse. The check
on save names any other variable, and any tag beyond `if` and `firstof` (no `include`, `load`, `extends`), so an
editor learns at once what will not render.
"""

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.base import FilterExpression, Node, TextNode, Variable, VariableNode
from django.template.defaulttags import CommentNode, FirstOfNode, IfNode, TemplateLiteral

# Kinds of message, one per audience (see messaging.models.RULE_KIND).
ACKNOWLEDGEMENT, TO_CANDIDATE, TO_CONTACT, TO_OWNER = "acknowledgement", "to_candidate", "to_contact", "to_owner"
_SENT_BY = ("agency", "owner.name")
_PLACEMENT = ("role.title", "client.name", "candidate.name", "weeks")
# The documented variables of each kind (docs/followups.md lists them for recruiters).
VARIABLES: dict[str, frozenset[str]] = {
    # To an address typed into a public form: nothing the visitor wrote.
    ACKNOWLEDGEMENT: frozenset({"agency", "role_title"}),
    TO_CANDIDATE: frozenset({*_SENT_BY, *_PLACEMENT}),
    TO_CONTACT: frozenset({*_SENT_BY, *_PLACEMENT, "contact.name"}),
    # To a recruiter: the record's details and a link to its admin page.
    TO_OWNER: frozenset(
        {
            *_SENT_BY,
            *_PLACEMENT,
            "submission.stage_changed_at",
            "placement.start_date",
            "placement.guarantee_ends_on",
            "intake.company_name",
            "intake.contact_name",
            "intake.contact_email",
            "intake.timeline",
            "intake.budget",
            "link",
        }
    ),
}
ALL_VARIABLES = frozenset().union(*VARIABLES.values())

# No template loaders and no tag libraries: `include`/`extends` find nothing and `load` loads nothing.
_ENGINE = Engine(loaders=[("django.template.loaders.locmem.Loader", {})], libraries={}, autoescape=False)
_ALLOWED_NODES = (TextNode, VariableNode, IfNode, FirstOfNode, CommentNode)


@lru_cache(maxsize=64)
def _compile(text: str) -> Template:
    # The dispatcher renders the same few wordings thousands of times; compiling is most of the cost. Keyed by
    # the text itself, so an edited template is compiled afresh.
    return Template(text, engine=_ENGINE)


def _nodes(nodes: Iterable[Node]) -> Iterator[Node]:
    for node in nodes:
        yield node
        for attribute in node.child_nodelists:
            yield from _nodes(getattr(node, attribute, None) or [])


def _condition_expressions(condition: Any) -> Iterator[FilterExpression]:
    """The expressions inside an `if` condition (a literal, or an operator over two sides)."""
    if condition is None:
        return
    if isinstance(condition, TemplateLiteral):
        if isinstance(condition.value, FilterExpression):
            yield condition.value
        return
    for side in (getattr(condition, "first", None), getattr(condition, "second", None)):
        yield from _condition_expressions(side)


def _expressions(node: Node) -> Iterator[FilterExpression]:
    if isinstance(node, VariableNode):
        yield node.filter_expression
    elif isinstance(node, IfNode):
        for condition, _ in node.conditions_nodelists:
            yield from _condition_expressions(condition)
    elif isinstance(node, FirstOfNode):
        yield from (value for value in node.vars if isinstance(value, FilterExpression))


def _variables(expression: FilterExpression) -> Iterator[str]:
    """Every variable an expression reads: its own and its filters' arguments (literals read nothing)."""
    values = [expression.var] + [arg for _, args in expression.filters for lookup, arg in args if lookup]
    for value in values:
        if isinstance(value, Variable) and value.lookups is not None:
            yield ".".join(value.lookups)


def template_problems(text: str, *, allowed: frozenset[str]) -> list[str]:
    """What is wrong with one template text: it does not compile, or it uses a tag or a variable it may not."""
    try:
        template = _compile(text)
    except TemplateSyntaxError as error:
        return [f"This template does not compile: {error}"]
    # A group of documented variables may be tested as a whole (`{% if owner %}`): it is a plain dict or empty.
    groups = {name.split(".", 1)[0] for name in allowed}
    problems: list[str] = []
    for node in _nodes(template.nodelist):
        if not isinstance(node, _ALLOWED_NODES):
            tag = node.token.contents if node.token else type(node).__name__
            problems.append(f"Tags other than “if” and “firstof” are not allowed here ({tag}).")
            continue
        for expression in _expressions(node):
            for variable in _variables(expression):
                if variable not in allowed and variable not in groups:
                    problems.append(
                        f"Unknown variable “{variable}”: this template may use only {', '.join(sorted(allowed))}."
                    )
    return list(dict.fromkeys(problems))


def template_check(*, subject: str, body: str, kinds: Iterable[str] = ()) -> None:
    """Refuse a template that does not compile, or that uses anything beyond the variables of every kind of
    message it is sent as (any documented variable while no rule uses it), naming what is wrong."""
    chosen = [VARIABLES[kind] for kind in kinds]
    allowed = frozenset.intersection(*chosen) if chosen else ALL_VARIABLES
    errors = {}
    for field, text in (("subject", subject), ("body", body)):
        if problems := template_problems(text, allowed=allowed):
            errors[field] = problems
    if errors:
        raise ValidationError(errors)


def template_render(*, subject: str, body: str, context: dict[str, Any]) -> tuple[str, str]:
    """Render in the sandbox. `context` holds plain values only (see messaging.followups.template_context)."""
    # Plain-text email: no HTML escaping; a subject is one line.
    ctx = Context(context, autoescape=False)
    rendered_subject = " ".join(_compile(subject).render(ctx).split())
    return rendered_subject[:255], _compile(body).render(ctx).strip() + "\n"
