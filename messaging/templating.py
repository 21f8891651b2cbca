"""Email templates in Django template syntax: checked when saved, rendered as plain text."""

from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.template import Context, Template, TemplateSyntaxError


def template_check(*, subject: str, body: str) -> None:
    """Refuse a template that does not compile, with the error, so a broken wording is never saved."""
    errors = {}
    for field, text in (("subject", subject), ("body", body)):
        try:
            Template(text)
        except TemplateSyntaxError as error:
            errors[field] = f"This template does not compile: {error}"
    if errors:
        raise ValidationError(errors)


@lru_cache(maxsize=64)
def _compiled(text: str) -> Template:
    # The dispatcher renders the same few wordings thousands of times; compiling is most of the cost. Keyed by
    # the text itself, so an edited template is compiled afresh.
    return Template(text)


def template_render(*, subject: str, body: str, context: dict[str, Any]) -> tuple[str, str]:
    # Plain-text email: no HTML escaping; a subject is one line.
    ctx = Context(context, autoescape=False)
    rendered_subject = " ".join(_compiled(subject).render(ctx).split())
    return rendered_subject[:255], _compiled(body).render(ctx).strip() + "\n"
