# time_in_system.gp: the distribution of time in system per class: the
# empirical CDF of every served truck of trucks.csv (when the run had
# --trace), and the p50, p90, p95 and p99 of summary.json (mean across
# replications with its 95 % interval, as horizontal bars).
# From tcsim: cdf, ncd, cd1.. (class names), cdc1.. (colour index), cdn1..
# (trucks), marks, nmk, mk1.., mkc1.., have_trace, xunit, xmax, ncut and
# nall (served trucks beyond xmax, and all), title, sub.
load plotdir.'/lib.gp'
W = pw(1000)
H = page_h(1000, 560, 150)
load plotdir.'/style.gp'
set label 10 title at screen 0.5, screen 1 - 22.0 / H center font ',14'
set label 11 sub at screen 0.5, screen 1 - 46.0 / H center font ',10' tc rgb '#444444'
set label 12 (have_trace ? 'curves: every served truck, replications pooled; points: p50, p90, p95, p99 (mean across replications, bars: 95 % CI)' : 'points: p50, p90, p95, p99 (mean across replications, bars: 95 % CI)') at screen 0.5, screen 1 - 64.0 / H center font ',10' tc rgb '#444444'
set tmargin at screen 1 - 88.0 / H
set xlabel 'time in system ('.xunit.')'
set ylabel 'fraction of served trucks'
set xrange [0:xmax]
set yrange [0:1.02]
set ytics 0, 0.1, 1
# the percentiles on the right axis, with faint guides across
set y2range [0:1.02]
set y2tics ('p50' 0.5, 'p90' 0.9, 'p95' 0.95, 'p99' 0.99) tc rgb '#444444'
set arrow 1 from graph 0, first 0.5 to graph 1, first 0.5 nohead dt 3 lc rgb '#bbbbbb' back
set arrow 2 from graph 0, first 0.9 to graph 1, first 0.9 nohead dt 3 lc rgb '#bbbbbb' back
set arrow 3 from graph 0, first 0.99 to graph 1, first 0.99 nohead dt 3 lc rgb '#bbbbbb' back
set arrow 4 from graph 0, first 0.95 to graph 1, first 0.95 nohead dt 3 lc rgb '#bbbbbb' back
set key bottom right
if (have_trace && ncut > 0) {
    set label 3 sprintf('x-axis cut at %.3g %s: %d of %d trucks beyond', xmax, xunit, ncut, nall) \
        at graph 0.99, graph 0.32 right font ',9' tc rgb '#444444'
}
if (!have_trace) {
    set label 1 "trucks.csv not found: only the percentiles of summary.json are drawn.\nRun with --trace for the full distribution." at graph 0.02, graph 0.96 left font ',10' tc rgb col(4)
}
if (ncd > 0 && nmk > 0) {
    plot for [i = 1:ncd] cdf index (i - 1) u 1:2 w steps lw 1.8 lc rgb col(value(sprintf('cdc%d', i))) \
             t sprintf('%s (%d trucks)', value(sprintf('cd%d', i)), value(sprintf('cdn%d', i))), \
         for [i = 1:nmk] marks index (i - 1) u 1:3:($1 - $2):($1 + $2) w xerrorbars pt 7 ps 0.9 lw 1.5 \
             lc rgb col(value(sprintf('mkc%d', i))) notitle
} else {
    if (nmk > 0) {
        plot for [i = 1:nmk] marks index (i - 1) u 1:3:($1 - $2):($1 + $2) w xerrorbars pt 7 ps 1 lw 1.5 \
                 lc rgb col(value(sprintf('mkc%d', i))) t value(sprintf('mk%d', i)).' (p50, p90, p95, p99)'
    } else {
        set label 2 'no truck completed after the warm-up' at graph 0.5, graph 0.5 center font ',12'
        plot NaN notitle
    }
}
