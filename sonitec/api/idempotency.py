"""`Idempotency-Key` on POST: a retried request returns the first response and creates nothing new.

The record is inserted in the same transaction as the work it guards. A concurrent retry's insert waits on the
unique index until the first commits, then finds the stored response; if the first fails, both roll back and the
key stays free. A key reused with a different request is refused with 422.
"""

import hashlib
import json
from collections.abc import Callable

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import QueryDict
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from sonitec.models import IdempotencyRecord

from .authentication import PartnerUser

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "This Idempotency-Key was already used with a different request."
    default_code = "idempotency_key_reused"


def _owner(request: Request) -> str:
    if isinstance(request.user, PartnerUser):
        return f"partner:{request.user.partner.pk}"
    return f"user:{request.user.pk}"


def _canonical(value):
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"file_sha256": digest.hexdigest(), "size": value.size}
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(item) for item in value]
    return value


def request_fingerprint(request: Request) -> str:
    data = request.data
    if isinstance(data, QueryDict):  # form and multipart bodies: the boundary differs per send, the fields do not
        data = {key: values for key, values in data.lists()}
    canonical = json.dumps(
        {"method": request.method, "path": request.path, "data": _canonical(data)}, sort_keys=True, default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotent(request: Request, handler: Callable[[], Response]) -> Response:
    """Run handler() once per (caller, Idempotency-Key); without the header just run it."""
    key = request.headers.get(HEADER)
    if key is None:
        return handler()
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise exceptions.ValidationError({HEADER: f"Send 1 to {MAX_KEY_LENGTH} characters."})
    owner, fingerprint = _owner(request), request_fingerprint(request)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    owner=owner, key=key, fingerprint=fingerprint, response_status=0, response_body={}
                )
        except IntegrityError:
            existing = IdempotencyRecord.objects.get(owner=owner, key=key)
            if existing.fingerprint != fingerprint:
                raise KeyReused() from None
            return Response(
                existing.response_body, status=existing.response_status, headers={"Idempotent-Replayed": "true"}
            )
        response = handler()
        if response.status_code >= 300:
            # Only successes are remembered: the client may fix its request and retry with the same key.
            transaction.set_rollback(True)
            return response
        record.response_status = response.status_code
        record.response_body = json.loads(JSONRenderer().render(response.data) or b"null")
        record.save(update_fields=["response_status", "response_body"])
        return response
