#!/usr/bin/env bash
# A sweep on a real (single-node, localhost) Slurm against the same sweep on
# one machine: tests/slurm/test_slurm_sweep.sh [RELUGAP_BIN]
#  1. starts munged, slurmctld and slurmd (scripts/slurm_local.sh; root, Debian);
#  2. runs the grid on one machine, then as a 4-task job array plus the
#     dependent merge job (`relugap sweep --slurm 4 --submit --wait`);
#  3. the merged results.csv must equal the one-machine one byte for byte;
#  4. drops one task's results, checks that `sweep merge` names the missing
#     cells and the array index to resubmit, resubmits that index alone, merges
#     again and compares again;
#  5. stops the daemons (also on failure).
# Exit 0: passed; 1: failed; 77: skipped (not root, so no daemons).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$(realpath "${1:-$here/build/relugap}")"
[[ -x "$bin" ]] || { echo "test_slurm_sweep: no relugap binary at $bin" >&2; exit 1; }
if [[ "$(id -u)" -ne 0 ]]; then echo "test_slurm_sweep: skipped (needs root to run the Slurm daemons)"; exit 77; fi

work=$(mktemp -d /tmp/relugap-slurm.XXXXXX)
chmod 755 "$work"  # the munge user keeps its key and log below it
cleanup() { "$here/scripts/slurm_local.sh" stop "$work/slurm" || true; }
trap cleanup EXIT
env_line=$("$here/scripts/slurm_local.sh" start "$work/slurm")
eval "$env_line"
echo "== slurm up: $(sinfo -h -o '%P %a %D %t')"

grid=(--reductions setcover,dks,sat1 --sizes 5,6 --seeds 1..2 --seed 11 --trainer-time-limit 5
      --source-time-limit 20 --starts 2 --no-plots --no-timing)
fail() { echo "test_slurm_sweep: FAILED: $*" >&2; exit 1; }

echo "== one machine"
"$bin" sweep "${grid[@]}" -o "$work/one" > "$work/one.log"
echo "== slurm: 4 array tasks + merge job"
"$bin" sweep "${grid[@]}" -o "$work/cluster" --slurm 4 --submit --wait | tee "$work/cluster.log"
[[ -f "$work/cluster/results.csv" ]] || fail "the merge job wrote no results.csv"
for i in 0 1 2 3; do
  ls "$work/cluster/slurm/logs/"*"_$i.out" >/dev/null 2>&1 || fail "no log for array task $i"
done
cmp "$work/one/results.csv" "$work/cluster/results.csv" || fail "merged CSV differs from the one-machine CSV"
echo "== merged CSV equals the one-machine CSV ($(wc -l < "$work/one/results.csv") lines)"

echo "== a failed task: drop shard 2's rows, merge, resubmit index 2 alone"
rm "$work/cluster/results.shard-2-of-4.jsonl" "$work/cluster/results.csv"
set +e
"$bin" sweep merge "$work/cluster" > "$work/merge.out" 2>&1
rc=$?
set -e
cat "$work/merge.out"
[[ $rc -ne 0 ]] || fail "sweep merge accepted a grid with missing cells"
grep -q "missing" "$work/merge.out" || fail "sweep merge did not report the missing cells"
grep -q -- "--array=2 " "$work/merge.out" || fail "sweep merge did not name array index 2 to resubmit"
[[ ! -f "$work/cluster/results.csv" ]] || fail "sweep merge wrote a CSV although cells were missing"
jid=$(sbatch --parsable --array=2 "$work/cluster/slurm/sweep.sbatch")
sbatch --wait --dependency=afterok:"$jid" "$work/cluster/slurm/merge.sbatch" > /dev/null
cmp "$work/one/results.csv" "$work/cluster/results.csv" || fail "CSV after resubmission differs"
echo "test_slurm_sweep: passed"
