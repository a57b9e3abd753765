"""drf-spectacular post-processing: the error responses every API operation can give.

Each operation may answer 400 (a bad filter, page or body), 401 (no or a wrong token,
with a ``WWW-Authenticate: Token`` challenge), 403 (the role does not allow it) and 404
(an unknown id or page); all are JSON (``{"detail": ...}``, or ``{field: [messages]}``
for a 400). The schema says so for every operation that does not describe them itself
(issue 17: schemathesis found them undocumented).
"""

from __future__ import annotations

ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: ``detail`` says what is wrong, or each field's messages.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
ERRORS = {
    "400": "The request is not valid: each problem is named.",
    "401": "No token, or a token that is wrong or has expired.",
    "403": "Your role does not allow this.",
    "404": "Not found (an unknown id, or a page past the last).",
}
METHODS = {"get", "post", "put", "patch", "delete"}


def add_error_responses(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", ERROR_SCHEMA)
    reference = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result
