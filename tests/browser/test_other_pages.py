"""The map, briefings, entry, upload and history pages in a real Chromium: accessible, and the map
usable by keyboard."""

import pytest

from inspections.models import Event


def _wirral_2016():
    return Event.objects.get(council__urn=80581, start_date="2016-07-04")


def test_the_map_colours_every_district_and_its_councils_are_reachable_by_keyboard(page, sign_in, axe_violations):
    sign_in(page, "viewer")
    page.goto("/map/")
    assert page.locator("path[data-lad^='E0']").count() == 296
    assert axe_violations(page) == []
    wirral = page.locator("a[data-urn='80581']").first
    wirral.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/councils/wirral/")
    page.goto("/map/?as_at=2016-12-31&compare=1")
    assert page.locator("svg").count() >= 2
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    ("role", "paths"),
    [
        (
            "analyst",
            [
                "/briefings/",
                "/briefings/?scope=council&council=wirral&council_sections=headline&council_sections=journey&council_sections=grid",
            ],
        ),
        ("editor", ["/reports/upload/", "/inspections/new/", "/councils/wirral/history/", "EVENT_HISTORY", "UPDATE"]),
        ("admin", ["/history/deleted/"]),
    ],
)
def test_the_working_pages_have_no_serious_accessibility_violations(page, sign_in, axe_violations, role, paths):
    event = _wirral_2016()
    replacements = {
        "EVENT_HISTORY": f"/events/{event.pk}/history/",
        "UPDATE": f"/recommendations/{event.recommendations.first().pk}/update/",
    }
    sign_in(page, role)
    for path in paths:
        page.goto(replacements.get(path, path))
        assert axe_violations(page) == [], path
