#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for SECONDS:
#   scripts/fuzz.sh SECONDS [TARGET...]     (TARGET: cnf, fuzz_cnf, ...; default all)
# Build folder: $FUZZ_BUILD (default build-fuzz), configured with clang++,
# -DRELUGAP_FUZZ=ON, -O1 and libstdc++ assertions; every library is compiled
# with -fsanitize=fuzzer-no-link,address,undefined (see CMakeLists.txt).
# Corpus: the seeds of fuzz/make_corpus.sh (BUILD/seeds/<target>, read only)
# plus what the fuzzer finds (BUILD/corpus/<target>, kept between runs).
# Crashes, leaks, OOMs and timeouts go to BUILD/artifacts/<target>/ (reproduce
# with BUILD/<target> FILE). Limits: inputs <= 4096 bytes, 10 s per input,
# 2 GB RSS, no single allocation above 512 MB. Extra libFuzzer flags: $FUZZ_FLAGS;
# FUZZ_PARALLEL=N fuzzes N targets at a time.
# Prints per target: execs, execs/s, crashes, corpus size; exits 1 on a crash.
set -euo pipefail
if [ $# -lt 1 ] || ! [[ "$1" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 SECONDS [TARGET...]" >&2
  exit 2
fi
seconds="$1"
shift
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${FUZZ_BUILD:-$root/build-fuzz}"
all=(cnf dimacs_graph edge_list set_cover npy npz libsvm csv sidecar network)
targets=()
for t in "${@:-${all[@]}}"; do targets+=("fuzz_${t#fuzz_}"); done

if ! grep -qs 'CMAKE_CXX_COMPILER:.*clang' "$build/CMakeCache.txt"; then
  CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DRELUGAP_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only -D_GLIBCXX_ASSERTIONS" >/dev/null
fi
cmake --build "$build" -j"${FUZZ_JOBS:-2}" --target "${targets[@]}"
[ -d "$build/seeds" ] || "$root/fuzz/make_corpus.sh" "$build/seeds" >/dev/null

export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
jobs="${FUZZ_PARALLEL:-1}"  # targets fuzzed at the same time (one core each)

# run TARGET: one fuzzing session, its log in BUILD/logs/TARGET.log.
run() {
  local t="$1"
  local corpus="$build/corpus/$t" artifacts="$build/artifacts/$t"
  mkdir -p "$corpus" "$artifacts" "$build/seeds/$t"
  find "$artifacts" -type f | wc -l >"$build/logs/$t.before"
  # shellcheck disable=SC2086
  "$build/$t" "$corpus" "$build/seeds/$t" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 -malloc_limit_mb=512 -print_final_stats=1 -artifact_prefix="$artifacts/" \
    ${FUZZ_FLAGS:-} >"$build/logs/$t.log" 2>&1 || true
}

# report TARGET: prints its figures; returns 1 on a crash.
report() {
  local t="$1"
  local corpus="$build/corpus/$t" artifacts="$build/artifacts/$t" log="$build/logs/$t.log"
  local crashes execs rate units files line
  crashes=$(($(find "$artifacts" -type f | wc -l) - $(cat "$build/logs/$t.before")))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  units=$(grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" | tail -1 | cut -d' ' -f2)
  files=$(find "$corpus" -type f | wc -l)
  if [ -z "$execs" ]; then
    echo "   $t did not run:" && tail -5 "$log"
    crashes=1
  fi
  line=$(printf '%-18s execs %9s  execs/s %6s  crashes %d  corpus %s units/bytes (%s files in corpus/)' \
    "$t" "${execs:-?}" "${rate:-?}" "$crashes" "${units:-?}" "$files")
  echo "   $line"
  summary+=("$line")
  if [ "$crashes" -gt 0 ]; then
    grep -m3 -E 'ERROR|FUZZ_CHECK|runtime error|terminate called' "$log" | sed 's/^/   /' || true
    ls -t "$artifacts" | head -n "$crashes" | sed "s|^|   artifact: $artifacts/|"
    return 1
  fi
}

mkdir -p "$build/logs"
status=0
summary=()
for ((i = 0; i < ${#targets[@]}; i += jobs)); do
  batch=("${targets[@]:i:jobs}")
  echo "== ${batch[*]}: ${seconds}s (logs: $build/logs/)"
  for t in "${batch[@]}"; do run "$t" & done
  wait
  for t in "${batch[@]}"; do report "$t" || status=1; done
done
echo "== summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
exit $status
