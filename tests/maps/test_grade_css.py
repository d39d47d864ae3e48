"""The grade tags' colours come from the Grade rows: one stylesheet for the pages, the same rules in PDFs."""

import re

import pytest

from inspections import states
from inspections.cache import bump_data_version, data_version
from inspections.models import Grade

pytestmark = pytest.mark.django_db


def test_the_stylesheet_gives_every_grade_its_rows_colour(client):
    response = client.get("/grades.css")  # no sign-in needed: the sign-in page shares the layout
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    css = response.content.decode()
    for grade in Grade.objects.all():
        assert re.search(rf"\.app-grade--{grade.key}\{{background-color:{grade.colour};color:#[0-9a-f]{{6}}\}}", css)
    # Legend swatches (colour and pattern) for every grade and every non-grade state.
    for key in [*Grade.objects.values_list("key", flat=True), *(state.key for state in states.STATES)]:
        assert f'.app-swatch--{key}{{background-image:url("data:image/svg+xml;base64,' in css


def test_a_colour_changed_in_the_data_changes_the_stylesheet_and_its_address(viewer_client):
    page = viewer_client.get("/").content.decode()
    link = re.search(r'<link rel="stylesheet" href="(/grades\.css\?v=[^"]+)">', page).group(1)
    assert viewer_client.get(link)["Cache-Control"] == "public, max-age=31536000, immutable"
    Grade.objects.filter(key="good").update(colour="#003078")
    bump_data_version()
    assert (
        ".app-grade--good{background-color:#003078;color:#ffffff}" in viewer_client.get("/grades.css").content.decode()
    )
    assert f"v={data_version()}" not in link
    # An old version's address is not kept for good.
    assert viewer_client.get(link)["Cache-Control"] == "no-cache"


def test_the_stylesheets_no_longer_hard_code_grade_colours():
    from django.conf import settings

    for path in ["static/scss/_tracker.scss", "static/css/briefing.css"]:
        text = (settings.BASE_DIR / path).read_text()
        assert not re.search(r"\.app-grade--(outstanding|good|requires_improvement|adequate|inadequate)\b", text), path


def test_briefings_print_the_rows_colours(analyst_client):
    from briefings.council import council_briefing
    from briefings.document import default_options
    from briefings.printing import render_html

    html = render_html(council_briefing(slug="wirral", options=default_options("council")))
    style = html[html.index("<style>") : html.index("</style>")]
    assert ".app-grade--outstanding{background-color:#" in style
    assert '.app-swatch--good{background-image:url("data:image/svg+xml;base64,' in style  # not escaped
