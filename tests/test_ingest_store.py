"""Ingest into a real on-disk Chroma: stable ids, updates, duplicates, bad input, feeds."""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import shutil
from pathlib import Path

import numpy as np
import pytest

from ingest import ingest_sources
from retrieval.schema import (
    ANALYSIS_VERSION,
    Article,
    Passage,
    attributions_from_metadata,
    clean_url,
    url_identity,
)
from tests.conftest import shared


def run(inputs, store, embedder, settings):
    return ingest_sources([str(i) for i in inputs], store, embedder, settings)


def _consistent(store) -> None:
    """Every passage belongs to a registered article, and each article has all of its own."""
    records = store.registry.get(include=["metadatas"])
    expected = dict(zip(records["ids"], (m["passages"] for m in records["metadatas"]), strict=True))
    counts: dict[str, int] = {}
    for _, _, meta in store.iter_passages():
        counts[meta["article_id"]] = counts.get(meta["article_id"], 0) + 1
    assert counts == expected


def test_seed_article_is_stored_with_citation_metadata(seed_path, store, embedder, settings):
    report = run([seed_path], store, embedder, settings)
    assert (report.articles_added, report.failed) == (1, [])
    rows = list(store.iter_passages())
    assert len(rows) == report.passages >= 3
    meta = rows[0][2]
    assert meta["title"].startswith("Breaking News: 32 Cuban Officers")
    assert meta["published"] == "2026-01-07" and meta["published_ts"] > 0
    assert meta["publisher"] == "Associated Press"
    assert json.loads(meta["authors_json"]) == ["Megan Janetsky", "Darlene Superville"]
    text = " ".join(doc for _, doc, _ in rows)
    for furniture in ("See also", "Similar Posts", "Rate this post", "Leave a Comment", "Share to"):
        assert furniture not in text
    speakers = {s for _, _, m in rows for s in m.get("speakers", [])}
    assert {"the Cuban government", "President Donald Trump"} <= speakers
    assert any("marco rubio" in k for _, _, m in rows for k in m.get("speaker_keys", []))
    confirmed = [
        a for _, _, m in rows for a in attributions_from_metadata(m) if a["cue"] == "confirmed"
    ]
    assert confirmed and "32 Cuban" in confirmed[0]["statement"]
    # Filtering by speaker works in Chroma itself.
    hits = store.passages.get(where={"speaker_keys": {"$contains": "rubio"}})
    assert hits["ids"]


def test_reingest_is_a_noop_and_edit_replaces(seed_path, tmp_path, store, embedder, settings):
    copy = tmp_path / "seed.txt"
    shutil.copy(seed_path, copy)
    first = run([copy], store, embedder, settings)
    ids_before = set(store.passages.get()["ids"])
    again = run([copy], store, embedder, settings)
    assert (again.articles_added, again.articles_unchanged, again.passages) == (0, 1, 0)
    assert set(store.passages.get()["ids"]) == ids_before
    # Edit: cut the article short; its old passages must all go.
    text = copy.read_text(encoding="utf-8")
    copy.write_text(
        text.split("Context of the Operation")[0] + "\nA new final line was added.\n",
        encoding="utf-8",
    )
    edited = run([copy], store, embedder, settings)
    assert (edited.articles_updated, edited.articles_added) == (1, 0)
    assert store.count_articles() == 1
    assert store.count_passages() == edited.passages < first.passages
    docs = " ".join(store.passages.get()["documents"])
    assert "A new final line was added." in docs and "Rubio" not in docs
    _consistent(store)


def test_updated_article_keeps_vectors_of_unchanged_passages(
    seed_path, tmp_path, store, embedder, settings
):
    """A story updated in its later half re-embeds only the passages that changed; the kept
    vectors are the ones the model gives for those exact texts."""
    copy = tmp_path / "seed.txt"
    shutil.copy(seed_path, copy)
    first = run([copy], store, embedder, settings)
    assert first.embeddings_reused == 0
    text = copy.read_text(encoding="utf-8")
    marker = "Context of the Operation"
    copy.write_text(
        text.replace(marker, "This story has an added paragraph now.\n\n" + marker),
        encoding="utf-8",
    )
    updated = run([copy], store, embedder, settings)
    assert updated.articles_updated == 1
    assert 0 < updated.embeddings_reused < updated.passages
    got = store.passages.get(include=["embeddings", "documents", "metadatas"])
    texts = [f"{m['title']}\n{d}" for d, m in zip(got["documents"], got["metadatas"], strict=True)]
    fresh = embedder.encode(texts)
    assert np.allclose(np.asarray(got["embeddings"]), fresh, atol=1e-4)
    assert any("added paragraph" in d for d in got["documents"])
    _consistent(store)


