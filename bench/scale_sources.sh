# Sourced by the scale benches (bench/scale_families.sh, bench/solve_at_scale.sh,
# bench/scale_setcover.sh): the awk-written sources they size from a target number of
# output nonzeros (gen's coin flips are too slow at these sizes).
# ring N FILE: a ring-like DIMACS graph, n vertices, edges {u, u+k}, k = 1..5 (degree 10,
# about 5n edges).
ring() {
  awk -v n="$1" 'BEGIN { m = 0; for (k = 1; k <= 5; ++k) if (n > k) m += n - k; print "p edge " n " " m;
    for (u = 1; u <= n; ++u) for (k = 1; k <= 5; ++k) if (u + k <= n) print "e " u " " u + k }' > "$2"
}
# setcover_src N FILE: an OR-Library set cover with n elements and n unit-cost sets, each
# element in d = 10 sets (element i in the sets i + k*floor(n/10), k < 10); its weighted
# reduction has 4n + 11n + 1 = 15n + 1 nonzeros.
setcover_src() {
  awk -v n="$1" -v m="$1" -v d=10 'BEGIN {
    print n, m
    for (j = 1; j <= m; ++j) printf "1%s", (j % 12 == 0 || j == m) ? "\n" : " "
    step = int(m / d)
    for (i = 0; i < n; ++i) {
      print d
      for (k = 0; k < d; ++k) printf "%d%s", ((i + k * step) % m) + 1, (k == d - 1) ? "\n" : " "
    }
  }' > "$2"
}
