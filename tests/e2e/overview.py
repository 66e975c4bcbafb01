"""Checks the written overview of a published review against its summary.json."""

from __future__ import annotations

import html
import json
import re

from storeops.metrics import registry
from storeops.present import formats, tables


def assert_figures_match(published) -> int:
    """Every ``data-figure`` of a published report's overview (``published``: lang, html path, page)
    shows its summary.json value as the report formats it; returns how many there were."""
    lang, html_path, page = published
    summary = json.loads(html_path.with_name(html_path.name.replace(".html", ".summary.json")).read_text())
    colours = tables.colours({}, lang)
    overview = re.search(r'<p class="so-overview">(.*?)</p>', page, re.S)
    assert overview, "no overview paragraph"
    found = re.findall(r'<span data-figure="([^"]+)">([^<]*)</span>', overview.group(1))
    for key, shown in found:
        if key.startswith("comparisons."):
            _, basis, mid = key.split(".")
            expected = tables.trend(summary["comparisons"][basis][mid], colours)
        elif key.startswith("action_"):
            expected = str(summary["metrics"][key])
        elif key.startswith("bridge_"):
            expected = formats.signed_money(summary["metrics"][key], lang)
        else:
            expected = formats.value(summary["metrics"][key], registry.get(key).unit, lang)
        assert html.unescape(shown) == expected, key
    return len(found)


def publish(project, kind: str, flag: str, label: str, lang: str, *more: str):
    """``storeops run <kind> <flag> <label> --lang <lang> <more>`` on ``project``: (lang, html path, page)."""
    import subprocess
    from pathlib import Path

    from tests.conftest import BIN

    r = subprocess.run([BIN / "storeops", "run", kind, flag, label, "--lang", lang, *more, "--config",
                        project / "params" / "store.yaml"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    html_path = Path(r.stdout.strip().splitlines()[-1])
    return lang, html_path, html_path.read_text(encoding="utf-8")


def assert_whole(published, project, kind: str, label: str, sections, store_lang: str = "zh") -> None:
    """The report is where it belongs (a report in another language than the store's is named for
    it), has every section, and shows no missing value or traceback."""
    lang, html_path, page = published
    stem = f"{kind}-{label}" + ("" if lang == store_lang else f".{lang}")
    assert html_path == project / "reports" / kind / label[:4] / f"{stem}.html"
    for anchor in sections:
        assert f'id="{anchor}"' in page, anchor
    for sign in ("Traceback", "nan", "None", "NaN"):
        assert not re.search(rf"\b{sign}\b", re.sub(r'src="data:[^"]+"', "", page)), sign
    assert not machine_words(page), machine_words(page)


def machine_words(page: str) -> list[str]:
    """What a reader of the page should never have to read: settings keys and file names (store.yaml,
    params/…, replenishment.trust_overdue), and the data's own column and table names (paid_amount,
    cs_tickets). Words in the page's text only, not its markup, its charts or its data."""
    import html as _html

    from storeops import schema

    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", page, flags=re.S)
    text = _html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]+"', "", body)))
    names = {c.name for t in schema.TABLES.values() for c in t.columns if "_" in c.name} | \
        {t for t in schema.TABLES if "_" in t}
    found = re.findall(r"[\w./-]+\.(?:yaml|csv|json|duckdb)\b|\bparams/\S*|\b[a-z]+\.[a-z]+_[a-z_]+\b", text)
    found += [w for w in re.findall(r"\b[a-z]+(?:_[a-z0-9]+)+\b", text) if w in names]
    return sorted(set(found))


def digest_of(project, html_path):
    """The mail digest of a published report, as sent: (its HTML, its plain text, summary.json)."""
    import json
    from pathlib import Path

    from storeops import config
    from storeops.publish import mail

    cfg = config.load(project / "params" / "store.yaml")
    ecfg = mail.EmailConfig(Path("email.yaml"), "localhost", 25, "none", "", "", "storeops@example.com")
    msg = mail.build_message(cfg, ecfg, html_path, ["gm@example.com"])
    body = msg.get_body(("related", "html")).get_body(("html",)) if msg.get_body(("related",)) else \
        msg.get_body(("html",))
    s = json.loads(html_path.with_name(html_path.name.replace(".html", ".summary.json")).read_text(encoding="utf-8"))
    return body.get_content(), msg.get_body(("plain",)).get_content(), s


def overview_text(page: str) -> str:
    """The report's overview paragraph as text."""
    import html
    import re

    m = re.search(r'<p class="so-overview">(.*?)</p>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()
