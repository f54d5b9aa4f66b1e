#!/usr/bin/env bash
# Rebuild the corpus of real, third-party news text on which copydesk's signals are checked for
# false positives (examples/signal_fp.rs).
#
#   bash benches/fetch_newscorpus.sh [OUT_DIR]      (default /work/newscorpus)
#   cargo run --release --example signal_fp -- OUT_DIR
#
# The corpus is NOT part of this repository: it is other people's writing, fetched from the
# package registries with their ordinary clients (pip, apt-get) and written OUTSIDE the checkout
# as an inbox folder that copydesk reads like any other:
#
#   OUT_DIR/trafilatura/<page>.html   web pages (news sites, magazines, blogs; mostly de, en, fr)
#                                     from the test cache of the PyPI trafilatura 1.0.0 sdist
#   OUT_DIR/htmldate/<page>.html      the news, magazine and commentary pages of the test cache of
#                                     the PyPI htmldate 1.4.0 sdist (de, fr, en), chosen by hand:
#                                     front pages, shops, clubs, terms of use left out
#   OUT_DIR/mediacloud/<hash>.html    the news article pages among the test fixtures of the PyPI
#                                     mediacloud-metadata 2.1.0 sdist (en, es, pt, ru, ko, hi, id,
#                                     ur, it, fr, hu, ro, sq, ja, zh), chosen by hand likewise
#   OUT_DIR/newspaper4k/<name>.txt    article text extracted by the newspaper4k 0.9.6 test suite
#                                     (en, es, zh, ja, ar, ko, th, hi, ...), from its sdist
#   OUT_DIR/malaya/malaya-<n>.txt     Malay news paragraphs from string literals in the tests of the
#                                     PyPI malaya 5.1.1 wheel
#   OUT_DIR/lee/lee-<n>.txt           the Lee corpus of Australian Broadcasting Corporation news
#                                     articles (lee_background.cor, lee.cor) shipped in the test
#                                     data of the PyPI gensim 4.4.0 wheel
#   OUT_DIR/reuters/reut-<id>.txt     Reuters newswire stories (Reuters-21578 and one RCV1 item)
#                                     shipped as example texts in Debian's r-cran-tm package
#
# Every page or text is kept once: HTML pages by their title and their canonical address
# (archive prefixes dropped) or, without one, their bytes; texts by their words. Texts of fewer
# than 40 words (200 characters in scripts without spaces) are stubs, not articles: left out.
#
# Nothing in it was written for copydesk, and none of it is a machine translation that we know of.
# Needs: bash, python3 (stdlib only), pip, apt-get (after 'apt-get update'), dpkg-deb.
set -euo pipefail

OUT="${1:-/work/newscorpus}"
TRAFILATURA_VER="1.0.0"
HTMLDATE_VER="1.4.0"
MEDIACLOUD_VER="2.1.0"
NEWSPAPER_VER="0.9.6"
MALAYA_VER="5.1.1"
GENSIM_VER="4.4.0"

case "$(realpath -m "$OUT")" in
  "$(realpath -m "$(dirname "$0")/..")"*) echo "refusing to write the corpus inside the repository" >&2; exit 2 ;;
esac

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

sdist() { pip download -q --no-deps --no-binary :all: -d "$TMP" "$1" >/dev/null; }
sdist "trafilatura==$TRAFILATURA_VER"
sdist "htmldate==$HTMLDATE_VER"
sdist "mediacloud-metadata==$MEDIACLOUD_VER"
sdist "newspaper4k==$NEWSPAPER_VER"
pip download -q --no-deps -d "$TMP" "malaya==$MALAYA_VER" >/dev/null
pip download -q --no-deps --only-binary :all: -d "$TMP" "gensim==$GENSIM_VER" >/dev/null
( cd "$TMP" && apt-get download -q r-cran-tm >/dev/null 2>&1 ) || {
  echo "apt-get download r-cran-tm failed (run 'apt-get update' first)" >&2; exit 1; }
