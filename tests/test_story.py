"""The capstone's page: charts as captioned figures, Chinese marked, text escaped, stable bytes."""

import re
from html.parser import HTMLParser

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from secondment.charts import rank_bars  # noqa: E402
from secondment.story import Section, chart_of, chinese_runs, mark_chinese, story_page  # noqa: E402
from secondment.style import use_course_style  # noqa: E402
from secondment.tables import ranks_table  # noqa: E402

HANZI = re.compile(r"[\u4e00-\u9fff]")


class Tree(HTMLParser):
    """Every element with its attributes, its ancestors and its text, and every text node."""

    VOID = {"meta", "br", "img", "link", "hr", "input"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.elements, self.texts = [], [], []

    def handle_starttag(self, tag, attrs):
        node = {"tag": tag, "attrs": dict(attrs), "ancestors": list(self.stack), "text": []}
        self.elements.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.elements.append({"tag": tag, "attrs": dict(attrs), "ancestors": list(self.stack)})

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1]["tag"] == tag, f"</{tag}> closes nothing open"
        self.stack.pop()

    def handle_data(self, data):
        for node in self.stack:
            node["text"].append(data)
        self.texts.append((data, list(self.stack)))


def parse(page):
    tree = Tree()
    tree.feed(page)
    tree.close()
    assert not tree.stack, "unclosed elements"
    return tree


def text(node):
    return " ".join("".join(node["text"]).split())


ALT_RANKS = "A bar chart of the officials by rank: 45 县处级 (county level) & “15” <厅局级>."


@pytest.fixture(scope="module")
def page():
    use_course_style()
    ranks = ranks_table()
    fig, ax = plt.subplots()
    rank_bars(ranks, ax=ax)
    fig2, ax2 = plt.subplots()
    ax2.bar(["甲", "乙"], [1, 2])
    ax2.set_title("第二张图 (second chart)")
    sections = [
        Section(
            "Who went? 谁去了?",
            [f"The largest group is {ranks['rank'][1]}: {ranks['count'][1]} people."],
            chart=chart_of(fig, ALT_RANKS),
            table=ranks[["rank", "count"]],
        ),
        Section(
            "Another <chart>",
            chart=chart_of(fig2, "Two bars, 甲 and 乙: 1 and 2."),
            notes=["One source: 河北日报."],
        ),  # fmt: skip
    ]
    made = [
        story_page("河北百名干部 & Beijing", sections, intro=["A <b>test</b>."], source="河北日报")
        for _ in range(2)
    ]
    plt.close(fig)
    plt.close(fig2)
    return made


def test_the_page_is_the_same_bytes_on_every_call_and_names_no_version_or_date(page):
    assert page[0] == page[1]
    assert "Matplotlib v" not in page[0] and "<dc:date>" not in page[0]


def test_it_is_a_complete_english_html5_page(page):
    assert page[0].startswith("<!DOCTYPE html>\n")
    tree = parse(page[0])
    (root,) = [e for e in tree.elements if e["tag"] == "html"]
    assert root["attrs"]["lang"] == "en" and not root["ancestors"]
    assert [e["attrs"].get("charset") for e in tree.elements if e["tag"] == "meta"][0] == "utf-8"


def test_every_svg_is_a_figure_named_by_its_caption(page):
    tree = parse(page[0])
    svgs = [e for e in tree.elements if e["tag"] == "svg"]
    assert len(svgs) == 2
    for svg in svgs:
        figure = svg["ancestors"][-1]
        assert figure["tag"] == "figure"
        (caption,) = [e for e in tree.elements if e["tag"] == "figcaption" and figure in
                      e["ancestors"]]  # fmt: skip
        assert svg["attrs"]["role"] == "img"
        assert svg["attrs"]["aria-label"] == text(caption)
    assert svgs[0]["attrs"]["aria-label"] == ALT_RANKS


def test_svg_ids_are_unique_across_the_page_and_every_reference_resolves(page):
    ids = re.findall(r'\bid="([^"]+)"', page[0])
    assert len(ids) == len(set(ids))
    refs = set(re.findall(r'(?:url\(#|href="#)([^")]+)', page[0]))
    assert refs and refs <= set(ids)


def test_every_chinese_text_outside_the_head_and_the_charts_has_a_zh_ancestor(page):
    tree = parse(page[0])
    checked = 0
    for data, stack in tree.texts:
        tags = {n["tag"] for n in stack}
        if not HANZI.search(data) or tags & {"head", "svg"}:
            continue
        langs = [n["attrs"]["lang"] for n in stack if "lang" in n["attrs"]]
        assert langs[-1] == "zh-CN", data
        checked += 1
    assert checked >= 6  # h1, h2, the paragraph, the captions, the table, the notes, the footer


def test_english_text_is_not_marked_chinese(page):
    tree = parse(page[0])
    for node in tree.elements:
        if node["attrs"].get("lang") == "zh-CN":
            assert not re.search(r"[A-Za-z]", text(node)), text(node)


def test_all_text_is_escaped(page):
    tree = parse(page[0])
    assert "<b>" not in page[0] and "&lt;b&gt;test&lt;/b&gt;" in page[0]
    (h2,) = [e for e in tree.elements if e["tag"] == "h2" and "chart" in text(e)]
    assert text(h2) == "Another <chart>"
    assert "<title>河北百名干部 &amp; Beijing</title>" in page[0]


def test_the_table_holds_the_ranks_with_column_headers(page):
    tree = parse(page[0])
    cells = [text(e) for e in tree.elements if e["tag"] == "td"]
    ranks = ranks_table()
    assert cells == [str(v) for row in ranks[["rank", "count"]].itertuples(index=False)
                     for v in row]  # fmt: skip
    assert [e["attrs"].get("scope") for e in tree.elements if e["tag"] == "th"] == ["col"] * 2


@pytest.mark.parametrize(
    ("source", "runs"),
    [
        ("the 厅局级 rank", ["厅局级"]),
        ("more than 60多次 (60)", ["60多次"]),
        ("河北百名干部挂职北京 5个多月干成了什么?", ["河北百名干部挂职北京 5个多月干成了什么"]),
        ("15 bureau level (厅局级), 45 county (县处级)", ["厅局级", "县处级"]),
        ("a “桥” here", ["“桥”"]),
        ("15 厅局级, 45 县处级", ["厅局级", "县处级"]),
        ("no Chinese at all", []),
    ],
)
def test_chinese_runs(source, runs):
    assert chinese_runs(source) == runs
    marked = mark_chinese(source)
    assert re.findall(r'<span lang="zh-CN">(.*?)</span>', marked) == runs


def test_a_chart_needs_alt_text():
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="alt text"):
        chart_of(fig, "  ")
    plt.close(fig)