def test_an_article_of_an_older_analysis_is_analysed_again_keeping_its_vectors(
    seed_path, tmp_path, store, embedder, settings
):
    """When the analysis rules change (ANALYSIS_VERSION), the next ingest of a stored article
    re-splits and re-attributes it instead of skipping it, and embeds nothing again."""
    copy = tmp_path / "seed.txt"
    shutil.copy(seed_path, copy)
    first = run([copy], store, embedder, settings)
    ids = store.registry.get()["ids"]
    # The registry record as an ingest before versioned analyses wrote it: no "analysis".
    record = store.registry.get(ids=ids, include=["metadatas", "embeddings"])
    old = {k: v for k, v in record["metadatas"][0].items() if k != "analysis"}
    store.registry.delete(ids=ids)
    store.registry.add(ids=ids, embeddings=record["embeddings"], metadatas=[old])
    again = run([copy], store, embedder, settings)
    assert (again.articles_updated, again.articles_unchanged) == (1, 0)
    assert again.embeddings_reused == again.passages == first.passages
    assert (
        store.registry.get(ids=ids, include=["metadatas"])["metadatas"][0]["analysis"]
        == ANALYSIS_VERSION
    )
    assert run([copy], store, embedder, settings).articles_unchanged == 1
    assert store.count_articles() == 1
    _consistent(store)


def test_same_text_under_two_urls_is_stored_once(tmp_path, store, embedder, settings):
    record = {
        "title": "Dam opens",
        "text": "The new dam opened on Friday, officials said. It will power 40,000 homes.",
        "published": "2024-05-03",
        "source": "Wire",
    }
    lines = [dict(record, url="https://a.example/dam"), dict(record, url="https://b.example/dam")]
    path = tmp_path / "bulk.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in lines), encoding="utf-8")
    report = run([path], store, embedder, settings)
    assert (report.articles_added, report.articles_unchanged) == (1, 1)
    other = tmp_path / "later.jsonl"
    other.write_text(json.dumps(dict(record, url="https://c.example/x")), encoding="utf-8")
    assert run([other], store, embedder, settings).articles_unchanged == 1
    assert store.count_articles() == 1


def test_one_story_under_its_link_variants_is_one_article(tmp_path, store, embedder, settings):
    """ ".../index.html", the bare path and a feed's tracking-tagged link are one article:
    a later text under any of them replaces the earlier instead of standing beside it."""
    base = "https://www.cnn.example/2022/07/07/politics/medal-of-freedom"
    record = {"title": "Medal of Freedom", "published": "2022-07-07", "source": "CNN"}
    first = tmp_path / "first.jsonl"
    first.write_text(
        json.dumps(dict(record, url=f"{base}/index.html", text="Biden named 17 recipients.")),
        encoding="utf-8",
    )
    assert run([first], store, embedder, settings).articles_added == 1
    later = tmp_path / "later.jsonl"
    later.write_text(
        json.dumps(
            dict(
                record,
                url=f"{base}?cid=external-feeds_iluminar_newsbreak&utm_source=feed",
                text="Biden named 17 recipients, among them Simone Biles.",
            )
        ),
        encoding="utf-8",
    )
    report = run([later], store, embedder, settings)
    assert (report.articles_added, report.articles_updated) == (0, 1)
    assert store.count_articles() == 1
    got = store.passages.get(include=["documents", "metadatas"])
    assert any("Simone Biles" in d for d in got["documents"])
    # Citations show the link without its tracking parameters.
    assert {m["url"] for m in got["metadatas"]} == {base}
    _consistent(store)


def test_a_link_is_shown_as_written_less_its_tracking_tags():
    """Citations keep a readable path ("ü", not "%C3%BC"); identity does not care which."""
    raw = "https://zeitung.example/politik/grüne-wählen?utm_source=feed&id=7#top"
    assert clean_url(raw) == "https://zeitung.example/politik/grüne-wählen?id=7#top"
    encoded = "https://Zeitung.example/politik/gr%C3%BCne-w%C3%A4hlen?id=7"
    assert url_identity(raw) == url_identity(encoded)


def test_two_texts_at_one_link_in_one_input_settle_on_the_first(
    tmp_path, store, embedder, settings
):
    """The first record of a link wins, and running the same input again changes nothing
    (it had swapped the two texts on every run)."""
    base = "https://www.cnn.example/2022/06/14/us/park-flooding"
    lines = [
        {"url": f"{base}/index.html/", "title": "Park floods", "text": "Roads washed out."},
        {"url": base, "title": "Park floods", "text": "Roads and bridges washed out."},
    ]
    path = tmp_path / "bulk.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    first = run([path], store, embedder, settings)
    assert (first.articles_added, first.articles_unchanged) == (1, 1)
    again = run([path], store, embedder, settings)
    assert (again.articles_added, again.articles_updated, again.articles_unchanged) == (0, 0, 2)
    assert store.passages.get()["documents"] == ["Roads washed out."]


def test_json_fields_of_the_wrong_type_fail_their_line_only(tmp_path, store, embedder, settings):
    """`"authors": 5` had stopped the whole run with a TypeError; a list as title would have
    been cited as "['C']". A number as date is read as Unix time, as datasets write it."""
    good = {"text": "The ferry sailed again on Friday. Crews were back."}
    lines = [
        dict(good, title="A", authors=5),
        dict(good, title=["C"], url="https://x.example/c"),
        dict(good, title="E", published=float("inf")),
        dict(good, title="F", url="https://x.example/f", published=1767744000, authors=["Lena"]),
    ]
    path = tmp_path / "typed.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    report = run([path], store, embedder, settings)
    errors = {e["source"].rsplit(":", 1)[1]: e["error"] for e in report.failed}
    assert errors == {
        "1": "'authors' must be a list of names or one string",
        "2": "'title' must be a string, not list",
        "3": "'published' must be a date or a Unix time, not inf",
    }
    assert report.articles_added == 1
    meta = store.passages.get(include=["metadatas"])["metadatas"][0]
    assert (meta["title"], meta["published"], meta["authors"]) == ("F", "2026-01-07", ["Lena"])


