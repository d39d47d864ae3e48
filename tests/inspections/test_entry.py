"""Entering results: /inspections/new/ in two steps and /events/<pk>/edit/, as an editor uses them."""

import datetime
import html
import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from inspections.models import Event, EventKind, Framework
from inspections.services import event_save

pytestmark = pytest.mark.django_db

STEP_2 = "/inspections/new/details/?council={council}&kind={kind}&framework={framework}"


class _FormReader(HTMLParser):
    """Collects what a browser would submit from the page's POST form (no JavaScript)."""

    def __init__(self):
        super().__init__()
        self.data, self.in_form, self.done = [], False, False
        self.select, self.select_first, self.select_chosen = None, None, False
        self.textarea, self.text = None, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        is_page_form = "logout" not in (a.get("action") or "")  # not the account bar's sign-out form
        if tag == "form" and (a.get("method") or "").lower() == "post" and is_page_form and not self.done:
            self.in_form = True
        if not self.in_form:
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file") or "name" not in a:
                return
            if kind in ("radio", "checkbox") and "checked" not in a:
                return
            self.data.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select, self.select_first, self.select_chosen = a.get("name"), None, False
        elif tag == "option" and self.select:
            if self.select_first is None:
                self.select_first = a.get("value", "")
            if "selected" in a and not self.select_chosen:
                self.data.append((self.select, a.get("value", "")))
                self.select_chosen = True
        elif tag == "textarea":
            self.textarea, self.text = a.get("name"), []
        elif tag == "template":
            self.in_form = False  # the JavaScript row template is not submitted
            self._resume = True

    def handle_endtag(self, tag):
        if tag == "template" and getattr(self, "_resume", False):
            self.in_form, self._resume = True, False
        if not self.in_form:
            return
        if tag == "select" and self.select:
            if not self.select_chosen and self.select_first is not None:
                self.data.append((self.select, self.select_first))
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.data.append((self.textarea, "".join(self.text).removeprefix("\n")))
            self.textarea = None
        elif tag == "form":
            self.in_form, self.done = False, True

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)


def form_data(page, **changes):
    """The first POST form's values as a browser would send them, with `changes` applied."""
    reader = _FormReader()
    reader.feed(page if isinstance(page, str) else page.content.decode())
    data = {}
    for name, value in reader.data:
        data.setdefault(name, value)
    data.pop("csrfmiddlewaretoken", None)
    data.update({k: str(v) for k, v in changes.items()})
    return data


def date_parts(prefix, day, month, year):
    return {f"{prefix}_day": day, f"{prefix}_month": month, f"{prefix}_year": year}


def error_summary(response):
    content = response.content.decode()
    match = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', content, re.S)
    return [html.unescape(m) for m in re.findall(r'<a href="#[^"]+">(.*?)</a>', match[1])] if match else []


@pytest.fixture
def wirral_2019(wirral):
    return Event.objects.get(council=wirral, kind=EventKind.INSPECTION, start_date=datetime.date(2019, 6, 17))


# Who may use these pages -------------------------------------------------------------------------


def entry_urls(event):
    return [
        "/inspections/new/",
        STEP_2.format(council="wirral", kind="inspection", framework="ilacs_2023"),
        f"/events/{event.pk}/edit/",
    ]


def test_anonymous_users_are_sent_to_sign_in(client, wirral_2019):
    for url in entry_urls(wirral_2019):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        assert client.post(url, {}).status_code == 302


@pytest.mark.parametrize("role", ["viewer", "analyst", None])
def test_viewers_and_analysts_may_not_enter_results_even_by_post(client_for, role, wirral_2019):
    client = client_for(role)
    before = Event.history.count()
    for url in entry_urls(wirral_2019):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"council": "wirral", "kind": "inspection"}).status_code == 403, url
    assert Event.history.count() == before


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_editors_and_admins_may_enter_results(client_for, role, wirral_2019, django_assert_max_num_queries):
    client = client_for(role)
    for url in entry_urls(wirral_2019):
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200, url


def test_navigation_offers_entry_only_to_editors(client_for):
    page = client_for("editor").get("/").content.decode()
    assert "Add an inspection" in page and "Upload a report" in page
    page = client_for("analyst").get("/").content.decode()
    assert "Add an inspection" not in page and "Upload a report" not in page


