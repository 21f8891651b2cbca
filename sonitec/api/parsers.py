"""Request body parsers that turn hostile bodies into the API's JSON errors instead of a 500 or an HTML page.

The JSON parser reads at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes (DRF reads the raw stream, which Django's own
limit never sees), refuses unknown or invalid encodings and refuses nesting deeper than MAX_JSON_DEPTH.
"""

from typing import Any

from django.conf import settings
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.utils import json

# No request of the API nests deeper than a few levels; 20 leaves room and stops recursion bombs early.
MAX_JSON_DEPTH = 20


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


def json_depth_exceeds(data: Any, limit: int) -> bool:
    """True when lists/objects nest deeper than `limit` (checked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = list(value.values())
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(raw) > limit:
            raise PayloadTooLarge(f"The request body is larger than {limit} bytes.")
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except LookupError as error:
            raise exceptions.ParseError(f"Unknown character encoding {encoding!r}; send UTF-8.") from error
        except UnicodeDecodeError as error:
            raise exceptions.ParseError(f"The body is not valid {encoding} text.") from error
        parse_constant = json.strict_constant if self.strict else None
        try:
            data = json.loads(text, parse_constant=parse_constant)
        except RecursionError as error:
            raise exceptions.ParseError(f"JSON nests deeper than {MAX_JSON_DEPTH} levels.") from error
        except ValueError as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from error
        if json_depth_exceeds(data, MAX_JSON_DEPTH):
            raise exceptions.ParseError(f"JSON nests deeper than {MAX_JSON_DEPTH} levels.")
        return data
