"""The link page's template, rendered in a context of the page and its path alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from mentormail.app import web
from mentormail.app.web_security import LINK_TEMPLATE, link_template, render_page
from mentormail.service.links import LinkPage

TEMPLATES = Path(web.__file__).parent / "templates"


@pytest.mark.parametrize(
    "page",
    [
        LinkPage("Ask <Ana> & co?", 'She said "yes" & <b>no</b>', button="Ask", program="P&Q"),
        LinkPage("Link not found", "No such link.", status=404),
        LinkPage("No?", "x", button="Decline", next_step="Reply <here>", tone="secondary"),
    ],
)
def test_a_page_reads_as_the_template_renders_it_in_full(page: LinkPage) -> None:
    app = Flask(__name__, template_folder=str(TEMPLATES))
    path = "/a/abc_-<x>"
    expected = app.jinja_env.get_template(LINK_TEMPLATE).render(page=page, path=path)
    assert render_page(app, page, path) == expected


def test_a_template_naming_anything_but_the_page_and_its_path_is_refused(
    tmp_path: Path,
) -> None:
    (tmp_path / LINK_TEMPLATE).write_text("{{ page.title }} {{ url_for('x') }} {{ path }}")
    with pytest.raises(RuntimeError, match="url_for"):
        link_template(Flask(__name__, template_folder=str(tmp_path)))
