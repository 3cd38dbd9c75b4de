#!/usr/bin/env bash
# Model-checks the wake protocol (model/wake.pml) with Spin: the protocol as described must pass every property,
# every mutant must be caught, the documented findings must still show, and the proposed fix must pass.
#
#   model/check.sh                 the CI set (about 3 min on one core, of which the 3-producer safety run is 2.3)
#   model/check.sh --full          the liveness runs (no cycles, LTL) with 3 producers too
#   model/check.sh --trail DEFS    print the counterexample of one configuration, e.g. --trail "NO_RECHECK"
#
# One line per case: "ok   <kind> <name>: ..." or "FAIL <kind> <name>: ...", then a summary line.
# Exit status: 0 if every case came out as expected, 1 if not, 2 if spin or gcc is missing.
# Needs spin (apt-get install spin) and gcc; installs nothing.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODEL="$HERE/wake.pml"
PAN_TIMEOUT_S=600      # a wall-clock bound per pan run; the largest CI case takes about 15 s
DEPTH=100000           # the model's depth is under 300 steps: pan must never report "max search depth too small"

need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "check.sh: $1 is not installed: apt-get install $2" >&2
    exit 2
  fi
}
need spin spin
need gcc gcc
need timeout coreutils

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ringloop-spin.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# build <dir> <gcc flags> <spin -D defines...>: generates and compiles pan in <dir>
build() {
  local dir="$1" cflags="$2"; shift 2
  mkdir -p "$dir"
  cp "$MODEL" "$dir/wake.pml"
  local spin_defs=()
  for d in "$@"; do spin_defs+=("-D$d"); done
  (cd "$dir" && spin "${spin_defs[@]}" -a wake.pml >spin.log 2>&1 && gcc $cflags -o pan pan.c >gcc.log 2>&1)
}

# How pan stores states. The largest case (the protocol's safety, 3 producers) stores 74 M states of 96 bytes:
# plain, that is 8.3 GB and 138 s here; with collapse compression 4.0-4.4 GB and 171-206 s (the compression is the
# time). So full searches store plainly where the memory is there, and compress where it is not; both are
# exhaustive. The hash table of a 3-producer search has 2^28 buckets (the default 2^24 makes long chains).
# RINGLOOP_MODEL_STORE=plain|compressed overrides the choice.
avail_mb=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo 2>/dev/null)
store="${RINGLOOP_MODEL_STORE:-}"
if [ -z "$store" ]; then
  if [ "${avail_mb:-0}" -ge 14000 ]; then store=plain; else store=compressed; fi
fi
if [ "$store" = plain ]; then
  STORE="-DMEMLIM=12288"; HASH=-w28; store_note="plain state storage (${avail_mb} MB available)"
else
  STORE="-DCOLLAPSE -DMEMLIM=8192"; HASH=-w27; store_note="collapse compression (${avail_mb:-?} MB available)"
fi

cases=0
bad=0

# run_case <expect: pass|fail> <kind> <name> <mode: safety|cycles|ltl:NAME> <nprod> <defines...>
run_case() {
  local expect="$1" kind="$2" name="$3" mode="$4" nprod="$5"; shift 5
  local dir="$WORK/case$cases" cflags pan_args
  cases=$((cases + 1))
  case "$mode" in
    safety) cflags="-DSAFETY"; pan_args=(-m$DEPTH) ;;
    cycles) cflags="-DNP"; pan_args=(-m$DEPTH -l) ;;
    ltl:*)  cflags=""; pan_args=(-m$DEPTH -a -N "${mode#ltl:}") ;;
  esac
  # a mutant fails within a few hundred states: compile it fast, in little memory; a full search gets the
  # optimizer and the storage chosen above
  if [ "$expect" = pass ]; then
    cflags="-O2 $STORE $cflags"
    # a table of 2^28 buckets is 2 GB to clear: only the 3-producer searches fill it
    if [ "$nprod" -ge 3 ]; then pan_args+=("$HASH"); else pan_args+=(-w24); fi
  else
    cflags="-O0 -DCOLLAPSE -DMEMLIM=4096 $cflags"
  fi
  if ! build "$dir" "$cflags" "NPROD=$nprod" "$@"; then
    echo "FAIL $kind $name: spin or gcc failed: $(tail -3 "$dir/spin.log" "$dir/gcc.log" 2>/dev/null | tr '\n' ' ')"
    bad=$((bad + 1)); return
  fi
  local out rc
  out="$(cd "$dir" && timeout "$PAN_TIMEOUT_S" ./pan "${pan_args[@]}" 2>&1)"; rc=$?
  local errors states secs what
  errors="$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' <<<"$out" | head -1)"
  states="$(sed -n 's/^ *\([0-9.e+]*\) states, stored.*/\1/p' <<<"$out" | head -1)"
  secs="$(sed -n 's/^pan: elapsed time \([0-9.e+]*\) seconds.*/\1/p' <<<"$out" | head -1)"
  what="$(grep -m1 -E '^pan:[0-9]+: ' <<<"$out" | sed 's/^pan:[0-9]*: *//; s/ (at depth [0-9]*)//')"
  local stats="$mode, $nprod producers: ${states:-?} states, ${secs:-?} s"
  if [ $rc -eq 124 ]; then
    echo "FAIL $kind $name: pan ran out of time (${PAN_TIMEOUT_S} s) [$stats]"; bad=$((bad + 1)); return
  fi
  if [ -z "$errors" ] || grep -qE 'max search depth too small|out of memory' <<<"$out"; then
    echo "FAIL $kind $name: the search did not complete [$stats]: $(tail -3 <<<"$out" | tr '\n' ' ')"
    bad=$((bad + 1)); return
  fi
  if [ "$expect" = pass ]; then
    if [ "$errors" -eq 0 ]; then
      echo "ok   $kind $name: no violation [$stats]"
    else
      echo "FAIL $kind $name: $what [$stats] (replay: model/check.sh --trail \"$*\")"; bad=$((bad + 1))
    fi
  else
    if [ "$errors" -gt 0 ]; then
      echo "ok   $kind $name: caught: $what [$stats]"
    else
      echo "FAIL $kind $name: NOT caught [$stats]"; bad=$((bad + 1))
    fi
  fi
}

