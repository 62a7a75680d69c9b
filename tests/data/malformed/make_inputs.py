#!/usr/bin/env python3
"""Writes the malformed-input corpus: tests/data/malformed/<format>/<case>.<ext>.

Each case is one small file (plus, for some, a companion .json sidecar or
.weights file) with exactly one defect. The expected error of each case is in
<case>.expected ("id: ..." and "message: ..." lines), checked by
tests/test_io_malformed.cpp, which also regenerates the .expected files when
RELUGAP_UPDATE_EXPECTED=1 is set (review the diff before committing).
Run from anywhere: python3 tests/data/malformed/make_inputs.py
"""
import json
import os
import struct

ROOT = os.path.dirname(os.path.abspath(__file__))


def put(fmt, name, data):
    os.makedirs(os.path.join(ROOT, fmt), exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(os.path.join(ROOT, fmt, name), mode) as f:
        f.write(data)


# ---- CNF -------------------------------------------------------------------
cnf = {
    "header_extra_number": "c three numbers, as in aim-50-1_6-no-1.cnf\np cnf 3 2 100\n1 -2 0\n2 3 0\n",
    "header_missing_count": "p cnf 3\n1 -2 0\n",
    "header_not_cnf": "p dnf 3 2\n1 -2 0\n2 3 0\n",
    "header_negative_vars": "p cnf -3 2\n1 -2 0\n2 3 0\n",
    "header_count_not_integer": "p cnf 3 two\n1 -2 0\n2 3 0\n",
    "header_twice": "p cnf 3 2\n1 -2 0\np cnf 3 2\n2 3 0\n",
    "header_too_many_vars": "p cnf 3000000000 1\n1 0\n",
    "clause_before_header": "c comment\n1 -2 0\np cnf 3 2\n2 3 0\n",
    "no_header": "c only comments\nc and nothing else\n",
    "empty_file": "",
    "literal_range": "p cnf 3 2\n1 -2 0\n2 4 0\n",
    "literal_range_negative": "p cnf 3 2\n1 -2 0\n\n-4 3 0\n",
    "literal_not_integer": "p cnf 3 2\n1 x 0\n2 3 0\n",
    "literal_decimal": "p cnf 3 2\n1 -2 0\n2.5 3 0\n",
    "literal_huge": "p cnf 3 1\n1 99999999999999999999999 0\n",
    "empty_clause": "p cnf 3 3\n1 -2 0\n0\n2 3 0\n",
    "unterminated_last_clause": "p cnf 3 2\n1 -2 0\n2 3\n",
    "too_many_clauses": "p cnf 3 2\n1 -2 0\n2 3 0\n-1 0\n",
    "too_few_clauses": "p cnf 3 3\n1 -2 0\n2 3 0\n",
    "huge_clause_count": "p cnf 3 1000000000000000\n1 -2 0\n2 3 0\n",
    "data_after_end_marker": "p cnf 3 2\n1 -2 0\n2 3 0\n%\n0\n1 2 0\n",
    "multiline_clause_range": "p cnf 3 1\n1\n-2\n5 0\n",
}
for k, v in cnf.items():
    put("cnf", k + ".cnf", v)

# ---- graphs ----------------------------------------------------------------
graph = {
    "dimacs_self_loop.clq": "c tiny\np edge 4 3\ne 1 2\ne 3 3\ne 2 4\n",
    "dimacs_duplicate_edge.clq": "p edge 4 3\ne 1 2\ne 2 3\ne 2 1\n",
    "dimacs_vertex_range.clq": "p edge 4 2\ne 1 2\ne 2 5\n",
    "dimacs_vertex_zero.clq": "p edge 4 2\ne 0 2\ne 2 3\n",
    "dimacs_vertex_not_integer.clq": "p edge 4 2\ne 1 2\ne 2 b\n",
    "dimacs_edge_count_low.clq": "p edge 4 3\ne 1 2\ne 2 3\n",
    "dimacs_edge_count_high.clq": "p edge 4 1\ne 1 2\ne 2 3\n",
    "dimacs_header_extra.clq": "p edge 4 2 7\ne 1 2\ne 2 3\n",
    "dimacs_header_kind.clq": "p cnf 4 2\ne 1 2\ne 2 3\n",
    "dimacs_edge_before_header.clq": "c x\ne 1 2\np edge 4 1\n",
    "dimacs_malformed_edge.clq": "p edge 4 2\ne 1 2\ne 3\n",
    "dimacs_unknown_line.clq": "p edge 4 1\nn 1 5\ne 1 2\n",
    "dimacs_too_many_vertices.clq": "p edge 100000000 0\n",
    "dimacs_header_twice.clq": "p edge 4 1\np edge 4 1\ne 1 2\n",
    "edgelist_self_loop.txt": "4 4 2\n1 2\n4 4\n",
    "edgelist_duplicate.txt": "1 2\n2 3\n3 1\n3 2\n",
    "edgelist_header_mismatch.txt": "4 5 2\n1 2\n2 3\n",
    "edgelist_edge_count.txt": "4 4 3\n1 2\n2 3\n",
    "edgelist_vertex_range.txt": "4 4 2\n1 2\n2 7\n",
    "edgelist_three_tokens.txt": "1 2\n2 3 1\n",
    "edgelist_not_integer.txt": "1 2\n2 -3\n",
    "mtx_not_square.mtx": "%%MatrixMarket matrix coordinate real general\n% comment\n4 5 1\n2 1 1\n",
    "mtx_entry_count.mtx": "%%MatrixMarket matrix coordinate pattern symmetric\n4 4 3\n2 1\n3 1\n",
    "mtx_bad_field.mtx": "%%MatrixMarket matrix coordinate complex general\n4 4 1\n2 1 1 0\n",
    "mtx_missing_value.mtx": "%%MatrixMarket matrix coordinate real general\n4 4 2\n2 1 1\n3 1\n",
    "adjacency_asymmetric.txt": "3\n0 1 1\n1 0 0\n0 0 0\n",
    "adjacency_diagonal.txt": "3\n0 1 0\n1 1 0\n0 0 0\n",
    "adjacency_short.txt": "3\n0 1 0\n1 0 0\n0 0\n",
    "adjacency_long.txt": "2\n0 1\n1 0\n0\n",
    "adjacency_bad_entry.txt": "3\n0 1 0\n1 0 2\n0 2 0\n",
    "empty_graph.txt": "# nothing here\n\n",
}
for k, v in graph.items():
    put("graph", k, v)

# ---- set cover (OR-Library scp) --------------------------------------------
sc = {
    "empty": "",
    "header_not_integer": "3 x\n1 1 1\n",
    "header_too_large": "3 99999999999\n",
    "cost_zero": "2 3\n1 0 1\n2 1 2\n1 3\n",
    "cost_negative": "2 3\n1 1\n-4\n2 1 2\n1 3\n",
    "cost_not_integer": "2 3\n1 1.5 1\n2 1 2\n1 3\n",
    "truncated_costs": "2 3\n1 1\n",
    "uncoverable_row": "3 3\n1 1 1\n2 1 2\n0\n1 3\n",
    "count_too_large": "2 3\n1 1 1\n4 1 2 3 3\n1 3\n",
    "count_not_integer": "2 3\n1 1 1\n2 1 2\nthree 1 2 3\n",
    "index_out_of_range": "2 3\n1 1 1\n2 1 4\n1 3\n",
    "index_zero": "2 3\n1 1 1\n2\n0 1\n1 3\n",
    "duplicate_column": "2 3\n1 1 1\n3 1 2\n 1\n1 3\n",
    "truncated_row": "2 3\n1 1 1\n2 1 2\n3 1\n2",
    "trailing_data": "2 3\n1 1 1\n2 1 2\n1 3\n7\n",
}
for k, v in sc.items():
    put("setcover", k + ".txt", v)


# ---- NPY -------------------------------------------------------------------
def npy(header, rows=(), major=1, magic=b"\x93NUMPY", raw=None, pad=True):
    h = header
    if pad:
        prefix = 10 if major == 1 else 12
        while (prefix + len(h) + 1) % 64:
            h += " "
        h += "\n"
    hb = h.encode("latin1")
    out = magic + bytes([major, 0])
    out += struct.pack("<H", len(hb)) if major == 1 else struct.pack("<I", len(hb))
    out += hb
    if raw is not None:
        return out + raw
    for r in rows:
        out += struct.pack("<%dd" % len(r), *r)
    return out


def hdr(shape, descr="'<f8'", fortran="False"):
    return "{'descr': %s, 'fortran_order': %s, 'shape': %s, }" % (descr, fortran, shape)


good_rows = [(1.0, 0.0, 0.5, 1.0), (0.0, 2.0, -1.0, 4.0)]
nan, inf = float("nan"), float("inf")
npys = {
    "bad_magic": npy(hdr("(2, 4)"), good_rows, magic=b"\x93NUMPZ"),
    "not_npy_at_all": b"x0,y,c\n1,2,1\n",
    "version3": npy(hdr("(2, 4)"), good_rows, major=3),
    "dtype_float32": npy(hdr("(2, 4)", descr="'<f4'"), raw=struct.pack("<8f", *(1.0,) * 8)),
    "dtype_big_endian": npy(hdr("(2, 4)", descr="'>f8'"), raw=struct.pack(">8d", *(1.0,) * 8)),
    "fortran_order": npy(hdr("(2, 4)", fortran="True"), good_rows),
    "shape_1d": npy(hdr("(8,)"), [tuple(x for r in good_rows for x in r)]),
    "shape_3d": npy(hdr("(2, 2, 2)"), good_rows),
    "too_few_columns": npy(hdr("(4, 2)"), good_rows),
    "size_mismatch": npy(hdr("(3, 4)"), good_rows),
    "huge_shape": npy(hdr("(1000000000000000, 4)"), good_rows),
    "nan_feature": npy(hdr("(2, 4)"), [(1.0, 0.0, 0.5, 1.0), (0.0, nan, -1.0, 4.0)]),
    "inf_label": npy(hdr("(2, 4)"), [(1.0, 0.0, inf, 1.0), (0.0, 2.0, -1.0, 4.0)]),
    "zero_weight": npy(hdr("(2, 4)"), [(1.0, 0.0, 0.5, 1.0), (0.0, 2.0, -1.0, 0.0)]),
    "negative_weight": npy(hdr("(2, 4)"), [(1.0, 0.0, 0.5, -2.0), (0.0, 2.0, -1.0, 4.0)]),
    "header_garbage": npy("{'descr': '<f8' 'fortran_order': False, 'shape': (2, 4), }", good_rows),
    "header_unknown_key": npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 4), 'extra': 1}", good_rows),
    "header_missing_shape": npy("{'descr': '<f8', 'fortran_order': False, }", good_rows),
    "header_no_newline": npy(hdr("(2, 4)") + " " * 5, good_rows, pad=False),
    "truncated_header": b"\x93NUMPY\x01\x00\x76\x00{'descr': '<f8',",
}
for k, v in npys.items():
    put("npy", k + ".npy", v)

