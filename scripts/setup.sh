#!/usr/bin/env bash
# Installs what relugap needs on a fresh Debian machine, only what is missing.
set -euo pipefail
pkgs=(build-essential cmake ninja-build pkg-config
      libboost-graph-dev nlohmann-json3-dev libeigen3-dev doctest-dev libcli11-dev
      libgmp-dev libssl-dev coinor-libcbc-dev coinor-libclp-dev libcadical-dev
      libbenchmark-dev clang libclang-rt-14-dev gnuplot-nox python3 libzip-dev
      python3-numpy python3-scipy python3-pytest python3-matplotlib python3-torch)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
