set terminal pngcairo size 900,600 noenhanced
set output './eps_scaling.png'
set datafile separator ','
set key center right box opaque
set logscale x 2
set grid
set xlabel 'n (vertices)'
set ylabel 'epsilon * sqrt(n)'
set title 'Max-2Lin(2) -> one ReLU in the unit ball, D = 9, c = 1'
limit = 0.1380711875
s = 0.8142696805
f(x) = limit - (2 - 2*s)/(2*sqrt(x))
plot './eps_scaling.csv' every ::1 using 1:15 with points pt 7 ps 0.8 title 'certified eps*sqrt(n) (each pair)', \
     './eps_summary.csv' every ::1 using 1:4 with linespoints lw 2 title 'certified, mean', \
     './eps_summary.csv' every ::1 using 1:6 with linespoints lw 2 dt 2 title 'gd: (L_NO - L_YES)*sqrt(n), mean', \
     [16:2048] f(x) with lines lw 1 title 'theory (eigenvalue bound s_inf)', \
     [16:2048] limit with lines lc rgb 'black' dt 2 lw 1.5 title 'limit sqrt(2)(sqrt(c)-sqrt(s_inf))'
