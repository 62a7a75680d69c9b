#!/usr/bin/env bash
# README.md = docs/readme/intro.md followed by each feature section in docs/readme/.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  cat docs/readme/intro.md
  for f in io generators setcover dks sat trainers verifier sweep eps fuzzing build; do
    [ -f "docs/readme/$f.md" ] && { echo; cat "docs/readme/$f.md"; }
  done
} | sed 's|](eps/|](docs/readme/eps/|g' > README.md.tmp
mv README.md.tmp README.md
