"""Every analysis page, download, feed and API list makes the same number of queries on ten times the
data as on the demo data (scripts/make_bigger_dataset.py, as the inspections pages' test does)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analysis.selectors import DOWNLOADS
from inspections.models import Event
from scripts.make_bigger_dataset import make_bigger_dataset
from tests.inspections.test_api_downloads import QUERIES as API_QUERIES

pytestmark = pytest.mark.django_db

# Sign-in (3) plus the page's own; the most is a comparison started from a council on the first
# request after a data change (17: the council and its neighbours, then England's and the region's
# grades by year, worked out once per data version).
MAX_QUERIES = 20

URLS = [
    "/analysis/",
    "/downloads/",
    *[f"/downloads/{name}.{fmt}" for name in DOWNLOADS for fmt in ("csv", "xlsx")],
    "/changes/",
    "/changes/?since=2010-01-01",
    "/changes/?since=2010-01-01&published_page=3&grades_page=2",
    "/changes/changes.csv?since=2010-01-01",
    "/changes/feed/",
    "/changes/feed/?since=2010-01-01",
    "/timing/",
    "/timing/?due=12&sort=-days",
    "/visits/themes/",
    "/visits/themes/?region=north-west&year=2019",
    "/compare/?council=wirral",
    "/compare/?councils=wirral,sefton,knowsley",
    "/compare/?councils=wirral,sefton,knowsley&format=csv",
    "/api/schema/",
    *API_QUERIES,
]


def queries_of(client, url):
    cache.clear()  # every page from scratch: sign-in queries included, no cached fragment
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def test_every_analysis_page_and_api_list_makes_the_same_queries_on_ten_times_the_data(
    analyst_client, django_assert_num_queries
):
    before = {url: queries_of(analyst_client, url) for url in URLS}
    assert {url: count for url, count in before.items() if count > MAX_QUERIES} == {}
    events = Event.objects.count()
    make_bigger_dataset()
    assert Event.objects.count() > 10 * events
    # An Excel file is built from the same rows as its CSV (same queries), and writing it at ten times
    # the data takes minutes: the CSVs stand for both at that size.
    for url in [url for url in URLS if not url.endswith(".xlsx")]:
        cache.clear()
        with django_assert_num_queries(before[url]):
            assert analyst_client.get(url).status_code == 200, url
    # The API lists' counts are the ones written down in their own test, at both sizes.
    assert {url: before[url] for url in API_QUERIES} == API_QUERIES
