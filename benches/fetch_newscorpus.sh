#!/usr/bin/env bash
# Rebuild the corpus of real, third-party news pages on which copydesk's signals are checked for
# false positives (examples/signal_fp.rs).
#
#   bash benches/fetch_newscorpus.sh [OUT_DIR]      (default /work/newscorpus)
#   cargo run --release --example signal_fp -- OUT_DIR
#
# The corpus is NOT part of this repository: it is other people's writing, fetched from the
# package registries with their ordinary clients and written OUTSIDE the checkout as an inbox
# folder that copydesk reads like any other:
#
#   OUT_DIR/trafilatura/<page>.html   web pages (news sites, magazines, blogs; mostly de, en, fr)
#                                     from the test cache of the PyPI trafilatura 1.0.0 sdist
#   OUT_DIR/newspaper4k/<name>.txt    article text extracted by the newspaper4k 0.9.6 test suite
#                                     (en, es, zh, ja, ar, ko, th, hi, ...), from its sdist
#   OUT_DIR/malaya/malaya-<n>.txt     Malay news paragraphs from string literals in the tests of the
#                                     PyPI malaya 5.1.1 wheel
#
# Nothing in it was written for copydesk, and none of it is a machine translation that we know of.
# Needs: bash, python3 (stdlib only), pip.
set -euo pipefail

OUT="${1:-/work/newscorpus}"
TRAFILATURA_VER="1.0.0"
NEWSPAPER_VER="0.9.6"
MALAYA_VER="5.1.1"

case "$(realpath -m "$OUT")" in
  "$(realpath -m "$(dirname "$0")/..")"*) echo "refusing to write the corpus inside the repository" >&2; exit 2 ;;
esac

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

pip download -q --no-deps --no-binary :all: -d "$TMP" "trafilatura==$TRAFILATURA_VER" >/dev/null
pip download -q --no-deps --no-binary :all: -d "$TMP" "newspaper4k==$NEWSPAPER_VER" >/dev/null
pip download -q --no-deps -d "$TMP" "malaya==$MALAYA_VER" >/dev/null
tar xzf "$TMP"/trafilatura-*.tar.gz -C "$TMP"
tar xzf "$TMP"/newspaper4k-*.tar.gz -C "$TMP"
( cd "$TMP" && mkdir -p malaya && python3 -m zipfile -e malaya-*.whl malaya )

rm -rf "$OUT"
mkdir -p "$OUT/trafilatura" "$OUT/newspaper4k" "$OUT/malaya"

# Web pages as a scraper would drop them into an inbox. Skip the parser's synthetic fixtures.
for f in "$TMP"/trafilatura-*/tests/cache/*.html; do
  case "$(basename "$f")" in exotic_tags*) continue ;; esac
  cp "$f" "$OUT/trafilatura/"
done

# Extracted article text; summaries, NLP fixtures and site front pages are not articles.
for f in "$TMP"/newspaper4k-*/tests/data/txt/*.txt; do
  case "$(basename "$f")" in *summary*|*nlp*|*main_site*) continue ;; esac
  cp "$f" "$OUT/newspaper4k/"
done

python3 - "$TMP" "$OUT" <<'PYEOF'
import ast, glob, os, sys
tmp, out = sys.argv[1], sys.argv[2]
seen, n = set(), 0
for f in sorted(glob.glob(os.path.join(tmp, 'malaya/tests/**/*.py'), recursive=True)):
    for node in ast.walk(ast.parse(open(f, encoding='utf-8').read())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) >= 400:
            text = ' '.join(node.value.split())
            if text in seen or text.count(' ') < 60:
                continue
            seen.add(text)
            n += 1
            with open(os.path.join(out, 'malaya', 'malaya-%03d.txt' % n), 'w', encoding='utf-8') as o:
                o.write(text + '\n')
PYEOF

cat > "$OUT/SOURCES.md" <<EOF
# Real news text for copydesk's false-positive check (not part of copydesk)

- trafilatura $TRAFILATURA_VER (PyPI sdist, Apache-2.0 package), tests/cache/*.html: $(ls "$OUT/trafilatura" | wc -l) pages
- newspaper4k $NEWSPAPER_VER (PyPI sdist, MIT package), tests/data/txt/*.txt: $(ls "$OUT/newspaper4k" | wc -l) articles
- malaya $MALAYA_VER (PyPI wheel, MIT package), string literals >= 400 chars in tests: $(ls "$OUT/malaya" | wc -l) passages

The pages belong to their publishers; they are kept here only to measure, never committed.
EOF
echo "wrote $(find "$OUT" -type f ! -name SOURCES.md | wc -l) files to $OUT"
