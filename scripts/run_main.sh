#!/usr/bin/env bash
# The main job behind `make run`.
# Generate one small seeded instance of each source problem into $out, describe
# each with `relugap info`, then run the whole pipeline on its built-in demo set.
set -euo pipefail
bin=${1:-build/relugap}
out=${RELUGAP_OUT:-out/run}
mkdir -p "$out"
"$bin" --version

echo "== generating seeded instances into $out"
"$bin" gen 3sat --vars 50 --clauses 213 --planted --seed 1 -o "$out/planted_3sat.cnf"
"$bin" gen graph --vertices 60 --p 0.2 --plant-clique 10 --seed 1 -o "$out/gnp_clique.clq"
"$bin" gen setcover --elements 40 --sets 60 --plant-cover 5 --max-cost 10 --seed 1 -o "$out/planted_cover.txt"

echo "== relugap info"
for f in "$out/planted_3sat.cnf" "$out/gnp_clique.clq" "$out/planted_cover.txt"; do
  "$bin" info "$f"
done
echo "== provenance of $out/planted_cover.txt (sidecar $out/planted_cover.txt.json)"
cat "$out/planted_cover.txt.json"

echo "== relugap verify --demo: one small built-in instance of every reduction"
"$bin" verify --demo --time-limit 5 --source-time-limit 10