def test_event_page_has_an_edit_link_for_editors_only(client_for, wirral_2019):
    link = f"/events/{wirral_2019.pk}/edit/"
    assert link in client_for("editor").get(wirral_2019.get_absolute_url()).content.decode()
    assert link not in client_for("viewer").get(wirral_2019.get_absolute_url()).content.decode()


# Step 1 ------------------------------------------------------------------------------------------


def test_step_1_without_answers_lists_every_error_and_saves_nothing(editor_client):
    response = editor_client.post("/inspections/new/", {})
    assert response.status_code == 200
    assert error_summary(response) == ["Choose the council", "Choose what you are entering"]
    content = response.content.decode()
    assert "<title>Error: " in content
    assert 'href="#id_council"' in content and 'href="#id_kind_0"' in content
    assert 'class="govuk-error-message"' in content


def test_step_1_inspection_needs_a_framework_and_keeps_the_council_chosen(editor_client):
    response = editor_client.post("/inspections/new/", {"council": "wirral", "kind": "inspection"})
    assert error_summary(response) == ["Choose the framework the inspection was carried out under"]
    content = response.content.decode()
    assert '<option value="wirral" selected>' in content
    assert 'value="inspection" checked' in content


def test_step_1_refuses_a_council_that_does_not_exist(editor_client):
    response = editor_client.post("/inspections/new/", {"council": "atlantis", "kind": "monitoring_visit"})
    assert error_summary(response) == ["Choose a council from the list"]


def test_step_1_leads_to_step_2_for_that_council_kind_and_framework(editor_client):
    response = editor_client.post(
        "/inspections/new/", {"council": "wirral", "kind": "inspection", "framework": "ilacs_2026"}
    )
    assert response.status_code == 302
    assert response["Location"] == STEP_2.format(council="wirral", kind="inspection", framework="ilacs_2026")


def test_step_2_with_a_bad_choice_goes_back_to_step_1(editor_client):
    response = editor_client.get(STEP_2.format(council="wirral", kind="inspection", framework="nonsense"))
    assert response.status_code == 302 and response["Location"].startswith("/inspections/new/?")


# Step 2 shows only the framework's areas and scale --------------------------------------------


def grade_labels(content):
    return re.findall(r'<label class="govuk-label govuk-label--s" for="id_grade_(\w+)">', content)


def test_step_2_asks_only_for_the_frameworks_judgements_in_report_order(editor_client):
    content = editor_client.get(STEP_2.format(council="wirral", kind="inspection", framework="ilacs_2026")).content
    assert grade_labels(content.decode()) == [
        "impact_of_leaders",
        "help_and_protection",
        "children_in_care",
        "care_leavers",
    ]
    content = editor_client.get(STEP_2.format(council="wirral", kind="inspection", framework="sif")).content.decode()
    assert grade_labels(content) == [
        "overall_effectiveness",
        "help_and_protection",
        "children_looked_after",
        "adoption_performance",
        "care_leavers",
        "leadership_management_governance",
        "lscb",
    ]
    assert "The Local Safeguarding Children Board" in content, "SIF recommendations may be addressed to the LSCB"


def test_step_2_offers_the_frameworks_own_scale(editor_client):
    old = editor_client.get(STEP_2.format(council="norfolk", kind="inspection", framework="looked_after_2009"))
    assert '<option value="adequate">Adequate</option>' in old.content.decode()
    assert "requires_improvement" not in old.content.decode()
    new = editor_client.get(STEP_2.format(council="norfolk", kind="inspection", framework="ilacs_2023"))
    assert 'value="adequate"' not in new.content.decode()


def test_step_2_for_a_visit_has_no_judgements_and_asks_for_its_focus(editor_client):
    content = editor_client.get("/inspections/new/details/?council=wirral&kind=monitoring_visit").content.decode()
    assert grade_labels(content) == []
    assert 'id="id_focus"' in content and "Recommendation 1" not in content


# Step 2 validation -----------------------------------------------------------------------------


def new_inspection_url(framework="ilacs_2023", council="wirral"):
    return STEP_2.format(council=council, kind="inspection", framework=framework)


def filled(client, url, **changes):
    return form_data(client.get(url), **changes)