# ---- LIBSVM ----------------------------------------------------------------
libsvm = {
    "label_not_number": "1 1:2\nabc 1:1 2:3\n",
    "feature_no_colon": "1 1:2 3\n",
    "index_zero": "1 0:2 3:1\n",
    "index_unsorted": "1 1:2 2:1\n0.5 3:1 2:1\n",
    "index_duplicate": "1 1:2 1:1\n",
    "index_not_integer": "1 a:2\n",
    "index_huge": "1 99999999999999999999:2\n",
    "index_beyond_uint32": "1 4294967296:2\n",
    "value_not_number": "1 1:2 2:x\n",
    "value_nan": "1 1:2\n-1 2:nan\n",
    "label_inf": "inf 1:2\n",
    "no_features": "1\n2\n",
}
for k, v in libsvm.items():
    put("libsvm", k + ".libsvm", v)
put("libsvm", "weights_count.libsvm", "1 1:2\n0 2:1\n1 1:1\n")
put("libsvm", "weights_count.libsvm.weights", "4\n9\n")
put("libsvm", "weights_extra.libsvm", "1 1:2\n0 2:1\n")
put("libsvm", "weights_extra.libsvm.weights", "4\n9\n1\n")
put("libsvm", "weight_negative.libsvm", "1 1:2\n0 2:1\n")
put("libsvm", "weight_negative.libsvm.weights", "4\n-9\n")
put("libsvm", "weight_not_number.libsvm", "1 1:2\n0 2:1\n")
put("libsvm", "weight_not_number.libsvm.weights", "4\nheavy\n")


