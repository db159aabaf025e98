# utilization.gp: utilization of each station with a finite number of
# servers (busy servers / servers open, time-average after warm-up): mean
# across replications, with its 95 % confidence interval.
# From tcsim: data (index, mean, ci95), n, lb1..lbN ("name (servers)"),
# top, note (stations with unlimited servers, left out), title, sub.
load plotdir.'/lib.gp'
Wd = (n > 8) ? 400 + 75 * n : 1000
W = pw(Wd)
H = page_h(Wd, 560, 200)
load plotdir.'/style.gp'
set label 10 title at screen 0.5, screen 1 - 22.0 / H center font ',14'
set label 11 sub.': mean across replications, bars: 95 % confidence interval' at screen 0.5, screen 1 - 46.0 / H center font ',10' tc rgb '#444444'
set tmargin at screen 1 - 80.0 / H
set ylabel 'utilization (busy / open servers)'
set yrange [0:(top > 1 ? top * 1.08 : 1.08)]
set xrange [-0.6:n - 0.4]
set xtics () 
do for [i = 1:n] { set xtics add (value(sprintf('lb%d', i)) i - 1) }
if (n > 6) { set xtics rotate by -30 left }
set xlabel 'station (servers)'
set boxwidth 0.6
set grid noxtics
unset key
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb '#999999'
if (strlen(note) > 0) {
    set label 1 'not shown (unlimited servers): '.note at graph 0.01, graph 1.03 left font ',9' tc rgb '#666666'
}
set style fill solid 1.0 noborder
plot data u 1:2 w boxes lc rgb col(1), \
     '' u 1:($2 - $3):(0):(2 * $3) w vectors heads size screen 0.006,90 lw 1.5 lc rgb '#222222', \
     '' u 1:($2 + $3):(sprintf('%.2f', $2)) w labels offset 0, 0.8 font ',10'
