"""The report page's export (publish.export) without nbconvert's BeautifulSoup pass: what that pass
did for our pages, alt text for an image without it, is done by ``with_alt``."""

from __future__ import annotations

from storeops.publish.export import NO_ALT, with_alt


def test_an_image_without_alt_text_gets_nbconverts_placeholder():
    assert with_alt('<img src="a.png">') == f'<img src="a.png" alt="{NO_ALT}">'
    assert with_alt('<IMG SRC=a.png />') == f'<IMG SRC=a.png alt="{NO_ALT}">'
    assert with_alt('<img data-alt="x" src="a.png">') == f'<img data-alt="x" src="a.png" alt="{NO_ALT}">'
    # an attribute's quoted value may hold ">" or "alt=": neither ends the tag nor gives it alt text
    assert with_alt('<img title="a>b alt=c" src="a.png">') == f'<img title="a>b alt=c" src="a.png" alt="{NO_ALT}">'


def test_an_image_with_alt_text_is_left_as_it_is():
    for tag in ('<img src="a.png" alt="Sales chart">', '<img alt="" src="a.png">', "<img ALT='x' src=a.png>",
                '<img title="x>y" alt="Sales chart">', '<picture><img src="a.png" alt="a"></picture>'):
        assert with_alt(tag) == tag
    assert with_alt("<p>no images</p>") == "<p>no images</p>"
