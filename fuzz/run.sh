#!/bin/sh
# Runs every fuzz target (or those named) for SECONDS each, one process each (-jobs would write
# fuzz-N.log into the checkout), with seed corpora from sample/ and tests/fixtures/. Stable rustc is enough: RUSTC_BOOTSTRAP=1 unlocks the -Z flags
# cargo-fuzz passes (sanitizer, coverage). Needs `cargo install cargo-fuzz`.
#
#   fuzz/run.sh [SECONDS] [TARGET...]      # default 120 s per target, every target
#
# Crashes land in fuzz/artifacts/TARGET/; copy a fixed one into fuzz/regressions/TARGET/.
set -eu
cd "$(dirname "$0")/.."
seconds="${1:-120}"
[ $# -gt 0 ] && shift
targets="${*:-parse_text parse_front_matter parse_feed parse_json parse_newsml parse_html parse_head decode state sanitize language}"
export RUSTC_BOOTSTRAP=1
fuzz/seed_corpora.sh >/dev/null
cargo fuzz build -O --debug-assertions
for t in $targets; do
    echo "== $t"
    cargo fuzz run -O --debug-assertions "$t" "fuzz/corpus/$t" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 2>&1 | tee "fuzz/artifacts/$t.log" |
        grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==.*ERROR|SUMMARY|Done|INFO: seed)' || true
done