@pytest.mark.parametrize(
    ("changes", "message", "kept"),
    [
        (
            {**date_parts("start_date", "", "", "")},
            "Enter the start date, or if it is not known, the date published",
            None,
        ),
        (date_parts("start_date", "12", "", "2030"), "Start date must include a month", 'value="12"'),
        (date_parts("start_date", "31", "2", "2030"), "Start date must be a real date", 'value="31"'),
        (date_parts("start_date", "1", "2", "30"), "Start date must include a year with four digits", 'value="30"'),
        (date_parts("start_date", "a", "b", "2030"), "Start date must be a real date, in numbers", 'value="a"'),
        (
            {**date_parts("start_date", "10", "2", "2030"), **date_parts("end_date", "1", "2", "2030")},
            "End date must be the same as or after the start date",
            'value="10"',
        ),
        (
            {**date_parts("start_date", "10", "2", "2030"), **date_parts("published_date", "1", "1", "2030")},
            "Date published must be the same as or after the inspection ended",
            'value="10"',
        ),
        ({"source_url": "not a link"}, "Enter a link in the right format", 'value="not a link"'),
        ({"grade_overall_effectiveness": "adequate"}, "Choose a grade that ILACS 2023 uses", None),
        ({"inspection_type": "long"}, "Select a valid choice", None),
    ],
)
def test_each_validation_error_is_shown_beside_its_field_and_what_was_typed_is_kept(
    editor_client, changes, message, kept
):
    url = new_inspection_url()
    data = filled(
        editor_client,
        url,
        **date_parts("start_date", "6", "1", "2030"),
        lead_inspector="Typed Inspector",
        **{"recommendations-0-text": "Typed recommendation"},
    )
    data.update(changes)
    before = Event.objects.count()
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert any(m.startswith(message) for m in error_summary(response)), error_summary(response)
    content = response.content.decode()
    assert 'class="govuk-error-message"' in content
    assert 'value="Typed Inspector"' in content and "Typed recommendation</textarea>" in content
    if kept:
        assert kept in content
    assert Event.objects.count() == before