# trail <defines...>: the shortest counterexample pan finds, replayed step by step (loop, producers, closer)
trail() {
  local dir="$WORK/trail"
  build "$dir" "-O2 -DSAFETY -DCOLLAPSE -DMEMLIM=4096 -DREACH" "$@" || { cat "$dir/spin.log" "$dir/gcc.log"; exit 1; }
  local spin_defs=()
  for d in "$@"; do spin_defs+=("-D$d"); done
  (cd "$dir" && timeout "$PAN_TIMEOUT_S" ./pan -m$DEPTH -i >pan.log 2>&1)
  if [ ! -f "$dir/wake.pml.trail" ]; then
    echo "check.sh: no counterexample for: $*"; grep -E 'errors|states, stored' "$dir/pan.log"; exit 1
  fi
  (cd "$dir" && spin "${spin_defs[@]}" -t -p wake.pml) |
    grep -E '^ *[0-9]+:\s+proc|assertion|violated' | grep -v ':init:'
  exit 0
}

full=0
case "${1:-}" in
  --full) full=1 ;;
  --trail) shift; trail ${1:-} ;;
  "") ;;
  *) echo "usage: model/check.sh [--full | --trail \"DEFINE ...\"]" >&2; exit 2 ;;
esac

echo "check.sh: $(spin -V | head -1); model $MODEL; $store_note"
big=2; [ $full -eq 1 ] && big=3      # the producers in the liveness and fix runs

# The protocol as the Java code implements it (one atomic per execute: the claim is the publish).
run_case pass correct safety        safety      3 STRICT_FATE
run_case pass correct no-cycles     cycles      $big
run_case pass correct ltl-stranded  ltl:stranded $big LTL
run_case pass correct ltl-closes    ltl:closes  $big LTL_CLOSE

# Mutants: each breaks one rule of the protocol and must be caught.
for m in NO_RECHECK WANT_BEFORE_CLAIM NO_REARM SKIP_REARM_SQ_FULL NO_RINGER_GUARD NO_RUNG ARM_KEEPS_RUNG \
         CAUGHTUP_AT_SEQ CAUGHTUP_AFTER_DRAIN SKIP_EMPTY_SLOT TERMINATE_NO_CHECK CLOSE_NO_WAKE EDGE_ONLY_POLL \
         WHERE_AFTER_ARM NO_FUTEX_CHECK; do
  run_case fail mutant "$m" safety 3 "$m"
done

# Terminate must be one CAS on the word: checked, then set by a second step, a claim in between is accepted and lost.
run_case fail mutant TERMINATE_SPLIT safety 3 STRICT_FATE TERMINATE_SPLIT
# A property the protocol does NOT have, on purpose: a claimer stalled across a re-arm adds one harmless write.
run_case fail finding STRICT_WRITES safety 3 STRICT_WRITES

if [ $bad -eq 0 ]; then
  echo "check.sh: all $cases cases as expected"
  exit 0
fi
echo "check.sh: $bad of $cases cases NOT as expected"
exit 1
