#!/bin/sh
# The long crash soak: thousands of SIGKILLs during `copydesk mark`, then the screen killed
# right after mark keys. Figures are printed at the end of each test's output.
#
#   benches/soak.sh [KILLS] [SEED]       # default 3000 kills, seed from the clock
#
# Replays one run with the seed it printed: benches/soak.sh 3000 1764230000123456789
set -eu
cd "$(dirname "$0")/.."
export COPYDESK_SOAK_KILLS="${1:-3000}"
if [ -n "${2:-}" ]; then export COPYDESK_SOAK_SEED="$2"; fi
exec cargo test --test crash_kill -- --nocapture --test-threads=1
