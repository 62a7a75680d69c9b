# CPU time and peak memory of `relugap reduce` against output nonzeros, log-log,
# one line per family (its weighted form; the setcover weighted form writes doubles
# directly), from the CSV of bench/scale_families.sh. The key gives each line's
# least-squares slope over the points from 1e5 to 1e8 nonzeros (CPU seconds are
# to 0.01 s, so the smallest points are coarse; a 0.00 s point is not drawn).
#   gnuplot -c bench/scale_families.gp docs/results/scale-families.csv docs/results/scale-families.svg
csv = ARG1 eq "" ? "docs/results/scale-families.csv" : ARG1
out = ARG2 eq "" ? "docs/results/scale-families.svg" : ARG2
set terminal svg size 1100,480 dynamic enhanced font "sans,12"
set output out
set datafile separator ","
set logscale xy
set grid
set key top left
set format x "10^{%L}"
set xlabel "output nonzeros"
families = "dks maxcut sat1 sat2 satk setcover"
sel(f) = sprintf("< awk -F, '$1 == \"%s\" && $2 == \"weighted\"' '%s' | sort -t, -k3,3n", f, csv)
array cpu_slope[words(families)]
array mem_slope[words(families)]
do for [i = 1:words(families)] {
  f = word(families, i)
  undefine STATS_*
  stats sel(f) using ($3 >= 50000 && $3 <= 150000000 ? log($3) : NaN):(log($5)) nooutput
  cpu_slope[i] = exists("STATS_slope") ? STATS_slope : NaN
  undefine STATS_*
  stats sel(f) using ($3 >= 50000 && $3 <= 150000000 ? log($3) : NaN):(log($6)) nooutput
  mem_slope[i] = exists("STATS_slope") ? STATS_slope : NaN
}
set xrange [5e3:5e8]  # after the stats: stats honours the range
set multiplot layout 1,2
set ylabel "CPU seconds (user + sys)"
set title "reduce: CPU time"
plot for [i = 1:words(families)] sel(word(families, i)) using 3:5 with linespoints lw 2 pt 7 \
  title sprintf("%s (slope %.2f)", word(families, i), cpu_slope[i])
set ylabel "peak RSS (MB)"
set title "reduce: peak memory"
plot for [i = 1:words(families)] sel(word(families, i)) using 3:6 with linespoints lw 2 pt 7 \
  title sprintf("%s (slope %.2f)", word(families, i), mem_slope[i])
unset multiplot
