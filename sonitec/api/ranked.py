"""Pages of ranked results (search, matches): numbered pages without a COUNT, in the lists' usual shape."""

from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PAGE = 400


def ranked_page_params(request: Request, *, default_size: int = 25, max_size: int = 100) -> tuple[int, int]:
    """(page number, page size) from `page` and `page_size`; a bad value is an error, not silently replaced."""
    values = {}
    for name, default, top in (("page", 1, MAX_PAGE), ("page_size", default_size, max_size)):
        raw = request.query_params.getlist(name)
        if not raw:
            values[name] = default
            continue
        if len(raw) > 1 or not raw[0].isdigit() or not 1 <= int(raw[0]) <= top:
            raise ValidationError({name: [f"Send one whole number from 1 to {top}."]})
        values[name] = int(raw[0])
    return values["page"], values["page_size"]


def ranked_page_links(request: Request, *, number: int, has_next: bool) -> dict[str, str | None]:
    url = request.build_absolute_uri()
    previous = None
    if number > 1:
        previous = remove_query_param(url, "page") if number == 2 else replace_query_param(url, "page", number - 1)
    return {"next": replace_query_param(url, "page", number + 1) if has_next else None, "previous": previous}
