"""schemathesis against the served OpenAPI document, on a live test server (bounded: ``MAX_EXAMPLES`` per operation).

Every operation is called with generated input (valid and invalid) as the east branch's
secretary with a write token, over a world with a round in publicity, so the reads return
data. Checked: no 5xx, and every documented response matches its schema. Runs in ``make test``;
``JIFEN_API_FUZZ_EXAMPLES`` raises the bound for a longer run.
"""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.models import AccessToken, TokenScope
from tests.world import declare, round_in_publicity

MAX_EXAMPLES = int(os.environ.get("JIFEN_API_FUZZ_EXAMPLES", "20"))


@pytest.fixture
def api_world(live_server, county):
    round_in_publicity(county)
    declare(county, county.members[3], "1")
    _token, secret = AccessToken.issue(county.secretary, "fuzz", TokenScope.WRITE)
    return {"url": live_server.url, "headers": {"Authorization": f"Bearer {secret}"}}


@pytest.fixture
def api_schema(api_world):
    return schemathesis.openapi.from_url(api_world["url"] + "/api/v1/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_api_conforms_to_its_spec(case, api_world):
    case.call_and_validate(base_url=api_world["url"], headers=api_world["headers"],
                           checks=[not_a_server_error, response_schema_conformance])


@pytest.mark.django_db
def test_the_spec_validates_against_the_openapi_meta_schema(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    schemathesis.openapi.from_dict(spec).validate()  # raises on any violation of the OpenAPI 3.1 meta-schema
    broken = {**spec, "paths": {"/x": {"get": {"responses": "none"}}}}
    with pytest.raises(Exception, match="not of type|is not valid|none"):
        schemathesis.openapi.from_dict(broken).validate()
