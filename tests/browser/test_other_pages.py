"""The map, briefings, entry, upload and history pages in a real Chromium: accessible, and the map
usable by keyboard."""

import pytest

from inspections.models import Event


def _wirral_2016():
    return Event.objects.get(council__urn=80581, start_date="2016-07-04")


def test_the_map_colours_every_district_and_its_councils_are_reachable_by_keyboard(page, sign_in, axe_violations):
    sign_in(page, "viewer")
    page.goto("/map/")
    # England's 296 districts, then London's 33 boroughs again, larger, in the inset.
    assert page.locator(".app-map__views > .app-map__svg path[data-lad^='E0']").count() == 296
    assert page.locator(".app-map__inset path[data-lad^='E0']").count() == 33
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


def test_skip_the_map_is_the_first_stop_and_jumps_past_every_council(page, sign_in):
    sign_in(page, "viewer")
    page.goto("/map/")
    page.locator("button:has-text('Show map')").focus()
    page.keyboard.press("Tab")  # the "Compare" link beside the button
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip the map"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('svg') === null")
    assert focused, "after skipping, focus is past the map"
    assert page.evaluate("document.activeElement.textContent").strip() == "Show the map as a table"


def test_map_legend_and_london_labels_are_at_least_12px_on_a_phone(page, sign_in):
    sign_in(page, "viewer")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/map/")
    legend_sizes = page.eval_on_selector_all(
        ".app-map__legend-item", "items => items.map(i => parseFloat(getComputedStyle(i).fontSize))"
    )
    assert legend_sizes and min(legend_sizes) >= 12
    # SVG text scales with the drawing: measure the rendered height of each borough label.
    heights = page.eval_on_selector_all(
        ".app-map__inset .app-map__labels tspan", "spans => spans.map(s => s.getBoundingClientRect().height)"
    )
    assert len(heights) >= 33 and min(heights) >= 12
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_briefing_builder_shows_only_the_chosen_scopes_fields(page, sign_in):
    sign_in(page, "analyst")
    page.goto("/briefings/")
    assert page.locator("#id_council").is_visible()
    assert not page.locator("#id_region").is_visible()
    page.get_by_label("A region").check()
    assert page.locator("#id_region").is_visible() and page.locator("#id_region_sections_0").is_visible()
    assert not page.locator("#id_council").is_visible() and not page.locator("#id_council_sections_0").is_visible()
    page.locator("#id_region").select_option("north-west")
    page.get_by_role("button", name="Preview briefing").click()
    assert page.locator("text=North West: Ofsted judgements").first.is_visible()


def test_briefing_builder_without_javascript_shows_every_field_and_still_works(browser, live_server, sign_in):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "analyst")
        page.goto("/briefings/")
        assert page.locator("#id_council").is_visible() and page.locator("#id_region").is_visible()
        page.goto("/briefings/?scope=region&region=north-west")
        assert page.locator("a:has-text('Download PDF')").count() == 1
    finally:
        context.close()
