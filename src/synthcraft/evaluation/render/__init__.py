"""Renderers of the evaluation report: fixed-width text, JSON and self-contained HTML."""

from synthcraft.evaluation.render._html import render_html
from synthcraft.evaluation.render._json import render_json
from synthcraft.evaluation.render._text import render_text

__all__ = ["render_html", "render_json", "render_text"]
