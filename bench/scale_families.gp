# CPU time and peak memory of `relugap reduce` against output nonzeros, log-log,
# one line per family and form, from the CSV of bench/scale_families.sh. FORMS (ARG3,
# default "weighted"): the forms drawn, e.g. "unweighted unit-ball" (maxcut has only its
# weighted form; a family/form pair without rows is drawn as an empty key entry). The key
# gives each line's least-squares slope over the points from 1e5 to 2e8 nonzeros (CPU
# seconds are to 0.01 s, so the smallest points are coarse; a 0.00 s point is not drawn).
#   gnuplot -c bench/scale_families.gp docs/results/scale-families.csv docs/results/scale-families.svg
#   gnuplot -c bench/scale_families.gp docs/results/scale-families.csv docs/results/scale-families-folded.svg "unweighted unit-ball"
csv = ARG1 eq "" ? "docs/results/scale-families.csv" : ARG1
out = ARG2 eq "" ? "docs/results/scale-families.svg" : ARG2
forms = ARG3 eq "" ? "weighted" : ARG3
set terminal svg size 1100,480 dynamic enhanced font "sans,12"
set output out
set datafile separator ","
set logscale xy
set grid
set key top left
set format x "10^{%L}"
set xlabel "output nonzeros"
all_families = "dks maxcut sat1 sat2 satk setcover"
# The lines: every family with every form in FORMS (maxcut: weighted only).
lines = ""
do for [f in all_families] {
  do for [fm in forms] {
    if (f ne "maxcut" || fm eq "weighted") { lines = lines . " " . f . ":" . fm }
  }
}
fam(l) = l[1:strstrt(l, ":") - 1]
frm(l) = l[strstrt(l, ":") + 1:]
label(l) = frm(l) eq "weighted" ? fam(l) : fam(l) . " --" . frm(l)
sel(l) = sprintf("< awk -F, '$1 == \"%s\" && $2 == \"%s\"' '%s' | sort -t, -k3,3n", fam(l), frm(l), csv)
array cpu_slope[words(lines)]
array mem_slope[words(lines)]
do for [i = 1:words(lines)] {
  l = word(lines, i)
  undefine STATS_*
  stats sel(l) using ($3 >= 50000 && $3 <= 200000000 ? log($3) : NaN):(log($5)) nooutput
  cpu_slope[i] = exists("STATS_slope") ? STATS_slope : NaN
  undefine STATS_*
  stats sel(l) using ($3 >= 50000 && $3 <= 200000000 ? log($3) : NaN):(log($6)) nooutput
  mem_slope[i] = exists("STATS_slope") ? STATS_slope : NaN
}
set xrange [5e3:5e8]  # after the stats: stats honours the range
set multiplot layout 1,2
set ylabel "CPU seconds (user + sys)"
set title "reduce: CPU time"
plot for [i = 1:words(lines)] sel(word(lines, i)) using 3:5 with linespoints lw 2 pt 7 \
  title sprintf("%s (slope %.2f)", label(word(lines, i)), cpu_slope[i])
set ylabel "peak RSS (MB)"
set title "reduce: peak memory"
plot for [i = 1:words(lines)] sel(word(lines, i)) using 3:6 with linespoints lw 2 pt 7 \
  title sprintf("%s (slope %.2f)", label(word(lines, i)), mem_slope[i])
unset multiplot
