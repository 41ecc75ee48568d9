"""Labels people must read whole: the register's sort options fit their select, and the open
data page breaks field names only after an underscore."""

import re


def test_the_sort_options_are_short_and_the_order_is_said_in_a_hint(client):
    page = client.get("/registre").get_data(as_text=True)
    options = re.findall(r'<option value="(?:nom|date)"[^>]*>([^<]*)</option>', page)
    assert options == ["par nom", "par date de signature"]
    assert 'aria-describedby="f-tri-hint"' in page
    assert "Par date : la plus récente d’abord." in page


def test_open_data_field_names_break_only_after_underscores(client):
    page = client.get("/registre/donnees").get_data(as_text=True)
    assert '<code class="field-name">charter_<wbr>version</code>' in page
    assert '<code class="field-name">slug</code>' in page
    assert not re.search(r'<code class="field-name">[^<]*_(?!<wbr>)', page)