for t in "$TMP"/*.tar.gz; do tar xzf "$t" -C "$TMP"; done
( cd "$TMP" && mkdir -p malaya gensim tm \
  && python3 -m zipfile -e malaya-*.whl malaya \
  && python3 -m zipfile -e gensim-*.whl gensim \
  && dpkg-deb -x r-cran-tm_*.deb tm )

rm -rf "$OUT"
mkdir -p "$OUT"

python3 - "$TMP" "$OUT" <<'PYEOF'
import ast, glob, hashlib, html, os, re, sys

tmp, out = sys.argv[1], sys.argv[2]
counts = {}
seen = set()

# htmldate's test cache: the news, magazine and commentary articles. Left out: front pages and
# portals, shops and company pages, clubs, terms of use and licences, wikis, event pages,
# hobby blogs, and the pages that trafilatura's cache holds too (deduplicated below anyway).
HTMLDATE_ARTICLES = """
archive.org.kath.ch brigitte.de.riverdale channelpartner.de.berufe cric-grenoble.info.radio
futurezone.at.cc hertie-school.org.leyen horizont.net kinra.de la-bas.org.porte loldf.org
mediapart.fr.violences paris-luttes.info pbrunst.de revolutionpermanente.fr.antonin
tagesausblick.de.dow transgen.de.aktuell verfassungsblog.de.decade wara-enforcement.org.guinee
wunderweib
""".split()

# mediacloud-metadata's fixtures (named by a hash of their address): the news articles. Left
# out: front pages of news sites, video pages, company, university, government and club pages,
# tag archives, search and error pages, and the placeholder pages of its URL tests.
MEDIACLOUD_ARTICLES = """
04b563732023d6ce22260200242071eb 05856a4821f5af38887e6f3d84bfb1a6 05b979f831c405d69125fb5fadb95624
12400b161514aa671df16f7a64fe017a 1834a7a03cd1e6733374f06d8a8f5e32 194667cbfd554f9160853bd8382b0a5b
23d510271e1c2b3624d8ad6ccca19956 267e1eb5ca5c8fc2df4a1f59afcb12dc 27f53b37aaf2de73789cda10f5448797
298d4e3ded8904c0dc426f834a4eab5f 2b10ac48e008442eeb3c099ff33c1149 2c8a67eb47ec987be68e864b863303b3
3014d6b71371929b607229d140e2202e 35b7caf17213733c4a919237567ddaaa 38839bb72298ba13e47e5ea58b8c90ca
45605d34d88c6df458fbf84c3cb5d06e 457e97ca837185dfdbaccc700bdef54b 4d219d21d98b7a88f8923ce2d1c61134
527c4856f5aee9a9cd8b1cb56c0cc61b 5879e08913a26c7c367f9491791e68e7 5d9d28c7006dc4433d9580bcc799d143
6060d510bf24747edb3e712efb4d5936 66bde908e7d16aec43b217fcb184f21c 6c3f1590268a192a49d53116141e0af7
85afef4db26c7822191ee8fb945cb10f 88c877380d8fd7e092877ae96c3c3050 8a0d3bd28e59182a320a7c03b15e8dc9
91a96fc2d8352825beb57bf742e80d58 9c4ad4a04eb2f08260e525a4554e3691 9dc6ddbb20c0e24434c4302579d97a64
a1813a74524e167aa6fa95cd7dba33b6 a496b1a5c9601ba1bc2447f6ed91032a a4b85504631685ad6b67d12adebd052f
c6f38ae3f5d2d145cf8a28ca4cedd777 ca2ce687f3459b83a02da227992de923 ca6d02a3c60c11d27778982753dfd8f9
d181d8a079d30327129c5e8f57fec361 db3360a9476b9340b8a8ed3f7d555059 e3d817989e85dc1a0bbbf99e80c9e8c8
e3ea5b00d3d313d3f187d14aabfbbbcf e7bda3a0f1169909c681b859c1f50948 e7cec805d7ea14df3efb70c781f288a0
ec933990dd8d5e53d219efba5a86a3bb f0fcc57b71d02c159d625a852c5cc09e f428efa1a802f5cdba4872b390707598
""".split()


def page_keys(data):
    """The page's canonical address without an archive prefix, else a hash of its bytes; and
    its title, which tells the same article under two addresses."""
    text = data.decode('utf-8', 'replace')
    title = re.search(r'<title[^>]*>(.*?)</title>', text, re.I | re.S)
    title = ' '.join(html.unescape(title.group(1)).split()).lower() if title else ''
    keys = ['title:' + title] if len(title) >= 20 else []
    m = (re.search(r'<link[^>]*rel=["\']canonical["\'][^>]*href=["\']([^"\']+)', text, re.I)
         or re.search(r'<meta[^>]*property=["\']og:url["\'][^>]*content=["\']([^"\']+)', text, re.I))
    if m:
        url = re.sub(r'^https?://web\.archive\.org/web/\d+[a-z_]*/', '', m.group(1).strip())
        url = re.sub(r'^https?://(www\.)?', '', url).rstrip('/').lower()
        if url.count('/') >= 1:  # a site's home address names no single page
            return keys + ['url:' + url]
    return keys + ['md5:' + hashlib.md5(data).hexdigest()]


def text_keys(text):
    return ['text:' + hashlib.md5(' '.join(text.lower().split()).encode()).hexdigest()]


def keep(source, name, data, keys):
    if any(k in seen for k in keys):
        return
    seen.update(keys)
    os.makedirs(os.path.join(out, source), exist_ok=True)
    with open(os.path.join(out, source, name), 'wb') as o:
        o.write(data)
    counts[source] = counts.get(source, 0) + 1


def keep_text(source, name, text):
    # Scripts without spaces between words (zh, ja, th) count by characters.
    if len(text.split()) < 40 and len(text) < 200:
        return
    keep(source, name, text.strip().encode('utf-8') + b'\n', text_keys(text))


# Web pages as a scraper would drop them into an inbox. Skip the parser's synthetic fixtures.
for f in sorted(glob.glob(os.path.join(tmp, 'trafilatura-*/tests/cache/*.html'))):
    if not os.path.basename(f).startswith('exotic_tags'):
        data = open(f, 'rb').read()
        keep('trafilatura', os.path.basename(f), data, page_keys(data))
