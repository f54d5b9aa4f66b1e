#!/bin/sh
# Copies seed inputs for every fuzz target from sample/ and tests/fixtures/ into fuzz/corpus/
# (ignored by git), plus the committed regression inputs. Run from anywhere; idempotent.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
corpus="$root/fuzz/corpus"
mkdir -p "$corpus"
seed() { # seed TARGET FILE...
    mkdir -p "$corpus/$1"
    target=$1
    shift
    for f in "$@"; do
        [ -f "$f" ] || continue
        name=$(printf '%s' "${f#"$root"/}" | tr '/' '_')
        cp "$f" "$corpus/$target/$name"
    done
}
files() { # files EXT... : every regular file of sample/ and the fixtures with these extensions
    for ext in "$@"; do
        find "$root/sample" "$root/tests/fixtures/hostile" -type f -name "*.$ext"
    done
}
newsml=$(grep -lis '<newsitem' $(files xml) || true)
seed parse_text $(files txt)
seed parse_front_matter $(files md)
seed parse_feed $(for f in $(files xml rss rdf atom); do case " $newsml " in *" $f "*) ;; *) echo "$f" ;; esac; done)
seed parse_json $(files json)
seed parse_newsml $newsml
seed parse_html $(files html htm)
seed parse_head $(files md html htm)
seed decode $(find "$root/sample" "$root/tests/fixtures/hostile" -type f)
seed state $(find "$root/tests/fixtures/state" -type f -name '*.toml')
seed language $(files txt md)
seed sanitize $(find "$root/tests/fixtures/hostile" -type f \( -name 'escape-*' -o -name 'bidi-*' -o -name 'c1-*' -o -name 'nul-*' \))
for dir in "$root"/fuzz/regressions/*/; do
    [ -d "$dir" ] || continue
    seed "$(basename "$dir")" "$dir"*
done
for dir in "$corpus"/*/; do
    printf '%-20s %s files\n' "$(basename "$dir")" "$(find "$dir" -type f | wc -l)"
done
