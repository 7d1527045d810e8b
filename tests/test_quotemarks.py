from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from presslens.text.clean import find_headline, find_teasers, paragraphs
from presslens.text.quotemarks import pair_quotes


def _quotes(text: str) -> list[list[str]]:
    return [[text[s:e] for s, e in q.pieces] for q in pair_quotes(text, paragraphs(text))]


def test_curly_and_straight_pairs():
    t = 'He said “one thing” and then "another" and ‘a third’.'
    assert _quotes(t) == [["“one thing”"], ['"another"'], ["‘a third’"]]


def test_nested_quotes_keep_the_outer_pair():
    t = "“I told him ‘never again’, and he said “fine”,” she said."
    assert _quotes(t) == [["“I told him ‘never again’, and he said “fine”,”"]]


def test_apostrophes_are_not_quotes():
    t = "Hamas’s wing and the fighters’ operation don’t count, nor does it's."
    assert _quotes(t) == []


def test_quote_over_paragraphs_opens_each_and_closes_at_the_end():
    t = "He said:\n\n“First part,\n\n“second part,\n\n“third part.”\n\nAfter."
    assert _quotes(t) == [["“First part,", "“second part,", "“third part.”"]]


def test_unbalanced_marks_never_pair_across_paragraphs():
    t = 'He said "this opens\n\nand this is "a quote" later.'
    assert _quotes(t) == [['"a quote"']]
    t2 = "“Unclosed curly\n\nNext paragraph has “its own” quote."
    got = _quotes(t2)
    assert ["“its own”"] in got
    assert all(len(q) == 1 for q in got)  # the unclosed one stays in its paragraph


def test_stray_close_marks_and_garbage_do_not_crash():
    for t in ["”””", '"""', "‘’‘’", "“", "a”b“c", '"' * 1001, "“" * 500 + "\n" + "”" * 500]:
        pair_quotes(t, paragraphs(t))


def test_ignored_regions_take_no_part():
    t = "Teaser “Your brothers in the […]\n\nBody “Your brothers in the axis are united.”"
    paras = paragraphs(t)
    ign = [i.span for i in find_teasers(t, paras)]
    assert ign == []  # too short to be a teaser
    got = [[t[s:e] for s, e in q.pieces] for q in pair_quotes(t, paras, [paras[0]])]
    assert got == [["“Your brothers in the axis are united.”"]]


def test_teaser_detection_needs_repetition_and_truncation():
    body = "The council met on Monday and voted to delay the ferry fare rise by a month, officials said."
    t = f"Headline here\n\n{body[:60]} […]\n\n{body}\nMore text."
    paras = paragraphs(t)
    teasers = find_teasers(t, paras)
    assert [t[s:e] for s, e in (x.span for x in teasers)] == [f"{body[:60]} […]"]
    assert find_headline(t, paras) == paras[0]
    # truncated but not repeated: no teaser
    t2 = f"Something else entirely, long enough to count here [...]\n\n{body}"
    assert find_teasers(t2) == []
    # repeated but not truncated: no teaser
    t3 = f"{body[:60]}\n\n{body}"
    assert find_teasers(t3) == []


def test_two_apostrophes_and_backticks_quote_like_double_marks():
    t = "''This isn't tax reform,'' said Mr. Gale. ``It's anti-reform.''"
    assert _quotes(t) == [["''This isn't tax reform,''"], ["``It's anti-reform.''"]]


def test_a_straight_mark_never_continues_a_curly_quote():
    t = '"Kevin was snoring.\n\n“Here he is, babe,” she said.'
    assert _quotes(t) == [["“Here he is, babe,”"]]


def test_straight_single_quotes_pair_as_headlines_use_them_never_apostrophes():
    from presslens.text.quotemarks import straight_single_pairs

    def pairs(t: str) -> list[str]:
        return [t[a:b] for a, b in straight_single_pairs(t, 0, len(t))]

    assert pairs("From hands off, to 'bomb the hell' out of the extremists.") == ["'bomb the hell'"]
    assert pairs("Trump Wants To Do Things 'A Hell Of A Lot Worse Than Waterboarding'") == [
        "'A Hell Of A Lot Worse Than Waterboarding'"
    ]
    assert pairs("He called it 'a sham.' Then he left.") == ["'a sham.'"]
    assert pairs("Don't say the '90s were the Clintons' years.") == []
    assert pairs("It's 'not over\nyet' she said.") == []  # never across a line
    text = 'He said "it\'s \'fine\' now" and left.'
    inside = [(text.index('"'), text.rindex('"') + 1)]
    assert straight_single_pairs(text, 0, len(text), inside) == []  # inside a quote already paired


@given(st.text(alphabet="ab '\n.,!?\"", max_size=80))
def test_straight_single_pairs_are_quoted_stretches_of_one_line(text):
    from presslens.text.quotemarks import straight_single_pairs

    found = straight_single_pairs(text, 0, len(text))
    assert all(text[a] == "'" and text[b - 1] == "'" and b - a >= 3 and "\n" not in text[a:b] for a, b in found)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(found, found[1:], strict=False))
