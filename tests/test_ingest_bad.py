"""Every bad input of issue 10 refused (or repaired with a warning) alone, with its file and line,
and the inputs given after it still stored. Kept as regression tests."""
import codecs
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from rasid import pipeline
from rasid.ingest.fields import record_from_mapping
from rasid.ingest.published import parse_published
from rasid.ingest.records import RawRecord
from rasid.models import Rejection
from tests.conftest import seed_text

BODY = "قال المرصد السوري لحقوق الإنسان إن 53 شخصاً خرجوا من درعا البلد يوم الخميس."
OTHER = "أعلنت وكالة سانا خروج الدفعة الثانية من المسلحين وعائلاتهم من حي درعا البلد."


def line(title: str, text: str = BODY, **extra) -> str:
    return json.dumps({"title": title, "content": text, **extra}, ensure_ascii=False)


def ingest(store, settings, *paths, **kw):
    return pipeline.ingest(store, [str(p) for p in paths], settings, **kw)


def messages(report) -> str:
    return "\n".join(r.message() for r in report.rejections)


def good_file(folder, name="zz-good.txt"):
    """A good report given after the bad input: it must be stored whatever came before it."""
    path = folder / name
    path.write_text(seed_text(1), encoding="utf-8")
    return path


def titles(store) -> set[str]:
    return {a.title for a in store.list_articles(limit=100)}


# -- tracebacks of issue 10 ---------------------------------------------------------------------

@pytest.mark.parametrize("encoding, surrogate", [("utf-16-le", b"\x00\xd8"), ("utf-32-le", b"\x00\xd8\x00\x00")])
def test_wide_jsonl_with_a_lone_surrogate(tmp_path, fresh_store, settings, encoding, surrogate):
    bom = codecs.BOM_UTF16_LE if encoding == "utf-16-le" else codecs.BOM_UTF32_LE
    first, last = (line("أول") + "\n").encode(encoding), (line("ثالث", OTHER) + "\n").encode(encoding)
    damaged = line("ثان", "نص عن حمص X.").encode(encoding).replace("X".encode(encoding), surrogate) + "\n".encode(encoding)
    path = tmp_path / "wide.jsonl"
    path.write_bytes(bom + first + damaged + last)
    report = ingest(fresh_store, settings, path, good_file(tmp_path))
    assert report.counts["new"] == 4 and not report.rejections
    repaired = next(a for a in fresh_store.list_articles() if a.title == "ثان")
    assert "\ufffd" in repaired.text and repaired.origin.endswith("wide.jsonl:2")
    assert any("line 2" in w and "U+FFFD" in w for w in repaired.meta["warnings"])


def test_json_line_nested_100000_deep(tmp_path, fresh_store, settings):
    path = tmp_path / "deep.jsonl"
    path.write_text("\n".join([line("أول"), "[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000,
                               line("رابع", OTHER)]), encoding="utf-8")
    report = ingest(fresh_store, settings, path, good_file(tmp_path))
    assert report.counts["new"] == 3
    assert "deep.jsonl:2: line 2 is JSON nested too deep" in messages(report)
    assert "deep.jsonl:3: line 3 is JSON nested too deep" in messages(report)


def test_bad_url_in_jsonl_and_csv(tmp_path, fresh_store, settings):
    (tmp_path / "a.jsonl").write_text("\n".join([line("أول", url="http://x/1"), line("ثان", OTHER, url="http://[::1/a"),
                                                 line("ثالث", "نص عن حمص.", url="http://x/3")]), encoding="utf-8")
    (tmp_path / "b.csv").write_text("title,content,url\nرابع,نص عن إدلب.,http://[::1/a\nخامس,نص عن حلب.,http://x/5\n",
                                    encoding="utf-8")
    report = ingest(fresh_store, settings, tmp_path / "a.jsonl", tmp_path / "b.csv", good_file(tmp_path))
    assert report.counts["new"] == 4
    text = messages(report)
    assert "a.jsonl:2: the url 'http://[::1/a' is not a valid URL (Invalid IPv6 URL); fix or remove the url field" in text
    assert "b.csv:2: the url 'http://[::1/a' is not a valid URL" in text
    assert titles(fresh_store) >= {"أول", "ثالث", "خامس"}


RSS = """<?xml version="1.0" encoding="{enc}"?>
<rss version="2.0"><channel><title>وكالة</title>
<item><title>خبر {ref}</title><link>http://x/1</link><description>{body}</description></item>
<item><title>خبر ثان</title><link>http://x/2</link><description>{other}</description></item>
</channel></rss>"""


