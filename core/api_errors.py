"""One exception handler for the API: every error is JSON with a message per field."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def validation_error_detail(error: DjangoValidationError) -> dict[str, list[str]]:
    """Django's ValidationError as {"field": ["message", ...]}; errors without a field
    go under "non_field_errors", as DRF's own serializers do."""
    if hasattr(error, "error_dict"):
        return {
            field if field != "__all__" else "non_field_errors": [
                str(message) for item in errors for message in item.messages
            ]
            for field, errors in error.error_dict.items()
        }
    return {"non_field_errors": [str(message) for message in error.messages]}


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        # Django would answer this SuspiciousOperation with its HTML 400 page.
        return Response(
            {
                "non_field_errors": [
                    _("The request body is larger than the limit of %(limit)d bytes.")
                    % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
                ]
            },
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, DjangoValidationError):
        return Response(
            validation_error_detail(exc), status=status.HTTP_400_BAD_REQUEST
        )
    response = drf_exception_handler(exc, context)
    if (
        response is not None
        and isinstance(exc, exceptions.APIException)
        and isinstance(response.data, list)
    ):
        response.data = {"non_field_errors": response.data}
    return response
