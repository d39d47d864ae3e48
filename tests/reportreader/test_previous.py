"""The earlier inspections a report states ("Previous Ofsted inspections"), read from page text.

Sentences as the 2013-18 reports print them (Wirral 2016, Oxfordshire 2014 and the template's
variants); expected values written down from the sentences.
"""

from reportreader import previous_inspections

WIRRAL_2016 = (
    "Previous Ofsted inspections\n"
    "• The last inspection of the local authority’s safeguarding arrangements was in March 2011. The local\n"
    "authority was judged to be good.\n"
    "• The last inspection of the local authority’s services for children looked after was in March 2011. The\n"
    "local authority was judged to be good.\n"
    "Local leadership\n"
    "• The director of children’s services was acting in the post from June 2012."
)


def test_each_stated_inspection_gives_its_topic_month_and_grade_with_its_page():
    found = previous_inspections(["Contents", WIRRAL_2016])
    assert [(f["topic"], f["month"], f["published"], f["grades"], f["page"]) for f in found] == [
        ("safeguarding", "2011-03", False, {"safeguarding": "good"}, 2),
        ("looked_after", "2011-03", False, {"looked_after": "good"}, 2),
    ]
    assert found[0]["sentence"].startswith("last inspection of the local authority's safeguarding arrangements")
    assert "local leadership" not in found[1]["sentence"]


def test_the_templates_safeguarding_or_protection_wording_and_a_numbered_grade():
    text = (
        "• The previous inspection of Oxfordshire’s safeguarding arrangements / arrangements for the "
        "protection of children was in March 2011. The local authority was judged to be Grade 2 (Good)."
    )
    (found,) = previous_inspections([text])
    assert (found["topic"], found["month"], found["grades"]) == (
        "safeguarding_or_protection",
        "2011-03",
        {"safeguarding_or_protection": "good"},
    )


def test_a_combined_inspection_with_a_grade_for_each_and_a_publication_month():
    text = (
        "The previous inspection of safeguarding and looked after children services was published in "
        "November 2012. The local authority was judged adequate for safeguarding and good for looked "
        "after children."
    )
    (found,) = previous_inspections([text])
    assert (found["topic"], found["month"], found["published"]) == ("both", "2012-11", True)
    assert found["grades"] == {"safeguarding": "adequate", "looked_after": "good"}


def test_a_2009_scale_word_gives_no_grade_and_fostering_or_adoption_inspections_are_left_out():
    pages = [
        "The previous inspection of the local authority’s services for children looked after was in June "
        "2010. The local authority was judged to be satisfactory.",
        "The last inspection of the local authority’s fostering agency was in May 2012. It was judged good.",
        "The last inspection of the local authority’s arrangements for the protection of children was in "
        "January 2013. The local authority was judged to be adequate.",
    ]
    found = previous_inspections(pages)
    assert [(f["topic"], f["month"], f["grades"]) for f in found] == [
        ("looked_after", "2010-06", {}),
        ("protection", "2013-01", {"protection": "adequate"}),
    ]


def test_a_report_that_states_no_earlier_inspection_gives_none():
    assert previous_inspections(["Inspection of Wirral local authority children’s services", ""]) == []
