#!/bin/sh
# Zero-cost check of the typed containers: compiles bench/codegen/strong_vector_loops.cpp at -O2
# -DNDEBUG (as Release) and compares, per pair of functions, the assembly of a loop over raw
# indices with the same loop over Index<Tag> / StrongVector<Tag, T>. Prints one line per pair.
set -eu
cd "$(dirname "$0")/.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"${CXX:-g++}" -std=c++20 -O2 -DNDEBUG -I. -S -o "$out" bench/codegen/strong_vector_loops.cpp
python3 - "$out" <<'PY'
import re, sys
funcs, cur = {}, None
for line in open(sys.argv[1]):
    m = re.match(r'^(_Z\w+):', line)
    if m:
        cur = m.group(1); funcs[cur] = []; continue
    if cur is None or re.match(r'\s+\.(cfi|size|type|p2align|section|globl|text|ident)', line):
        continue
    if re.match(r'^\.LF[BE]', line):
        continue
    if re.match(r'\s', line):  # instructions only
        funcs[cur].append(re.sub(r'\.L\w+', 'L', line.strip()))
def body(name):
    return next(v for k, v in funcs.items() if name in k)
def loop(b):  # instructions between the last label in the body and its backward jump
    return [x for x in b if not x.startswith('.')]
for raw, typed in [('dot_raw', 'dot_typed'), ('sum_raw', 'sum_typed'), ('all_raw', 'all_typed'),
                   ('inside_raw', 'inside_typed'), ('row_raw', 'row_typed'), ('signs_raw', 'signs_typed')]:
    a, b = loop(body(raw)), loop(body(typed))
    print(f"{raw:10s} {len(a):3d} instructions | {typed:12s} {len(b):3d} instructions | "
          + ("identical" if a == b else "differ (read both: " + "; ".join(b) + ")"))
PY