for name in HTMLDATE_ARTICLES:
    f = glob.glob(os.path.join(tmp, 'htmldate-*/tests/cache', name + '.html'))[0]
    data = open(f, 'rb').read()
    keep('htmldate', name + '.html', data, page_keys(data))
for name in MEDIACLOUD_ARTICLES:
    f = glob.glob(os.path.join(tmp, 'mediacloud_metadata-*/mcmetadata/test/fixtures', name + '.html'))[0]
    data = open(f, 'rb').read()
    keep('mediacloud', name + '.html', data, page_keys(data))

# Extracted article text; summaries, NLP fixtures and site front pages are not articles.
for f in sorted(glob.glob(os.path.join(tmp, 'newspaper4k-*/tests/data/txt/*.txt'))):
    name = os.path.basename(f)
    if not any(w in name for w in ('summary', 'nlp', 'main_site')):
        keep_text('newspaper4k', name, open(f, encoding='utf-8').read())

# Malay news paragraphs: long string literals in malaya's tests.
n = 0
for f in sorted(glob.glob(os.path.join(tmp, 'malaya/tests/**/*.py'), recursive=True)):
    for node in ast.walk(ast.parse(open(f, encoding='utf-8').read())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) >= 400:
            text = ' '.join(node.value.split())
            if text.count(' ') >= 60:
                n += 1
                keep_text('malaya', 'malaya-%03d.txt' % n, text)

# The Lee corpus: one ABC news article a line (Latin-1).
n = 0
for cor in ('lee_background.cor', 'lee.cor'):
    f = glob.glob(os.path.join(tmp, 'gensim/gensim/test/test_data', cor))[0]
    for line in open(f, encoding='latin-1').read().splitlines():
        n += 1
        keep_text('lee', 'lee-%03d.txt' % n, line)

# Reuters stories: title, then the body's paragraphs (indented lines start one), unwrapped.
texts = os.path.join(tmp, 'tm/usr/lib/R/site-library/tm/texts')
for f in sorted(glob.glob(os.path.join(texts, '*/*.xml')) + glob.glob(os.path.join(texts, 'reuters-21578.xml'))):
    for m in re.finditer(r'<REUTERS[^>]*NEWID="(\d+)".*?</REUTERS>', open(f, encoding='latin-1').read(), re.S):
        title = re.search(r'<TITLE>(.*?)</TITLE>', m.group(0), re.S)
        body = re.search(r'<BODY>(.*?)</BODY>', m.group(0), re.S)
        if not (title and body):
            continue
        paras = [' '.join(p.split()) for p in re.split(r'\n(?=\s{2,})', html.unescape(body.group(1)))]
        paras = [p for p in paras if p and p != 'Reuter']
        text = html.unescape(' '.join(title.group(1).split())) + '\n\n' + '\n\n'.join(paras)
        keep_text('reuters', 'reut-%05d.txt' % int(m.group(1)), text)
rcv1 = open(os.path.join(texts, 'rcv1_2330.xml'), encoding='iso-8859-1').read()
title = re.search(r'<headline>(.*?)</headline>', rcv1, re.S).group(1)
paras = [html.unescape(' '.join(p.split())) for p in re.findall(r'<p>(.*?)</p>', rcv1, re.S)]
keep_text('reuters', 'rcv1-2330.txt', title + '\n\n' + '\n\n'.join(paras))

with open(os.path.join(out, '.counts'), 'w') as o:
    for k, v in counts.items():
        o.write('%s %d\n' % (k, v))
PYEOF

count() { awk -v s="$1" '$1 == s { print $2 }' "$OUT/.counts"; }
cat > "$OUT/SOURCES.md" <<EOF
# Real news text for copydesk's false-positive check (not part of copydesk)

Built by copydesk's benches/fetch_newscorpus.sh. Each page or text is kept once.

- trafilatura $TRAFILATURA_VER (PyPI sdist, Apache-2.0 package), tests/cache/*.html: $(count trafilatura) pages
- htmldate $HTMLDATE_VER (PyPI sdist, GPL-3.0+ package), tests/cache/*.html, news, magazine and commentary articles chosen by hand: $(count htmldate) pages
- mediacloud-metadata $MEDIACLOUD_VER (PyPI sdist, Apache-2.0 package), mcmetadata/test/fixtures/*.html, news articles chosen by hand: $(count mediacloud) pages
- newspaper4k $NEWSPAPER_VER (PyPI sdist, MIT package), tests/data/txt/*.txt: $(count newspaper4k) articles
- malaya $MALAYA_VER (PyPI wheel, MIT package), string literals >= 400 chars in tests: $(count malaya) passages
- gensim $GENSIM_VER (PyPI wheel, LGPL-2.1 package), test_data/lee_background.cor and lee.cor (ABC news): $(count lee) articles
- r-cran-tm (Debian package, GPL-3), texts/ (Reuters-21578 acq, crude and sample; one RCV1 story): $(count reuters) stories

The texts belong to their publishers; they are kept here only to measure, never committed.
EOF
rm -f "$OUT/.counts"
echo "wrote $(find "$OUT" -type f ! -name SOURCES.md | wc -l) files to $OUT"
