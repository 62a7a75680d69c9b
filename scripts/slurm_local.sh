#!/usr/bin/env bash
# A single-node Slurm on localhost, for the cluster tests and for trying
# `relugap sweep --slurm` on one machine.
#   scripts/slurm_local.sh start DIR   install what is missing (Debian), start munged,
#                                      slurmctld and slurmd with DIR/slurm.conf; prints
#                                      `export SLURM_CONF=DIR/slurm.conf`
#   scripts/slurm_local.sh stop DIR    stop the daemons started by `start DIR`
# Needs root (the daemons run as root without systemd); see docs/manual/cluster.md.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cmd=${1:-}; dir=${2:-}
[[ -n "$cmd" && -n "$dir" ]] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
mkdir -p "$dir"; dir="$(cd "$dir" && pwd)"

stop() {
  for d in slurmd slurmctld; do
    if [[ -f "$dir/$d.pid" ]]; then kill "$(cat "$dir/$d.pid")" 2>/dev/null || true; fi
  done
  sleep 1
  for d in slurmd slurmctld; do
    if [[ -f "$dir/$d.pid" ]]; then kill -9 "$(cat "$dir/$d.pid")" 2>/dev/null || true; rm -f "$dir/$d.pid"; fi
  done
  if [[ -f "$dir/munge/munged.pid" ]]; then kill "$(cat "$dir/munge/munged.pid")" 2>/dev/null || true; rm -f "$dir/munge/munged.pid"; fi
}

case "$cmd" in
stop) stop; exit 0 ;;
start) ;;
*) echo "$0: unknown command '$cmd' (start or stop)" >&2; exit 2 ;;
esac

[[ "$(id -u)" -eq 0 ]] || { echo "$0: needs root to run slurmctld/slurmd without systemd" >&2; exit 1; }
missing=()
for p in slurmctld slurmd slurm-client munge; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "slurm_local: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# munge: its own key, log and pid under DIR, run as the munge user, who must
# be able to reach DIR.
if ! su -s /bin/sh munge -c "test -x '$dir'" 2>/dev/null; then
  echo "$0: the munge user cannot enter $dir (a parent folder is private); use a folder it can reach" >&2
  exit 1
fi
mkdir -p "$dir/munge" "$dir/state" "$dir/spool"
chown munge: "$dir/munge"; chmod 700 "$dir/munge"
if [[ ! -f "$dir/munge/munge.key" ]]; then
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chown munge: "$dir/munge/munge.key"; chmod 400 "$dir/munge/munge.key"
fi
# Slurm's daemons and clients talk to the default socket; start munged there
# unless one already answers.
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  install -d -o munge -g munge -m 755 /run/munge
  su -s /bin/sh munge -c "/usr/sbin/munged --key-file=$dir/munge/munge.key --pid-file=$dir/munge/munged.pid --log-file=$dir/munge/munged.log --seed-file=$dir/munge/seed --force"
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
fi
munge -n | unmunge >/dev/null || { echo "$0: munged did not start (see $dir/munge/munged.log)" >&2; exit 1; }

host=$(hostname -s)
cpus=$(nproc)
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
sed -e "s|@HOST@|$host|g" -e "s|@CPUS@|$cpus|g" -e "s|@MEM@|$mem|g" -e "s|@DIR@|$dir|g" \
    -e "s|@CTLD_PORT@|${SLURM_CTLD_PORT:-16817}|g" -e "s|@D_PORT@|${SLURM_D_PORT:-16818}|g" \
    "$here/tests/slurm/slurm.conf.in" > "$dir/slurm.conf"
export SLURM_CONF="$dir/slurm.conf"

if pgrep -x slurmctld >/dev/null || pgrep -x slurmd >/dev/null; then
  echo "$0: a slurmctld or slurmd is already running on this machine; stop it first" >&2; exit 1
fi
/usr/sbin/slurmctld -f "$SLURM_CONF"
/usr/sbin/slurmd -f "$SLURM_CONF"
for _ in $(seq 100); do
  state=$(sinfo -h -N -o %t 2>/dev/null | head -n1 || true)
  [[ "$state" == idle* ]] && break
  sleep 0.2
done
if [[ "$state" != idle* ]]; then
  echo "$0: the node did not come up (state '$state'); logs: $dir/slurmctld.log $dir/slurmd.log" >&2
  stop; exit 1
fi
echo "export SLURM_CONF=$SLURM_CONF"
