"""The weekly PSFS from the web (issue 20 item 2): Today invites naming activities, then
asks for a rating when one is due; the form works without JavaScript, names each wrong
field, keeps each score with the words it was rated under, and Insights shows the trend."""

from datetime import timedelta

from tests.web.web_support import NOW, html, post


def activity_ids(client) -> dict[str, str]:
    """Activity text -> the name of its score field, read from the rating form."""
    doc = html(client.get("/psfs"))
    return {
        fieldset.css_first("legend").text(): fieldset.css_first("input").attributes["name"]
        for fieldset in doc.css("form[action='/psfs/rate'] fieldset")
    }


def name_and_rate(client, scores: dict[str, int]) -> dict[str, str]:
    lines = {f"activity_{n}": text for n, text in enumerate(scores, start=1)}
    assert post(client, "/psfs/activities", **lines).status_code == 303
    fields = activity_ids(client)
    answer = {fields[text]: str(score) for text, score in scores.items()}
    assert post(client, "/psfs/rate", **answer).status_code == 303
    return fields


def test_today_invites_naming_then_asks_to_rate_then_waits_a_week(clocked_client, clock) -> None:
    today = html(clocked_client.get("/"))
    assert today.css_first("#psfs-name-title") is not None
    assert today.css_first("a[href='/psfs']") is not None
    post(clocked_client, "/psfs/activities", activity_1="Getting out of the car")
    today = html(clocked_client.get("/"))
    assert today.css_first("#psfs-name-title") is None
    assert "rate the activities" in today.css_first("#psfs-title").parent.text()
    fields = activity_ids(clocked_client)
    post(clocked_client, "/psfs/rate", **{fields["Getting out of the car"]: "4"})
    assert html(clocked_client.get("/")).css_first("#psfs-title") is None
    clock.set(NOW + timedelta(days=6))
    assert html(clocked_client.get("/")).css_first("#psfs-title") is None
    clock.set(NOW + timedelta(days=7))
    assert html(clocked_client.get("/")).css_first("#psfs-title") is not None


def test_wrong_fields_are_named_and_nothing_is_saved(client) -> None:
    refused = post(client, "/psfs/activities", activity_1="", activity_2="x" * 500)
    assert refused.status_code == 400
    summary = {a.attributes["href"]: a.text() for a in html(refused).css(".error-summary a")}
    assert "#field-activity_2" in summary
    assert "Activity 2" in summary["#field-activity_2"]
    assert html(client.get("/psfs")).css("form[action='/psfs/rate']") == []
    post(client, "/psfs/activities", activity_1="Walking 30 minutes", activity_2="Lifting")
    fields = activity_ids(client)
    refused = post(client, "/psfs/rate", **{fields["Walking 30 minutes"]: "11"})
    assert refused.status_code == 400
    messages = [a.text() for a in html(refused).css(".error-summary a")]
    assert any('"Walking 30 minutes"' in m and "0 to 10" in m for m in messages)
    assert any(m.startswith('Rate "Lifting"') for m in messages)
    assert html(client.get("/psfs")).css_first("#history-title") is None


def test_renaming_keeps_old_scores_with_their_words(client) -> None:
    fields = name_and_rate(client, {"Sitting through a film": 3, "Climbing stairs": 5})
    post(client, "/psfs/activities", activity_1="Sitting an hour at work",
         activity_2="Climbing stairs")  # fmt: skip
    doc = html(client.get("/psfs"))
    assert doc.css_first("#activity_1").attributes["value"] == "Sitting an hour at work"
    history = doc.css_first(".psfs-history").text()
    assert "Sitting through a film 3" in " ".join(history.split())
    assert "4.0" in history
    renamed = activity_ids(client)
    assert renamed["Sitting an hour at work"] == fields["Sitting through a film"]  # same id


def test_output_is_escaped(client) -> None:
    name_and_rate(client, {"<script>alert(1)</script>": 6})
    page = client.get("/psfs").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_insights_and_the_report_json_show_the_trend_against_two_points(
    clocked_client, clock
) -> None:
    clock.set(NOW - timedelta(weeks=3))
    name_and_rate(clocked_client, {"Running for the bus": 2, "Gardening": 4})
    clock.set(NOW)
    fields = activity_ids(clocked_client)
    post(clocked_client, "/psfs/rate",
         **{fields["Running for the bus"]: "6", fields["Gardening"]: "7"})  # fmt: skip
    doc = html(clocked_client.get("/insights"))
    assert doc.css_first("h2#psfs") is not None
    assert "3.0 → 6.5 (+3.5: beyond measurement error, better)" in doc.text()
    assert doc.css_first("svg#psfs") is not None or doc.css("[id^=psfs]")
