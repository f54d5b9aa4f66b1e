#!/usr/bin/env python3
"""Generate a large inbox for the scale benchmarks.

    python3 benches/gen_inbox.py N DIR [--seed S]

Writes N articles of realistic size (about 1-3 KB of text) into DIR, in the languages and shapes of
the shipped sample/ inbox: Markdown with TOML or YAML front matter, plain text with a date in the
file name, HTML pages and ninjs JSON, spread over day folders of at most 1,000 files. The text is
recombined from the paragraphs of sample/ (which we wrote), so every language copydesk detects is
represented and no real article is copied. The same N and seed always give the same files.
"""

import argparse
import json
import random
import re
import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample"
EXPECTATIONS = REPO / "tests" / "sample_expectations.toml"
PER_FOLDER = 1000


def sample_paragraphs():
    """Paragraphs of the sample's single-article text files, by language."""
    expected = tomllib.loads(EXPECTATIONS.read_text(encoding="utf-8"))["article"]
    langs = {a["file"]: a["lang"] for a in expected if "item_title" not in a}
    by_lang = {}
    for rel, lang in langs.items():
        path = SAMPLE / rel
        if path.suffix not in (".txt", ".md"):
            continue
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\A(\+\+\+|---)\n.*?\n\1\n", "", text, flags=re.S)
        paras = [p.strip() for p in re.split(r"\n\s*\n", text) if len(p.strip()) > 80]
        by_lang.setdefault(lang, []).extend(paras)
    return {k: v for k, v in by_lang.items() if len(v) >= 3}


def title_from(paragraph, rng, n):
    words = paragraph.split()
    if len(words) < 6:  # Chinese and Japanese: no spaces
        return f"{paragraph[: rng.randint(14, 24)]} {n}"
    start = rng.randint(0, max(0, len(words) - 10))
    return " ".join(words[start : start + rng.randint(6, 11)]).strip(",.;:«»\"") + f" {n}"


def body_for(paras, rng):
    chosen = rng.sample(paras, k=min(len(paras), rng.randint(3, 6)))
    return "\n\n".join(chosen)


def write_markdown(path, title, date, lang, body, n, rng):
    if rng.random() < 0.5:
        head = (
            f'+++\ntitle = {json.dumps(title, ensure_ascii=False)}\n'
            f'date = {date.isoformat()}\nlang = "{lang}"\n'
            f'url = "https://news-{n % 37}.test/{lang}/story-{n}"\n+++\n\n'
        )
    else:
        head = (
            f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n"
            f"date: {date.isoformat()}\nlang: {lang}\nsource: Desk {n % 23}\n---\n\n"
        )
    path.with_suffix(".md").write_text(head + body + "\n", encoding="utf-8")


def write_text(path, title, date, body):
    name = f"{date:%Y-%m-%d}_{path.name}.txt"
    path.with_name(name).write_text(f"{title}\n\n{body}\n", encoding="utf-8")


def write_html(path, title, date, lang, body):
    def esc(s):
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    paras = "\n".join(f"<p>{esc(p)}</p>" for p in body.split("\n\n"))
    page = (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title>"
        f'<meta property="article:published_time" content="{date.isoformat()}">'
        f"</head><body><nav>Home | World | Business</nav><article><h1>{esc(title)}</h1>\n"
        f"{paras}\n</article></body></html>\n"
    )
    path.with_suffix(".html").write_text(page, encoding="utf-8")


def write_ninjs(path, title, date, lang, body, n):
    item = {
        "uri": f"urn:newsml:gen.test:{n}",
        "type": "text",
        "language": lang,
        "versioncreated": date.isoformat(),
        "headline": title,
        "body_text": body,
    }
    path.with_suffix(".json").write_text(json.dumps(item, ensure_ascii=False), encoding="utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("n", type=int)
    ap.add_argument("dir", type=Path)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    by_lang = sample_paragraphs()
    langs = sorted(by_lang)
    start = datetime(2026, 11, 27, 18, 0, tzinfo=timezone(timedelta(hours=7)))
    args.dir.mkdir(parents=True, exist_ok=True)
    for n in range(args.n):
        lang = rng.choice(langs)
        paras = by_lang[lang]
        date = start - timedelta(minutes=n * 3 + rng.randint(0, 2))
        folder = args.dir / f"{date:%Y-%m-%d}" / f"{n // PER_FOLDER:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"story-{n:06d}"
        title = title_from(rng.choice(paras), rng, n)
        body = body_for(paras, rng)
        kind = rng.random()
        if kind < 0.5:
            write_markdown(path, title, date, lang, body, n, rng)
        elif kind < 0.75:
            write_text(path, title, date, body)
        elif kind < 0.9:
            write_html(path, title, date, lang, body)
        else:
            write_ninjs(path, title, date, lang, body, n)
    print(f"{args.n} articles in {args.dir} ({len(langs)} languages: {', '.join(langs)})")


if __name__ == "__main__":
    main()