def test_a_new_inspection_is_saved_with_its_judgements_and_recommendations(editor_client, wirral, client_for):
    url = new_inspection_url("ilacs_2026")
    data = filled(
        editor_client,
        url,
        inspection_type="short",
        **date_parts("start_date", "11", "5", "2026"),
        **date_parts("end_date", "15", "5", "2026"),
        **date_parts("published_date", "30", "6", "2026"),
        lead_inspector="  Ann   Other ",
        grade_impact_of_leaders="good",
        grade_help_and_protection="outstanding",
        grade_children_in_care="good",
        **{"recommendations-0-text": "First thing to improve.", "recommendations-1-text": "Second thing."},
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302
    event = Event.objects.get(council=wirral, start_date=datetime.date(2026, 5, 11))
    assert response["Location"] == event.get_absolute_url()
    assert event.framework.key == "ilacs_2026" and event.inspection_type == "short"
    assert event.end_date == datetime.date(2026, 5, 15) and event.published_date == datetime.date(2026, 6, 30)
    assert event.lead_inspector == "Ann Other"
    assert {j.area.key: j.grade.key for j in event.judgements.all()} == {
        "impact_of_leaders": "good",
        "help_and_protection": "outstanding",
        "children_in_care": "good",
    }, "care leavers left as not judged records no judgement"
    assert [(r.number, r.text) for r in event.recommendations.all()] == [
        (1, "First thing to improve."),
        (2, "Second thing."),
    ]
    page = editor_client.get(response["Location"]).content.decode()
    assert "saved for Wirral" in page
    assert event.get_absolute_url() in client_for("viewer").get("/councils/wirral/").content.decode()


def test_an_intervention_needs_its_type(editor_client, wirral):
    url = "/inspections/new/details/?council=wirral&kind=intervention"
    data = filled(editor_client, url, **date_parts("start_date", "1", "4", "2030"))
    response = editor_client.post(url, data)
    assert error_summary(response) == ["Choose the type of intervention"]
    data["intervention_type"] = "improvement_notice"
    assert editor_client.post(url, data).status_code == 302
    assert Event.objects.get(council=wirral, kind="intervention", start_date=datetime.date(2030, 4, 1))


def test_entering_an_inspection_we_already_hold_is_refused_with_a_link_to_it(editor_client, wirral_2019):
    url = new_inspection_url("ilacs_2018")
    data = filled(editor_client, url, **date_parts("start_date", "17", "6", "2019"))
    before = Event.objects.count()
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert any("Wirral already has this inspection" in m for m in error_summary(response))
    assert f"/events/{wirral_2019.pk}/edit/" in response.content.decode()
    assert Event.objects.count() == before


def test_add_another_recommendation_without_javascript_keeps_everything_and_saves_nothing(editor_client):
    url = new_inspection_url()
    data = filled(
        editor_client,
        url,
        lead_inspector="Kept",
        **{"recommendations-0-text": "One", "recommendations-1-text": "Two"},
    )
    assert data["recommendations-TOTAL_FORMS"] == "2"
    before = Event.objects.count()
    response = editor_client.post(url, {**data, "add_recommendation": "1"})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="recommendations-2-text"' in content
    assert 'name="recommendations-TOTAL_FORMS" value="3"' in content
    assert ">One</textarea>" in content and ">Two</textarea>" in content and 'value="Kept"' in content
    assert error_summary(response) == [], "asking for a row is not a failed save"
    assert Event.objects.count() == before


def test_script_typed_into_text_fields_is_stored_as_typed_and_shown_escaped(editor_client, wirral):
    script = "<script>alert('x')</script>"
    url = new_inspection_url()
    data = filled(
        editor_client,
        url,
        **date_parts("start_date", "3", "3", "2031"),
        lead_inspector=script,
        summary=script,
        **{"recommendations-0-text": script},
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302
    event = Event.objects.get(council=wirral, start_date=datetime.date(2031, 3, 3))
    assert event.lead_inspector == script and event.summary == script
    assert event.recommendations.get().text == script
    for page in (editor_client.get(event.get_absolute_url()), editor_client.get(f"/events/{event.pk}/edit/")):
        content = page.content.decode()
        assert script not in content
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content


# Editing -------------------------------------------------------------------------------------------


def test_edit_page_shows_the_events_values(editor_client, wirral_2019):
    content = editor_client.get(f"/events/{wirral_2019.pk}/edit/").content.decode()
    assert 'name="start_date_day" type="text" inputmode="numeric" value="17"' in content
    assert 'value="Paula Thomson-Jones"' in content
    assert '<option value="good" selected>' in content
    assert f'name="version" value="{wirral_2019.version}"' in content
    assert '<option value="ilacs_2018" selected>' in content


def test_editing_saves_changes_and_bumps_the_version(editor_client, wirral_2019):
    url = f"/events/{wirral_2019.pk}/edit/"
    data = form_data(editor_client.get(url), lead_inspector="Corrected Name", grade_impact_of_leaders="outstanding")
    response = editor_client.post(url, data)
    assert response.status_code == 302 and response["Location"] == wirral_2019.get_absolute_url()
    event = Event.objects.get(pk=wirral_2019.pk)
    assert event.lead_inspector == "Corrected Name"
    assert event.judgements.get(area__key="impact_of_leaders").grade.key == "outstanding"
    assert event.version == wirral_2019.version + 1


def test_saving_without_changes_says_so(editor_client, wirral_2019):
    url = f"/events/{wirral_2019.pk}/edit/"
    response = editor_client.post(url, form_data(editor_client.get(url)), follow=True)
    assert "No changes to save." in response.content.decode()
    assert Event.objects.get(pk=wirral_2019.pk).version == wirral_2019.version


def test_a_stale_save_is_refused_with_a_clear_message_and_the_input_kept(editor_client, make_user, wirral_2019):
    url = f"/events/{wirral_2019.pk}/edit/"
    mine = form_data(editor_client.get(url), lead_inspector="My change")

    other = Client()
    other.force_login(make_user("editor", username="second-editor"))
    theirs = form_data(other.get(url), lead_inspector="Their change")
    assert other.post(url, theirs).status_code == 302

    response = editor_client.post(url, mine)
    assert response.status_code == 200
    content = response.content.decode()
    assert error_summary(response)[0] == "Someone else changed this event while you were editing it"
    assert "your changes have not been saved" in content
    assert 'value="My change"' in content, "what I typed is kept"
    assert "Their change" in content, "their version is shown"
    assert Event.objects.get(pk=wirral_2019.pk).lead_inspector == "Their change", "never silently overwritten"

    # Having seen theirs, saving again is a deliberate choice and goes through.
    again = form_data(content)
    assert again["version"] == str(Event.objects.get(pk=wirral_2019.pk).version)
    assert editor_client.post(url, again).status_code == 302
    assert Event.objects.get(pk=wirral_2019.pk).lead_inspector == "My change"


def test_a_stale_save_is_refused_by_the_service_too(wirral_2019):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Someone else changed this event"):
        event_save(
            council=wirral_2019.council,
            kind=wirral_2019.kind,
            values={"lead_inspector": "x"},
            event=wirral_2019,
            expected_version=wirral_2019.version - 1,
        )


def test_changing_the_framework_shows_its_judgements_before_anything_is_saved(editor_client, wirral_2019):
    url = f"/events/{wirral_2019.pk}/edit/"
    data = form_data(editor_client.get(url), framework="ilacs_2023", lead_inspector="Kept while switching")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "care_leavers" in grade_labels(content) and "children_in_care_and_care_leavers" not in grade_labels(content)
    assert 'value="Kept while switching"' in content
    assert Event.objects.get(pk=wirral_2019.pk).framework.key == "ilacs_2018"
    data = form_data(content, grade_care_leavers="good")
    assert editor_client.post(url, data).status_code == 302
    event = Event.objects.get(pk=wirral_2019.pk)
    assert event.framework == Framework.objects.get(key="ilacs_2023")
    assert event.judgements.get(area__key="care_leavers").grade.key == "good"


def test_edit_of_a_missing_event_is_404(editor_client):
    assert editor_client.get("/events/999999/edit/").status_code == 404


def test_emptying_a_recommendation_removes_it(editor_client, wirral):
    event = Event.objects.get(council=wirral, start_date=datetime.date(2023, 9, 18))
    count = event.recommendations.count()
    assert count >= 2
    url = f"/events/{event.pk}/edit/"
    response = editor_client.post(url, form_data(editor_client.get(url), **{"recommendations-0-text": ""}))
    assert response.status_code == 302
    assert event.recommendations.count() == count - 1


def test_removing_a_recommendation_keeps_the_others_status_and_history(editor_client, wirral):
    from inspections.services import recommendation_status_change

    event = Event.objects.get(council=wirral, start_date=datetime.date(2023, 9, 18))
    first, second, third = list(event.recommendations.order_by("number"))[:3]
    recommendation_status_change(
        recommendation=second,
        status="met",
        date=datetime.date(2024, 6, 1),
        note="Found met at a visit.",
        expected_version=Event.objects.get(pk=second.event_id).version,
    )
    url = f"/events/{event.pk}/edit/"
    data = form_data(
        editor_client.get(url), **{"recommendations-0-text": "", "recommendations-2-text": third.text + " (edited)"}
    )
    assert editor_client.post(url, data).status_code == 302
    moved = event.recommendations.get(pk=second.pk)
    assert (moved.number, moved.text, moved.status) == (1, second.text, "met")
    assert moved.updates.get().note == "Found met at a visit."
    assert not event.recommendations.filter(pk=first.pk).exists()
    assert event.recommendations.get(number=2).text == third.text + " (edited)"
    assert list(event.recommendations.values_list("number", flat=True)) == list(
        range(1, event.recommendations.count() + 1)
    )


# Wording per kind, inspection types, the edit flow, editing from the council page ----------------


def test_intervention_and_milestone_forms_use_their_own_words(editor_client):
    intervention = editor_client.get("/inspections/new/details/?council=wirral&kind=intervention").content.decode()
    milestone = editor_client.get("/inspections/new/details/?council=wirral&kind=milestone").content.decode()
    for content in (intervention, milestone):
        assert "The last day on site" not in content and "Link to the report" not in content
    assert "Date it was lifted" in intervention and "Link to the notice or announcement" in intervention
    assert "What happened (optional)" in milestone and "Link to the source (optional)" in milestone
    visit = editor_client.get("/inspections/new/details/?council=wirral&kind=monitoring_visit").content.decode()
    assert "Link to the letter (optional)" in visit


def test_an_intervention_without_a_start_date_is_asked_for_it_in_its_own_words(editor_client):
    url = "/inspections/new/details/?council=wirral&kind=intervention"
    data = filled(editor_client, url, intervention_type="improvement_notice")
    assert error_summary(editor_client.post(url, data)) == ["Enter the date it began"]


def test_only_frameworks_with_standard_and_short_inspections_ask_for_the_type(editor_client):
    sif = editor_client.get(new_inspection_url("sif")).content.decode()
    ilacs = editor_client.get(new_inspection_url("ilacs_2023")).content.decode()
    assert "Type of inspection" not in sif
    assert "Type of inspection" in ilacs


def test_a_sif_report_is_not_flagged_for_its_inspection_type(wirral):
    from inspections.forms import EventEntry
    from intake.forms import flag_uncertain, report_initial
    from reportreader.result import ReportResult

    result = ReportResult(
        kind="inspection",
        council_name="Wirral",
        framework="sif",
        start_date=datetime.date(2016, 7, 4),
        end_date=datetime.date(2016, 7, 28),
        judgements={"overall_effectiveness": "inadequate"},
    )
    sif = Framework.objects.get(key="sif")
    type_initial, initial, recommendations = report_initial(result, council=wirral, framework=sif)
    entry = EventEntry(type_initial=type_initial, initial=initial, recommendations_initial=recommendations)
    flag_uncertain(entry, result, council_matched=True)
    assert "inspection_type" not in entry.details.flags
    assert "published_date" in entry.details.flags  # what is really missing is still flagged


def test_recommendation_boxes_are_at_least_five_rows(editor_client):
    content = editor_client.get(new_inspection_url()).content.decode()
    rows = [int(n) for n in re.findall(r'<textarea[^>]*name="recommendations-\d+-text"[^>]*rows="(\d+)"', content)]
    rows += [int(n) for n in re.findall(r'<textarea[^>]*rows="(\d+)"[^>]*name="recommendations-\d+-text"', content)]
    assert rows and min(rows) >= 5


def test_the_edit_page_shows_the_fields_of_a_new_choice_on_request_and_saves_nothing(editor_client, wirral_2019):
    url = f"/events/{wirral_2019.pk}/edit/"
    page = editor_client.get(url).content.decode()
    assert "Save once" not in page and "Show the fields for this choice" in page
    data = form_data(page, framework="ilacs_2023", lead_inspector="Kept", show_fields="1")
    response = editor_client.post(url, data)
    content = response.content.decode()
    assert response.status_code == 200 and error_summary(response) == []
    assert "care_leavers" in grade_labels(content) and 'value="Kept"' in content
    assert "The fields below are now those of an inspection under ILACS 2023" in content
    assert Event.objects.get(pk=wirral_2019.pk).framework.key == "ilacs_2018"


def test_editors_change_events_and_update_recommendations_from_the_council_page(client_for, wirral_2019):
    rec = wirral_2019.recommendations.first()
    editor = client_for("editor").get("/councils/wirral/").content.decode()
    assert f'href="/events/{wirral_2019.pk}/edit/"' in editor
    assert f'href="/recommendations/{rec.pk}/update/"' in editor
    viewer = client_for("viewer").get("/councils/wirral/").content.decode()
    assert "/edit/" not in viewer and "/update/" not in viewer


# One GOV.UK form path -------------------------------------------------------------------------------


def test_a_field_renders_as_its_whole_govuk_component():
    from inspections.forms import HistoryFilterForm

    form = HistoryFilterForm({"who": "nobody-known"}, people=["jo.editor"], kinds=[("event", "Event")])
    form.is_valid()
    html = str(form["who"])
    assert '<div class="govuk-form-group govuk-form-group--error">' in html
    assert '<label class="govuk-label govuk-label--s" for="id_who">Changed by</label>' in html
    assert 'class="govuk-select govuk-select--error"' in html and "govuk-error-message" in html
    assert form.error_summary == [(form.errors["who"][0], "id_who")]


def test_every_page_lists_its_errors_through_the_one_error_summary():
    from pathlib import Path

    from django.conf import settings

    templates = Path(settings.BASE_DIR) / "templates"
    own = {"includes/govuk_error_summary.html"}
    others = {"briefings", "inspections/map.html"}  # the briefing and map pages are another part's
    copied = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if 'class="govuk-error-summary"' in path.read_text()
        and str(path.relative_to(templates)) not in own
        and not any(str(path.relative_to(templates)).startswith(o) for o in others)
    ]
    assert copied == []