def sidecar(fmt, samples, dim, nnz, **kw):
    s = {"relugap_version": "0.1.0", "schema": 1, "kind": "training_set", "format": fmt,
         "shape": {"samples": samples, "dim": dim, "nnz": nnz}}
    s.update(kw)
    return json.dumps(s, indent=2) + "\n"


put("libsvm", "index_beyond_sidecar_dim.libsvm", "1 1:2\n0 3:1\n")
put("libsvm", "index_beyond_sidecar_dim.libsvm.json", sidecar("libsvm", 2, 2, 2))

# ---- CSV -------------------------------------------------------------------
csv = {
    "header_missing": "1,2,3\n4,5,6\n",
    "header_wrong_name": "x0,x2,y,c\n1,2,3,1\n",
    "header_no_features": "y,c\n1,1\n",
    "ragged_short": "x0,x1,y,c\n1,2,3,1\n1,2,3\n",
    "ragged_long": "x0,x1,y,c\n1,2,3,1,5\n",
    "value_not_number": "x0,x1,y,c\n1,two,3,1\n",
    "value_empty": "x0,x1,y,c\n1,,3,1\n",
    "nan_feature": "x0,x1,y,c\n1,2,3,1\n\n1,NaN,3,1\n",
    "inf_label": "x0,x1,y,c\n1,2,-inf,1\n",
    "weight_zero": "x0,x1,y,c\n1,2,3,0\n",
    "weight_negative": "x0,x1,y,c\n1,2,3,1\n1,2,3,-0.5\n",
    "empty": "\n\n",
}
for k, v in csv.items():
    put("csv", k + ".csv", v)

