"""Export an executed notebook to one self-contained HTML page with the storeops template.

No code, no prompts, no injected-parameters cell, no papermill metadata;
images are embedded as data URIs; no scripts or external links.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbconvert.preprocessors import TagRemovePreprocessor

TEMPLATES = Path(__file__).parent / "templates"
#: cells the reader never sees: parameters, analysts' notes, the summary hand-off
HIDDEN_TAGS = {"parameters", "injected-parameters", "analyst", "summary"}


def strip_papermill(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy without papermill's notebook and cell metadata (parameters, timings, paths)."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    return nb


_SECTION = re.compile(r'<section id="([\w-]+)"><h2>(.*?)</h2>')


def table_of_contents(page: str, heading: str) -> str:
    """Insert a table of contents, built from the sections' headings, after the report's header."""
    links = "".join(f'<li><a href="#{a}">{t}</a></li>' for a, t in _SECTION.findall(page))
    if not links:
        return page
    nav = f'<nav class="so-toc" aria-label="{heading}"><ol>{links}</ol></nav>'
    at = page.find("</header>")
    at = at + len("</header>") if at >= 0 else page.find('<main class="so-report">') + len('<main class="so-report">')
    return page[:at] + nav + page[at:]


_IMG = re.compile(r"""<img\b((?:[^>"']|"[^"]*"|'[^']*')*)>""", re.I)
_QUOTED = re.compile(r""""[^"]*"|'[^']*'""")
_ALT = re.compile(r"(?:^|\s)alt\s*=", re.I)
NO_ALT = "No description has been provided for this image"  # nbconvert's words


def with_alt(page: str) -> str:
    """Every ``<img>`` of ``page`` with alt text: nbconvert's placeholder where it has none."""
    def tag(m: re.Match) -> str:
        if _ALT.search(_QUOTED.sub('""', m.group(1))):
            return m.group(0)
        return f'{m.group(0)[:-1].rstrip("/").rstrip()} alt="{NO_ALT}">'

    return _IMG.sub(tag, page)


class _Exporter(HTMLExporter):
    """nbconvert's HTML exporter without its last pass, which parses the whole page again with
    BeautifulSoup (a quarter second on a monthly's megabyte of charts) to give an image without alt
    text a placeholder and JupyterLab's cells a tabindex. The storeops template has no JupyterLab
    cells; an image without alt text (an analyst's own plot) gets nbconvert's placeholder here."""

    def from_notebook_node(self, nb, resources=None, **kw):
        # HTMLExporter.from_notebook_node up to its BeautifulSoup pass
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        self.register_filter("highlight_code",
                             self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type",
                             WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return with_alt(page), resources


def to_html(nb: nbformat.NotebookNode, *, title: str, lang: str, footer: str, toc: str = "Contents") -> str:
    exporter = _Exporter(
        template_name="storeops",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    remove = TagRemovePreprocessor(remove_cell_tags=HIDDEN_TAGS, enabled=True)
    exporter.register_preprocessor(remove, enabled=True)
    resources = {"storeops": {"title": title, "lang": lang, "footer": footer,
                              "css": (TEMPLATES / "storeops" / "report.css").read_text(encoding="utf-8")}}
    body, _ = exporter.from_notebook_node(strip_papermill(nb), resources=resources)
    return table_of_contents(body, toc)