def test_feed_with_a_character_reference_past_unicode(tmp_path, fresh_store, settings):
    path = tmp_path / "feed.xml"
    path.write_text(RSS.format(enc="utf-8", ref="&#1114112; &#x110000;", body=BODY, other=OTHER), encoding="utf-8")
    report = ingest(fresh_store, settings, path, good_file(tmp_path))
    assert report.counts["new"] == 3 and not report.rejections
    assert "خبر \ufffd \ufffd" in titles(fresh_store)


def test_feed_whose_xml_declaration_holds_bytes_that_are_not_utf8(tmp_path, fresh_store, settings):
    path = tmp_path / "feed.xml"
    path.write_bytes(RSS.format(enc="\udcff\udcfe", ref="", body=BODY, other=OTHER).encode("utf-8", "surrogateescape"))
    report = ingest(fresh_store, settings, path, good_file(tmp_path))
    assert report.counts["new"] == 3 and not report.rejections
    entry = next(a for a in fresh_store.list_articles() if a.title == "خبر ثان")
    assert any("XML declaration" in w for w in entry.meta["warnings"])


# -- a server that drips --------------------------------------------------------------------------

class _Drip(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        """/body sends its headers, then its body a byte at a time; /headers drips a header."""
        try:
            if self.path == "/headers":
                self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            else:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
            while not self.server.stopping.is_set():
                self.wfile.write(b"a")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass


@pytest.fixture
def drip_server():
    """A real HTTP server on loopback that sends one byte every 0.2 s, forever."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Drip)
    server.stopping = threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.stopping.set()
    server.shutdown()


@pytest.mark.parametrize("part", ["headers", "body"])
def test_a_server_that_drips_is_cut_off_at_the_deadline(tmp_path, fresh_store, settings, drip_server, part):
    settings = settings.replace("ingest", fetch_timeout=5.0, fetch_deadline=1.0)
    report = ingest(fresh_store, settings, f"{drip_server}/{part}", good_file(tmp_path))
    assert report.counts == {"new": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    assert "did not finish sending within ingest.fetch_deadline" in messages(report)


# -- no silent mojibake ---------------------------------------------------------------------------

def test_one_stray_byte_in_a_utf8_report_is_repaired_with_a_warning(tmp_path, fresh_store, settings, caplog):
    text = seed_text(0)
    lines = [t.encode("utf-8") for t in text.split("\n")]
    lines[2] = text.split("\n")[2][:10].encode("utf-8") + b"\xff" + text.split("\n")[2][10:].encode("utf-8")
    path = tmp_path / "stray.txt"
    path.write_bytes(b"\n".join(lines))
    report = ingest(fresh_store, settings, path)
    assert report.counts["new"] == 1
    article = fresh_store.list_articles()[0]
    assert article.text.replace("\ufffd", "") == text and article.text.count("\ufffd") == 1
    assert article.meta["warnings"] == ["line 3: 1 byte(s) not valid UTF-8 replaced by U+FFFD"]
    assert "stray.txt: line 3: 1 byte(s) not valid UTF-8" in caplog.text


def test_half_utf8_half_cp1256_report_reads_each_line_in_its_encoding(tmp_path, fresh_store, settings):
    text = seed_text(2)
    lines = text.split("\n")
    half = len(lines) // 2
    data = "\n".join(lines[:half]).encode("utf-8") + b"\n" + "\n".join(lines[half:]).encode("cp1256", "replace")
    path = tmp_path / "mixed.txt"
    path.write_bytes(data)
    ingest(fresh_store, settings, path)
    article = fresh_store.list_articles()[0]
    assert article.text == text
    cp_lines = [n + 1 for n in range(half, len(lines)) if not lines[n].isascii()]
    assert article.meta["warnings"] == [f"{_ranges(cp_lines)}: read as Windows-1256: the line is not UTF-8 like the rest of the file"]


def _ranges(numbers):
    from rasid.ingest.lines import _line_ranges

    return _line_ranges(numbers)


def test_one_cp1256_line_in_a_utf8_jsonl(tmp_path, fresh_store, settings):
    data = (line("أول") + "\n").encode("utf-8") + (line("ثان", OTHER) + "\n").encode("cp1256") + (line("ثالث", "نص عن حمص.")).encode("utf-8")
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(data)
    report = ingest(fresh_store, settings, path, good_file(tmp_path))
    assert report.counts["new"] == 4 and not report.rejections
    second = next(a for a in fresh_store.list_articles() if a.title == "ثان")
    assert second.text == OTHER
    assert second.meta["warnings"] == ["line 2: read as Windows-1256: the line is not UTF-8 like the rest of the file"]


def test_a_line_of_unknown_bytes_refuses_only_that_line(tmp_path, fresh_store, settings):
    data = (line("أول") + "\n").encode("utf-8") + json.dumps({"title": "Grüße", "content": "aus Köln, ça va très bien"}, ensure_ascii=False).encode("latin-1") + b"\n" + \
        line("ثالث", OTHER).encode("utf-8")
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(data)
    report = ingest(fresh_store, settings, path)
    assert report.counts["new"] == 2
    assert "mixed.jsonl:2: line 2: 5 bytes are not valid UTF-8" in messages(report)


# -- CSV quoting ----------------------------------------------------------------------------------

def test_csv_unterminated_quote_does_not_swallow_the_next_row(tmp_path, fresh_store, settings):
    path = tmp_path / "quote.csv"
    path.write_text('title,content\nأول,"نص عن درعا\nثان,نص عن حمص.\nثالث,"نص ""مقتبس""\nعلى سطرين."\nرابع,نص عن حلب.\n',
                    encoding="utf-8")
    report = ingest(fresh_store, settings, path, good_file(tmp_path))
    assert titles(fresh_store) >= {"ثان", "ثالث", "رابع"}
    assert "أول" not in titles(fresh_store)
    assert "quote.csv:2: the row starting on line 2 is refused" in messages(report)
    third = next(a for a in fresh_store.list_articles() if a.title == "ثالث")
    assert third.text == 'نص "مقتبس"\nعلى سطرين.' and third.origin.endswith("quote.csv:4")


def test_csv_unterminated_quote_at_the_end_refuses_only_its_row(tmp_path, fresh_store, settings):
    path = tmp_path / "quote.csv"
    path.write_text('title,content\nأول,نص عن درعا.\nثان,"نص عن حمص\nثالث,نص عن حلب.\n', encoding="utf-8")
    report = ingest(fresh_store, settings, path)
    assert titles(fresh_store) == {"أول", "ثالث"}
    assert "quote.csv:3: the row starting on line 3 is refused" in messages(report)


# -- size limits ----------------------------------------------------------------------------------

def test_every_format_has_a_record_size_limit(tmp_path, fresh_store, settings):
    settings = settings.replace("ingest", max_article_bytes=50_000)
    big = "كلمة " * 20_000  # 200 KB
    tmp_path = tmp_path / "inputs"
    tmp_path.mkdir()
    (tmp_path / "a.jsonl").write_text("\n".join([line("أول"), line("كبير", big), line("ثالث", OTHER)]), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps([{"title": "كبير", "content": big}, {"title": "رابع", "content": "نص عن حمص."}],
                                                ensure_ascii=False), encoding="utf-8")
    (tmp_path / "c.csv").write_text(f"title,content\nكبير,{big}\nخامس,نص عن حلب.\n", encoding="utf-8")
    (tmp_path / "d.xml").write_text(RSS.format(enc="utf-8", ref="", body=big, other="نص عن إدلب."), encoding="utf-8")
    report = ingest(fresh_store, settings, *sorted(tmp_path.iterdir()))
    text = messages(report)
    assert "a.jsonl:2: line 2 is" in text or "a.jsonl:2: the record is" in text
    assert "b.json[0]: the record is" in text and "d.xml#1: the record is" in text
    assert "c.csv:2:" in text
    assert titles(fresh_store) == {"أول", "ثالث", "رابع", "خامس", "خبر ثان"}


def test_a_50_mb_jsonl_line_is_refused_without_being_read_whole(tmp_path, fresh_store, settings):
    path = tmp_path / "huge.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        f.write(line("أول") + "\n" + line("كبير", "ن" * 25_000_000) + "\n" + line("ثالث", OTHER) + "\n")
    report = ingest(fresh_store, settings, path)
    assert report.counts["new"] == 2
    assert "huge.jsonl:2: line 2 is 50,0" in messages(report)


def test_the_shared_record_code_limits_api_records():
    """POST /api/articles builds its records with record_from_mapping: the limit is there."""
    item = record_from_mapping({"title": "كبير", "content": "ن" * 3_000_000}, "api[0]")
    assert isinstance(item, Rejection) and "larger than the 5,000,000" in item.reason
    assert isinstance(record_from_mapping({"title": "t", "content": "ن" * 1000}, "api[1]"), RawRecord)


def test_unstorable_characters_are_replaced_with_a_warning(tmp_path, fresh_store, settings):
    path = tmp_path / "a.jsonl"
    path.write_text('{"title": "أول\\u0000", "content": "نص \\ud800 عن درعا.", "extra": "\\udfff"}\n', encoding="utf-8")
    report = ingest(fresh_store, settings, path)
    assert report.counts["new"] == 1
    article = fresh_store.list_articles()[0]
    assert article.text == "نص \ufffd عن درعا." and article.meta["fields"]["extra"] == "\ufffd"


# -- HTML nested deep -----------------------------------------------------------------------------

def test_html_nested_deeper_than_the_parser_follows(tmp_path, fresh_store, settings):
    path = tmp_path / "deep.html"
    path.write_text("<html><head><title>خروج دفعة</title></head><body>" + "<div>" * 400 + f"<p>{BODY}</p>" +
                    "</div>" * 400 + "</body></html>", encoding="utf-8")
    report = ingest(fresh_store, settings, path)
    assert report.counts["new"] == 1
    article = fresh_store.list_articles()[0]
    assert article.text == BODY and article.title == "خروج دفعة"
    assert "levels deep, deeper than the HTML parser follows" in article.meta["warnings"][0]


def test_html_without_text_is_still_refused(tmp_path, fresh_store, settings):
    path = tmp_path / "empty.html"
    path.write_text("<html><body>" + "<div>" * 400 + "</div>" * 400 + "</body></html>", encoding="utf-8")
    assert "no main text found" in messages(ingest(fresh_store, settings, path))


# -- dates ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("2020/08/04 09:55:00", ("2020-08-04T09:55:00", "day")), ("04/08/2020", ("2020-08-04", "day")),
    ("2020.08.04", ("2020-08-04", "day")), ("04-08-2020 09:55", ("2020-08-04T09:55:00", "day")),
    ("٢٠٢٠/٠٨/٠٤", ("2020-08-04", "day")), ("٠٤-٠٨-٢٠٢٠ ٠٩:٥٥", ("2020-08-04T09:55:00", "day")),
    ("۲۰۲۰/۰۸/۰۴", ("2020-08-04", "day")), ("08/24/2020", ("2020-08-24", "day")),  # only month first fits
    ("04-08-2020 09:55 م", ("2020-08-04T21:55:00", "day")), ("2020/08", ("2020-08", "month")),
    ("31/02/2020", (None, "unknown")), ("04/08/20", (None, "unknown")),  # two-digit years are not guessed
])
def test_numeric_publication_dates(value, expected):
    assert parse_published(value) == expected


def test_an_unread_date_is_kept_and_warned_about(tmp_path, fresh_store, settings, caplog):
    path = tmp_path / "a.jsonl"
    path.write_text(line("أول", date="الخميس الماضي") + "\n" + line("ثان", OTHER, date="2020/08/04 09:55:00"), encoding="utf-8")
    ingest(fresh_store, settings, path)
    by_title = {a.title: a for a in fresh_store.list_articles()}
    first, second = by_title["أول"], by_title["ثان"]
    assert first.published_precision == "unknown" and first.meta["published_unread"] == "الخميس الماضي"
    assert "is not a date Rasid reads" in first.meta["warnings"][0] and "a.jsonl:1" in caplog.text
    assert (second.published, second.published_precision) == ("2020-08-04T09:55:00", "day")


# -- all of it at once, through the CLI -----------------------------------------------------------

def test_every_bad_input_at_once_through_the_cli(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from rasid.cli import main

    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "a-deep.jsonl").write_text("[" * 100_000, encoding="utf-8")
    (folder / "b-url.csv").write_text("title,content,url\nأول,نص عن حلب.,http://[::1/a\n", encoding="utf-8")
    (folder / "c-feed.xml").write_text(RSS.format(enc="utf-8", ref="&#1114112;", body=BODY, other=OTHER), encoding="utf-8")
    (folder / "d-wide.jsonl").write_bytes(codecs.BOM_UTF16_LE + (line("ثان") + "\n").encode("utf-16-le") + b"\x00\xd8")
    good_file(folder)
    monkeypatch.setenv("RASID_INGEST_WORKERS", "1")
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "r.db"), "ingest", "--no-analyse", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "4 new" in result.output
    assert "a-deep.jsonl:1: line 1 is JSON nested too deep" in result.output
