"""The OpenAPI description at /api/schema/: it describes every key of every real response with the
right type, and each parameter it documents works."""

import pytest

pytestmark = pytest.mark.django_db

JSON_TYPES = {
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def problems(value, schema, components, where="$"):
    """Every way `value` does not match `schema` (the subset of JSON Schema the description uses)."""
    if "$ref" in schema:
        return problems(value, components[schema["$ref"].rsplit("/", 1)[1]], components, where)
    if "oneOf" in schema:
        fits = [s for s in schema["oneOf"] if not problems(value, s, components, where)]
        return [] if len(fits) == 1 else [f"{where}: matches {len(fits)} of oneOf"]
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    if not any(JSON_TYPES[t](value) for t in types):
        return [f"{where}: {value!r} is not {types}"]
    found = []
    if isinstance(value, str) and schema.get("format") == "date":
        if len(value) != 10 or value[4] != "-" or value[7] != "-":
            found.append(f"{where}: {value!r} is not an ISO date")
    if isinstance(value, str) and schema.get("format") == "uri" and not value.startswith(("http://", "https://")):
        found.append(f"{where}: {value!r} is not an absolute address")
    if isinstance(value, list):
        for i, item in enumerate(value):
            found += problems(item, schema["items"], components, f"{where}[{i}]")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                found.append(f"{where}: {key} is missing")
        for key, item in value.items():
            if key in properties:
                found += problems(item, properties[key], components, f"{where}.{key}")
            elif isinstance(schema.get("additionalProperties"), dict):
                found += problems(item, schema["additionalProperties"], components, f"{where}.{key}")
            else:
                found.append(f"{where}: {key} is not described")
    return found


@pytest.fixture
def schema(viewer_client):
    response = viewer_client.get("/api/schema/")
    assert response.status_code == 200
    return response.json()


def response_schema(schema, path, status="200"):
    return schema["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("/api/councils/", "/api/councils/"),
        ("/api/councils/{urn}/", "/api/councils/80581/"),
        ("/api/inspections/", "/api/inspections/?page_size=500"),
        ("/api/visits/", "/api/visits/?page_size=500"),
        ("/api/recommendations/", "/api/recommendations/?council=wirral&page_size=500"),
        ("/api/recommendations/", "/api/recommendations/?since=2024-01-01&page_size=500"),
    ],
)
def test_every_key_of_a_real_response_is_described_with_its_type(viewer_client, schema, path, url):
    data = viewer_client.get(url).json()
    assert data  # a real, non-empty response
    assert problems(data, response_schema(schema, path), schema["components"]["schemas"]) == []


def test_a_wrong_type_or_an_undescribed_key_is_caught():
    """The checker itself: it must fail on what the test above guards against."""
    row = {
        "type": "object",
        "properties": {"urn": {"type": "integer"}},
        "required": ["urn"],
        "additionalProperties": False,
    }
    assert problems({"urn": "80581"}, row, {}) == ["$.urn: '80581' is not ['integer']"]
    assert problems({"urn": 1, "slug": "x"}, row, {}) == ["$: slug is not described"]
    assert problems({}, row, {}) == ["$: urn is missing"]


def test_the_description_is_openapi_31_with_bearer_sign_in(schema):
    assert schema["openapi"] == "3.1.0"
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token",
    }
    assert {"bearerAuth": []} in schema["security"]
    assert set(schema["paths"]) == {
        "/api/councils/",
        "/api/councils/{urn}/",
        "/api/inspections/",
        "/api/visits/",
        "/api/recommendations/",
    }
    inspection = schema["components"]["schemas"]["Inspection"]["properties"]
    assert inspection["overall"]["type"] == "string"  # a theme column: never null, a grade or a state
    assert inspection["overall_previous"]["type"] == ["string", "null"]
    assert inspection["published_date"] == {
        "type": ["string", "null"],
        "format": "date",
        "description": "Date Ofsted published it (ISO date)",
    }


def test_each_documented_parameter_works(viewer_client, schema):
    for path, item in schema["paths"].items():
        if "{" in path:
            urn = next(p for p in item["get"]["parameters"] if p["in"] == "path")["example"]
            assert viewer_client.get(path.replace("{urn}", str(urn))).status_code == 200
            continue
        parameters = item["get"].get("parameters", [])
        if not parameters:
            continue
        everything = viewer_client.get(path).json()["count"]
        for parameter in parameters:
            response = viewer_client.get(path, {parameter["name"]: parameter["example"]})
            assert response.status_code == 200, (path, parameter["name"], response.content)
            data = response.json()
            if parameter["name"] == "page":
                assert data["count"] == everything and data["previous"] is None  # the first page
            elif parameter["name"] == "page_size":
                assert data["count"] == everything and len(data["results"]) == min(parameter["example"], everything)
            else:
                assert 0 < data["count"] < everything, (path, parameter["name"])  # the filter filters
