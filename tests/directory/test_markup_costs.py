"""Feed text → clean text, and the three cost states (domain rules, no store)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wellbeing_desktop.domain.costs import CostState, decide, read_text
from wellbeing_desktop.domain.markup import clean_text, is_markup

# Shapes taken from council feeds: paragraphs, headings, &nbsp;, &amp;, lists, links.
COUNCIL_HTML = (
    "<p>Free&nbsp;advice on debt &amp; benefits.</p>\r\n<h4>Who can use it</h4>"
    "<p>Anyone over 18<br />living in Kingsmere.</p><ul><li>Drop-in</li><li>Phone line</li>"
    "</ul><p>More at <a href=\"https://advice.example.org/debt\" target=\"_blank\">our "
    "website</a>.</p>"
)


def test_council_html_becomes_paragraphs_lines_lists_and_links() -> None:
    assert clean_text(COUNCIL_HTML) == (
        "Free advice on debt & benefits.\n\nWho can use it\n\nAnyone over 18\nliving in "
        "Kingsmere.\n\n• Drop-in\n• Phone line\n\nMore at our website "
        "(https://advice.example.org/debt)."
    )


@pytest.mark.parametrize("hostile", [
    "<script>alert('x')</script><p>Hello</p>",
    "<p onclick=\"steal()\" style=\"color:red\">Hello</p><style>p {}</style>",
    "<p>Hello<iframe src=\"https://evil.example\"></iframe></p>",
    "<a href=\"javascript:alert(1)\">Hello</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">Hello</a>",
    "<img src=x onerror=alert(1)>Hello",
])
def test_anything_active_is_removed(hostile: str) -> None:
    text = clean_text(hostile)
    assert text == "Hello"


def test_only_http_links_are_kept() -> None:
    assert clean_text('<a href="ftp://x.example/f">file</a> and '
                      '<a href="http://x.example/">site</a>') == \
        "file and site (http://x.example/)"


def test_markdown_renders_too() -> None:
    text = clean_text("## Help\n\n* **Food** parcels\n* Clothes\n\nSee [us](https://x.example)")
    assert text == "Help\n\n• Food parcels\n• Clothes\n\nSee us (https://x.example)"


def test_plain_text_is_left_as_written() -> None:
    assert clean_text("Call 01632 960123.\nOpen Monday to Friday.") == \
        "Call 01632 960123.\nOpen Monday to Friday."
    assert clean_text("Tea &amp; chat") == "Tea & chat"
    assert clean_text(None) == "" and clean_text("   ") == ""
    assert not is_markup("Call us") and is_markup("<p>Call us</p>")


@given(st.text(max_size=300))
def test_clean_text_never_keeps_a_tag_or_an_active_link(raw: str) -> None:
    out = clean_text(raw) if "<" in raw else clean_text(f"<p>{raw}</p>")
    assert "<script" not in out.casefold()
    assert "javascript:" not in out.casefold() or "javascript:" in raw.casefold()


@pytest.mark.parametrize(("text", "state"), [
    ("Free", CostState.FREE),
    ("Free of charge", CostState.FREE),
    ("No charge", CostState.FREE),
    ("£30 per session (first session free)", CostState.CHARGED),
    ("50p a cup of tea", CostState.CHARGED),
    ("Small charge; ask about concessions", CostState.CHARGED),
    ("£0", CostState.FREE),
    ("Ask at reception", CostState.NOT_STATED),
    ("", CostState.NOT_STATED),
])
def test_fee_text_states(text: str, state: CostState) -> None:
    assert read_text(text) is state


def test_cost_options_and_fee_text_together() -> None:
    assert decide([0], []).state is CostState.FREE
    assert decide([], []).state is CostState.NOT_STATED  # nothing said is not "free"
    assert decide([0, None], []).state is CostState.NOT_STATED
    assert decide([12.5], ["Free"]).state is CostState.CHARGED
    charged = decide([], ["£30 per session (first session free)"])
    assert charged.state is CostState.CHARGED
    assert charged.shown == "Charged: £30 per session (first session free)"
    assert decide([0], ["Free"]).shown == "Free"
