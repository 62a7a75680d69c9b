#!/usr/bin/env bash
# Builds the seed corpus of every fuzz target: fuzz/make_corpus.sh [OUT_DIR]
# (default: build-fuzz/seeds). OUT_DIR/<target>/ gets
#   - the matching files of data/ and tests/data (golden files and
#     the malformed corpus tests/data/malformed/<format>/), files larger than
#     SEED_LIMIT bytes (default 4096) cut to their first SEED_LIMIT bytes (a cut
#     file is itself a good malformed seed);
#   - a few small valid inputs written below (NPY, LIBSVM, CSV, networks,
#     sidecars with certificates), since tests/data holds mostly broken ones.
# The seeds are only read by the fuzzers; scripts/fuzz.sh keeps what they find
# in a separate folder. Re-running the script recreates OUT_DIR from scratch.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$here/build-fuzz/seeds}"
limit="${SEED_LIMIT:-4096}"
shared="${RELUGAP_DATA:-$here/data}"
tests="$here/tests/data"
mal="$tests/malformed"

rm -rf "$out"
for t in cnf dimacs_graph edge_list set_cover npy npz libsvm csv sidecar network; do mkdir -p "$out/fuzz_$t"; done

# add TARGET FILE...: copies each existing file (cut to $limit bytes) under a
# name made from its path, so that files from different folders never collide.
add() {
  local target="$1"
  shift
  local f name
  for f in "$@"; do
    [ -f "$f" ] || continue
    name="$(echo "${f#"$here"/}" | sed 's|^\.\./||; s|[/ ]|_|g')"
    head -c "$limit" "$f" >"$out/fuzz_$target/$name"
  done
}

shopt -s nullglob
add cnf "$shared"/sat/*.cnf "$shared"/sat/nonstandard/*.cnf "$tests"/golden/*.cnf "$mal"/cnf/*.cnf
add dimacs_graph "$shared"/graph/*.clq "$tests"/golden/*.clq "$mal"/graph/dimacs_*
add edge_list "$shared"/graph/raw/* "$tests"/golden/*.edges "$mal"/graph/edgelist_* "$mal"/graph/adjacency_* \
  "$mal"/graph/mtx_* "$mal"/graph/empty_graph.txt
add set_cover "$shared"/setcover/*.txt "$tests"/golden/setcover_*.txt "$mal"/setcover/*.txt
add npy "$tests"/npy/*.npy "$mal"/npy/*.npy
add csv "$mal"/csv/*.csv "$mal"/sidecar/*.csv
add sidecar "$tests"/golden/*.json "$mal"/sidecar/*.json "$mal"/libsvm/*.json "$mal"/csv/*.json
add network "$mal"/network/*.json "$mal"/sidecar/*.json
# The malformed-case .expected files are not inputs.
find "$out" -name '*.expected' -delete

# LIBSVM: the target reads "#dim=N" (first line) as the sidecar's dimension and
# the lines after "#weights" as the weights file; fold the companions in.
for f in "$mal"/libsvm/*.libsvm; do
  name="tests_data_malformed_libsvm_$(basename "$f")"
  {
    if [ -f "$f.json" ]; then
      python3 -c 'import json,sys; print("#dim=%d" % json.load(open(sys.argv[1]))["shape"]["dim"])' "$f.json"
    fi
    cat "$f"
    if [ -f "$f.weights" ]; then
      printf '#weights\n'
      cat "$f.weights"
    fi
  } | head -c "$limit" >"$out/fuzz_libsvm/$name"
done

python3 - "$out" <<'EOF'
import json, os, struct, sys
out = sys.argv[1]

def put(target, name, data):
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(os.path.join(out, "fuzz_" + target, "valid_" + name), mode) as f:
        f.write(data)

def npy(rows, version=1):
    cols = len(rows[0]) if rows else 3
    h = "{'descr': '<f8', 'fortran_order': False, 'shape': (%d, %d), }" % (len(rows), cols)
    prefix = 10 if version == 1 else 12
    while (prefix + len(h) + 1) % 64:
        h += " "
    h += "\n"
    b = b"\x93NUMPY" + bytes([version, 0])
    b += struct.pack("<H" if version == 1 else "<I", len(h)) + h.encode()
    for r in rows:
        b += struct.pack("<%dd" % cols, *r)
    return b

rows = [[1.0, 0.0, -2.5, 1.0, 1.0], [0.0, 3.0, 0.0, -1.0, 2.0], [0.5, 0.25, 1e-300, 0.0, 0.5]]
put("npy", "3x5.npy", npy(rows))
put("npy", "3x5_v2.npy", npy(rows, 2))
put("npy", "empty.npy", npy([]))
put("npy", "1x3.npy", npy([[2.0, -1.0, 4.0]]))

def npy_array(descr, values, shape=None):
    shape = shape if shape is not None else (len(values),)
    sh = "(%s,)" % shape[0] if len(shape) == 1 else "(%s)" % ", ".join(map(str, shape))
    h = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, sh)
    while (10 + len(h) + 1) % 64:
        h += " "
    h += "\n"
    b = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h.encode()
    if descr == "|S3":
        return b + b"".join(values)
    code = {"<f8": "d", "<i4": "i", "<i8": "q"}[descr]
    return b + struct.pack("<%d%s" % (len(values), code), *values)

def npz(rows, compress):
    """The CSR layout scipy.sparse.save_npz writes for the (m, d+2) matrix X | y | c."""
    import io, zipfile
    data, indices, indptr = [], [], [0]
    for r in rows:
        for j, v in enumerate(r):
            if v != 0:
                data.append(v)
                indices.append(j)
        indptr.append(len(data))
    buf = io.BytesIO()
    mode = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buf, "w", mode) as z:
        z.writestr("indices.npy", npy_array("<i4", indices))
        z.writestr("indptr.npy", npy_array("<i4", indptr))
        z.writestr("format.npy", npy_array("|S3", [b"csr"], ()))
        z.writestr("shape.npy", npy_array("<i8", [len(rows), len(rows[0]) if rows else 3]))
        z.writestr("data.npy", npy_array("<f8", data))
    return buf.getvalue()

put("npz", "3x5.npz", npz(rows, False))
put("npz", "3x5_deflated.npz", npz(rows, True))
put("npz", "1x3.npz", npz([[2.0, -1.0, 4.0]], False))

put("csv", "3x5.csv", "x0,x1,x2,y,c\n" + "".join(",".join(repr(v) for v in r) + "\n" for r in rows))
put("csv", "crlf_bom.csv", "\ufeffx0,y,c\r\n1, 2 ,3\r\n\r\n-0,1e-3,0.5\r\n")
put("csv", "header_only.csv", "x0,x1,y,c\n")

put("libsvm", "plain.libsvm", "1 1:0.5 3:-2\n-1 2:1e-3\n# comment\n\n0.5 1:1 2:2 3:3 # tail\n")
put("libsvm", "dim_weights.libsvm", "#dim=5\n1 1:0.5 5:-2\n-1 2:1\n#weights\n1\n0.25\n")
put("libsvm", "weights_only.libsvm", "2 4:1\n3 1:-1\n#weights\n2\n3\n")

net = {"kind": "network", "dim": 3, "relugap_version": "0.1.0",
       "units": [{"a": 1, "w": [1, "-1/2", 0.25]}, {"a": "-3", "w": [0, 1e-3, "7/3"]}],
       "meta": {"trainer": "gd", "seed": 1}}
put("network", "net.json", json.dumps(net, indent=2))
put("network", "net_compact.json", json.dumps({"dim": 1, "units": [{"a": 2.5, "w": [-1]}]}))

sidecar = {"relugap_version": "0.1.0", "schema": 1, "kind": "training_set", "format": "csv",
           "generator": {"name": "gnp", "seed": 7, "params": {"p": 0.3}},
           "source": {"path": "g.clq", "sha256": "ab" * 32, "problem": "dks"},
           "reduction": {"name": "dks", "params": {"k": 3}},
           "bounds": {"source_optimum": 3, "source_status": "optimal (exact)", "loss_lower": 0.5,
                      "loss_upper": None, "exact": {"K": "7/2", "sigma": "-3"}},
           "certificate": {"kind": "network", "dim": 2, "units": [{"a": "1", "w": ["1/2", "-1"]}]},
           "shape": {"samples": 3, "dim": 2, "nnz": 4}, "unit_ball": {"B": 2}}
put("sidecar", "full.csv.json", json.dumps(sidecar, indent=2))
put("network", "sidecar_certificate.json", json.dumps(sidecar))
put("sidecar", "minimal.json", json.dumps({"relugap_version": "0.1.0", "kind": "training_set"}))
EOF

for d in "$out"/*/; do
  printf '%-18s %3d seeds\n' "$(basename "$d")" "$(find "$d" -type f | wc -l)"
done