# ---- sidecars (a valid CSV set with a bad DATA.json) -----------------------
good_csv = "x0,x1,y,c\n1,0,0.5,1\n0,2,-1,4\n"
sidecars = {
    "syntax_error": '{\n  "relugap_version": "0.1.0",\n  "kind": "training_set"\n  "format": "csv"\n}\n',
    "truncated": '{\n  "relugap_version": "0.1.0",\n  "kind": "training_set",\n',
    "wrong_kind": sidecar("csv", 2, 2, 2, kind="network"),
    "format_mismatch": sidecar("npy", 2, 2, 2),
    "samples_mismatch": sidecar("csv", 5, 2, 2),
    "dim_mismatch": sidecar("csv", 2, 3, 2),
    "missing_version": '{"kind": "training_set", "format": "csv"}\n',
    "bad_exact_bound": sidecar("csv", 2, 2, 2, bounds={"exact": {"K": "1/0"}}),
    "not_an_object": "[1, 2, 3]\n",
}
for k, v in sidecars.items():
    put("sidecar", k + ".csv", good_csv)
    put("sidecar", k + ".csv.json", v)

# ---- networks ----------------------------------------------------------------
def net(**kw):
    n = {"kind": "network", "dim": 2, "units": [{"a": 1, "w": [0.5, -1]}]}
    n.update(kw)
    return json.dumps(n, indent=2) + "\n"


networks = {
    "syntax_error": '{\n  "kind": "network",\n  "dim": 2,\n  "units": [ {"a": 1, "w": [0.5, -1]}, ]\n}\n',
    "wrong_kind": net(kind="graph"),
    "missing_units": '{"kind": "network", "dim": 2}\n',
    "empty_units": net(units=[]),
    "width_mismatch": net(units=[{"a": 1, "w": [0.5, -1]}, {"a": 1, "w": [1]}]),
    "bad_rational": net(units=[{"a": "1/0", "w": [0.5, -1]}]),
    "bad_value_type": net(units=[{"a": 1, "w": [0.5, True]}]),
    "dim_zero": net(dim=0),
    "sidecar_without_certificate": sidecar("csv", 2, 2, 2, certificate=None),
}
for k, v in networks.items():
    put("network", k + ".json", v)

# ---- fuzzing regressions (docs/dev/fuzzing.md) ---------------------------
# Inputs on which a fuzz target crashed before the reader was fixed.
# A 13-byte edge list naming vertex 9999999: the graph would be allocated with
# ~10^7 vertices (~1 GB) for one edge. Found by fuzz_edge_list (OOM).
put("graph", "edgelist_isolated.txt", "9999 9999999\n")
put("graph", "dimacs_isolated.clq", "p edge 16777216 1\ne 1 2\n")
# A JSON number beyond the range of a double: nlohmann::json throws
# out_of_range (406), which escaped the readers. Found by fuzz_network.
put("network", "number_overflow.json", '{"kind": "network", "dim": 1,\n  "units": [{"a": 1e9999, "w": [1]}]}\n')
put("sidecar", "number_overflow.csv", good_csv)
put("sidecar", "number_overflow.csv.json",
    sidecar("csv", 2, 2, 2, bounds={"loss_lower": "BIG"}).replace('"BIG"', "-1e400"))
# A sidecar dimension beyond the 32-bit feature indices (the NPY reader already refused it).
put("libsvm", "sidecar_dim_huge.libsvm", "1 1:2\n0 3:1\n")
put("libsvm", "sidecar_dim_huge.libsvm.json", sidecar("libsvm", 2, 10**15, 2))
# A 4 KB network of "1e999999" strings: each a million-digit rational (10 minutes
# and gigabytes to print back). Decimal exponents are now bounded by +-1000.
put("network", "rational_exponent_huge.json", net(units=[{"a": "1e999999", "w": [0.5, "-1e-1001"]}]))
