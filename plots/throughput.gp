# throughput.gp: trucks per day after warm-up: departures of each station
# (left) and completed trucks of each class (right), mean across
# replications with the 95 % confidence interval.
# From tcsim: data (block 0 stations, block 1 classes: index, mean, ci95),
# nst, st1.., top_st, ncl, cl1.., top_cl, title, sub; nobs (observed daily
# departures, 0 for none) and obs (station index, value), drawn over the bars.
load plotdir.'/lib.gp'
Wd = 560 + 60 * (nst + ncl)
Wd = (Wd < 1000) ? 1000 : Wd
W = pw(Wd)
H = page_h(Wd, 580, 240)
load plotdir.'/style.gp'
set multiplot
set label 10 title at screen 0.5, screen 1 - 22.0 / H center font ',14'
set label 11 sub.': mean across replications, bars: 95 % confidence interval' at screen 0.5, screen 1 - 46.0 / H center font ',10' tc rgb '#444444'
split = (nst + 1.5) / (nst + ncl + 3.0)
# the right panel keeps room for its title and label however many stations
split = (split > 1 - 330.0 / W) ? 1 - 330.0 / W : split
set tmargin at screen 1 - 110.0 / H
set bmargin at screen 130.0 / H
set style fill solid 1.0 noborder
set boxwidth 0.6
set grid noxtics
unset key
# the two panels have their own y scales, so each has its own label
set ylabel 'departures per day'
set title 'departures per station' font ',11'
set lmargin at screen 80.0 / W
set rmargin at screen split - 30.0 / W
set yrange [0:(top_st > 0 ? top_st * 1.1 : 1)]
set xrange [-0.6:nst - 0.4]
set xtics ()
do for [i = 1:nst] { set xtics add (value(sprintf('st%d', i)) i - 1) }
set xtics rotate by -30 left
if (!exists('nobs')) { nobs = 0 }
if (!exists('obs')) { obs = data }  # never read (its loops are empty): a file that exists
if (nobs > 0) { set key top right font ',9' samplen 1 }
plot data index 0 u 1:2 w boxes lc rgb col(1) notitle, \
     '' index 0 u 1:($2 - $3):(0):(2 * $3) w vectors heads size screen 0.006,90 lw 1.5 lc rgb '#222222' notitle, \
     '' index 0 u 1:($2 + $3):(sprintf('%.0f', $2)) w labels offset 0, 0.8 font ',10' notitle, \
     for [q = 1:(nobs > 0)] obs u 1:2 w p pt 7 ps 0.9 lc rgb '#000000' t 'observed (a day each)'
unset key
unset label 10
unset label 11
set title 'completed trucks per class' font ',11'
set ylabel 'completed trucks per day'
set lmargin at screen split + 80.0 / W
set rmargin at screen 1 - 25.0 / W
set yrange [0:(top_cl > 0 ? top_cl * 1.1 : 1)]
set xrange [-0.6:ncl - 0.4]
set xtics ()
do for [i = 1:ncl] { set xtics add (value(sprintf('cl%d', i)) i - 1) }
plot data index 1 u 1:2 w boxes lc rgb col(3), \
     '' index 1 u 1:($2 - $3):(0):(2 * $3) w vectors heads size screen 0.006,90 lw 1.5 lc rgb '#222222', \
     '' index 1 u 1:($2 + $3):(sprintf('%.0f', $2)) w labels offset 0, 0.8 font ',10'
unset multiplot
