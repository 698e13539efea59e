"""The OpenAPI schema states every error an operation can answer with.

DRF views can answer any operation with a validation error, a missing or refused login,
an object outside the caller's scope, a throttled client or a body that is too large;
drf-spectacular documents only the success. Integrators (and schemathesis'
`status_code_conformance`) need the whole list, each as JSON.
"""

from django.utils.translation import gettext_lazy as _

ERROR_COMPONENT = "Error"
ERROR_RESPONSES = {
    "400": _(
        "Invalid input: a list of messages per field (`non_field_errors` for the rest)."
    ),
    "401": _("Not logged in, or the token is missing, expired or revoked."),
    "403": _("Logged in, but this action is not yours to take."),
    "404": _("No such object, or it is outside what you may see."),
    "405": _("The method is not allowed here."),
    "413": _("The request body is over the upload limit."),
    "415": _("The body is not JSON (or form data)."),
    "422": _("An Idempotency-Key reused with a different body."),
    "429": _("Too many requests: wait for the seconds in `Retry-After`."),
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the error responses to every operation."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components[ERROR_COMPONENT] = {
        "type": "object",
        "description": str(
            _("An error: messages per field, or `detail` with one message.")
        ),
        "additionalProperties": True,
    }
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                responses.setdefault(
                    status,
                    {
                        "description": str(description),
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result
