"""The API's OpenAPI 3.1 description, built from the definitions the endpoints use.

The lists' row schemas come from the downloads' columns (analysis.columns) and their parameters
from api.listings, so neither can drift from what the endpoints return. The councils' endpoints
(inspections/api.py) are described here by hand; a test checks every key of their real responses
against this description.
"""

from analysis.columns import DATE, INTEGER, STRING, URL

from .listings import LISTINGS, PARAMETERS

TYPES = {
    INTEGER: {"type": "integer"},
    STRING: {"type": "string"},
    DATE: {"type": "string", "format": "date"},
    URL: {"type": "string", "format": "uri"},
}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema):
    return {**schema, "type": [schema["type"], "null"]}


def _object(properties, *, optional=()):
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }


def column_schema(column):
    """The JSON schema of one column's values."""
    schema = TYPES[column.type]
    return {**(_nullable(schema) if column.nullable else schema), "description": column.description}


def _page(item):
    nullable_link = {"type": ["string", "null"], "format": "uri"}
    return _object(
        {
            "count": {"type": "integer", "description": "Rows matching the filters, on every page"},
            "next": {**nullable_link, "description": "The next page, or null on the last"},
            "previous": {**nullable_link, "description": "The previous page, or null on the first"},
            "as_at": {"type": "string", "format": "date", "description": "The date the data was read"},
            "source": {"type": "string", "description": "Where the data comes from"},
            "results": {"type": "array", "items": _ref(item)},
        }
    )


STRING_OR_NULL = {"type": ["string", "null"]}
DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
GRADES = {"type": "object", "additionalProperties": {"type": "string"}, "description": "{area key: grade key}"}

COUNCIL = {
    "urn": {"type": "integer"},
    "name": {"type": "string"},
    "slug": {"type": "string"},
    "region": {"type": "string"},
    "la_code": {"type": "string"},
    "gss_code": {"type": "string"},
    "council_type": STRING_OR_NULL,
    "is_active": {"type": "boolean"},
    "latest": {"oneOf": [_ref("LatestInspection"), {"type": "null"}]},
}
COUNCIL_SCHEMAS = {
    "LatestInspection": _object(
        {
            "start_date": DATE_OR_NULL,
            "published_date": DATE_OR_NULL,
            "framework": STRING_OR_NULL,
            "inspection_type": STRING_OR_NULL,
            "judgements": GRADES,
        }
    ),
    "Council": _object(COUNCIL),
    "CouncilDetail": _object(
        {
            **COUNCIL,
            "statistical_neighbours": {
                "type": "array",
                "items": {"type": "integer"},
                "description": "URNs, nearest first",
            },
            "predecessors": {"type": "array", "items": {"type": "integer"}},
            "successors": {"type": "array", "items": {"type": "integer"}},
            "events": {"type": "array", "items": _ref("Event")},
        }
    ),
    "Event": _object(
        {
            "id": {"type": "integer"},
            "kind": {"type": "string"},
            "title": {"type": "string"},
            "framework": STRING_OR_NULL,
            "inspection_type": STRING_OR_NULL,
            "intervention_type": STRING_OR_NULL,
            "milestone_type": STRING_OR_NULL,
            "start_date": DATE_OR_NULL,
            "end_date": DATE_OR_NULL,
            "published_date": DATE_OR_NULL,
            "date_precision": {"type": "string"},
            "lead_inspector": STRING_OR_NULL,
            "inspectors": {"type": "array", "items": {"type": "string"}},
            "focus_key": STRING_OR_NULL,
            "focus": STRING_OR_NULL,
            "summary": STRING_OR_NULL,
            "judgements": GRADES,
            "recommendations": {"type": "array", "items": _ref("EventRecommendation")},
            "source_url": {"type": ["string", "null"], "format": "uri"},
        }
    ),
    "EventRecommendation": _object(
        {
            "number": {"type": "integer"},
            "text": {"type": "string"},
            "addressed_to": {"type": "string"},
            "priority": {"type": "boolean"},
            "status": {"type": "string", "description": "Where it stands, by the one rule (as in the downloads)"},
            "status_recorded": {"type": "string", "description": "The status an editor last recorded"},
            "updates": {"type": "array", "items": _ref("RecommendationUpdate")},
        }
    ),
    "RecommendationUpdate": _object(
        {
            "date": {"type": "string", "format": "date"},
            "status": {"type": "string"},
            "note": {"type": "string"},
            "evidence_url": {"type": ["string", "null"], "format": "uri"},
        }
    ),
    "Error": _object(
        {
            "error": {"type": "string", "description": "What is wrong, naming each wrong parameter"},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "{parameter: what is wrong}",
            },
        },
        optional=("errors",),
    ),
}


def _error(description):
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _ok(description, schema):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


SIGN_IN_ERRORS = {
    "401": _error("Not signed in, or the token or password is wrong"),
    "403": _error("The account has no role yet"),
    "429": _error("Too many failed sign-ins: wait as Retry-After says"),
}


def _parameter(name):
    p = PARAMETERS[name]
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": p.description,
        "schema": p.schema,
        "example": p.example,
    }


def openapi(*, server):
    """The OpenAPI 3.1 description as a dict, with `server` (the service's absolute root) as its server."""
    schemas = dict(COUNCIL_SCHEMAS)
    paths = {
        "/api/councils/": {
            "get": {
                "operationId": "council_list",
                "summary": "Every council with its latest graded inspection",
                "responses": {
                    "200": _ok("Every council", {"type": "array", "items": _ref("Council")}),
                    **SIGN_IN_ERRORS,
                },
            }
        },
        "/api/councils/{urn}/": {
            "get": {
                "operationId": "council_detail",
                "summary": "One council, its neighbours and every event in date order",
                "parameters": [
                    {"name": "urn", "in": "path", "required": True, "schema": {"type": "integer"}, "example": 80581}
                ],
                "responses": {
                    "200": _ok("The council", _ref("CouncilDetail")),
                    "404": {"description": "No council has that URN"},
                    **SIGN_IN_ERRORS,
                },
            }
        },
    }
    for name, listing in LISTINGS.items():
        columns, _items_for = listing.prepare()
        schemas[listing.schema_name] = _object({c.name: column_schema(c) for c in columns})
        schemas[f"{listing.schema_name}Page"] = _page(listing.schema_name)
        paths[f"/api/{name}/"] = {
            "get": {
                "operationId": name,
                "summary": listing.title,
                "description": f"{listing.description} The same rows, columns and codes as the download.",
                "parameters": [_parameter(p) for p in listing.parameters],
                "responses": {
                    "200": _ok("One page of rows", _ref(f"{listing.schema_name}Page")),
                    "400": _error("A parameter is wrong (each is named)"),
                    **SIGN_IN_ERRORS,
                },
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Ofsted judgement tracker API",
            "version": "1",
            "description": "Read-only. Sign in with a personal API token (from your account page) as "
            "`Authorization: Bearer <token>`, with HTTP Basic, or with a signed-in session.",
        },
        "servers": [{"url": server}],
        "security": [{"bearerAuth": []}, {"basicAuth": []}, {"sessionCookie": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "description": "A personal API token"},
                "basicAuth": {"type": "http", "scheme": "basic"},
                "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
            },
        },
    }