def test_an_article_stored_under_an_earlier_id_is_replaced_not_duplicated(
    tmp_path, store, embedder, settings
):
    """Stores written before links had one identity hold ".../index.html" articles under
    another id; a changed text at that link must replace them."""
    url = "https://www.cnn.example/2022/07/07/world/quake/index.html"
    old = _EarlierIdArticle(title="Quake", text="A quake struck on Monday.", source="x", url=url)
    assert old.article_id != Article(title="", text="", source="", url=url).article_id
    passage = Passage(article_id=old.article_id, index=0, text=old.text, start=0, end=24)
    store.write_articles([(old, [passage], embedder.encode([old.text]))])
    assert store.count_articles() == 1
    path = tmp_path / "new.jsonl"
    path.write_text(
        json.dumps({"url": url, "title": "Quake", "text": "A quake struck on Monday. 12 died."}),
        encoding="utf-8",
    )
    assert run([path], store, embedder, settings).articles_added == 1
    assert store.count_articles() == 1
    assert all("12 died" in d for d in store.passages.get()["documents"])
    _consistent(store)


class _EarlierIdArticle(Article):
    """An article as ids were made before `url_identity`: from the link exactly as given."""

    @property
    def article_id(self) -> str:
        return "a" + hashlib.sha256(self.url.encode()).hexdigest()[:20]


def test_bad_inputs_fail_one_line_each_and_good_ones_are_stored(
    seed_path, tmp_path, store, embedder, settings
):
    bad = {
        "empty.txt": b"",
        "binary.txt": random.Random(1).randbytes(4000),
        "truncated.html.gz": gzip.compress(
            b"<html><body>" + random.Random(2).randbytes(3000).hex().encode() + b"</body></html>"
        )[:500],
        "utf16-no-bom.txt": "Headline\n\nBody text here.".encode("utf-16-le"),
        "broken.rss": b"<rss><channel><item><title>unclosed",
        "bad.jsonl": b'{"title": "ok", "text": "Fine text here.", "url": "https://j.example/1"}\n'
        b'{"title": "truncated", "te',
    }
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    inputs = [tmp_path / n for n in bad] + [tmp_path / "missing.txt", seed_path]
    report = run(inputs, store, embedder, settings)
    failed = {Path(f["source"]).name.split(":")[0].split("#")[0]: f["error"] for f in report.failed}
    assert set(failed) == {
        "empty.txt",
        "binary.txt",
        "truncated.html.gz",
        "utf16-no-bom.txt",
        "broken.rss",
        "bad.jsonl",
        "missing.txt",
    }, report.failed
    assert all("\n" not in f["error"] and f["error"] for f in report.failed)
    assert "binary" in failed["binary.txt"] and "empty" in failed["empty.txt"]
    assert "gzip" in failed["truncated.html.gz"]
    assert "no such file" in failed["missing.txt"]
    assert "malformed feed" in failed["broken.rss"]
    assert report.articles_added == 2  # the seed article and the good JSONL line
    _consistent(store)


def test_every_shared_feed_ingests_or_fails_clearly(store, embedder, settings):
    feeds = shared("feeds")
    files = sorted(p for p in feeds.rglob("*") if p.suffix in {".xml", ".rss", ".atom"})
    assert len(files) == 15
    report = run(files, store, embedder, settings)
    assert report.articles_added > 300
    failed_files = {f["source"].split("#")[0] for f in report.failed}
    # Only the deliberately malformed file has entries that cannot be read.
    assert failed_files <= {str(feeds / "node-feedparser" / "illegally-nested.xml")}
    records = store.registry_records()
    publishers = {r["publisher"] for r in records}
    assert "Новости Оренбурга и области / Раздел Новости" in publishers  # windows-1251 + gzip
    assert "Jornal de Notícias - Últimas Notícias" in publishers  # Latin-1
    _consistent(store)


@pytest.mark.parametrize("sample", range(6))
def test_extraction_pages_ingest_with_metadata(sample, store, embedder, settings):
    folder = shared("extraction/scrapinghub_article_extraction_benchmark")
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    sha = sorted(truth)[sample * 29]
    report = run([folder / "html" / f"{sha}.html.gz"], store, embedder, settings)
    assert report.articles_added == 1, report.failed
    meta = next(store.iter_passages())[2]
    assert meta["title"]
    body = " ".join(d for _, d, _ in store.iter_passages())
    words = truth[sha]["articleBody"].split()
    assert " ".join(words[:6]) in " ".join(body.split()) or len(
        set(words) & set(body.split())
    ) > 0.6 * len(set(words))
