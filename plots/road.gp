# road.gp: the road queue in front of each entry station over time, in km
# (right axis: trucks): the mean across replications and its 95 % band.
# From tcsim: data (road.dat, one block per road: t, km mean, lo, hi),
# nroad, rd1..rdN, rdst1.. (the station each road leads to), tlabel, nxt,
# xtp1.., xtl1.. (date ticks), warm, tmax, closures, ncl1.., events, nev
# (as for stations.gp: the closures of the road's station are shaded, other
# events dotted), truck_m, ymax, empty (no queue in any replication, by
# max_trucks), unsampled and most (a queue of up to `most` trucks that the
# samples missed), nsamp (with 60 or fewer, a point at each), title, sub, nrep;
# nobs (observed points, 0 for none), obs (one block per road: t, km), nobr1...
load plotdir.'/lib.gp'
W = pw(1000)
H = page_h(1000, 540, 150)
load plotdir.'/style.gp'
set label 10 title at screen 0.5, screen 1 - 22.0 / H center font ',14'
# one road: its band shaded; several: bands as thin dashed lines, since
# overlapping shades would mix into colours the legend does not show
shade = (nroad == 1)
set label 11 sub.(nrep > 1 ? (shade ? ': mean across replications (line), 95 % confidence band (shade)' : ': mean across replications (line), 95 % confidence band (thin dashed)') : ': one replication, so no confidence band') at screen 0.5, screen 1 - 46.0 / H center font ',10' tc rgb '#444444'
set key at screen 0.5, screen 1 - 70.0 / H center center horizontal maxrows 1 width 2 font ',10' samplen 3
set tmargin at screen 1 - 90.0 / H
set xrange [0:tmax]
set xlabel tlabel
if (nxt > 0) {
    set xtics ()
    do for [k = 1:nxt] { set xtics add (value(sprintf('xtl%d', k)) value(sprintf('xtp%d', k))) }
}
set ylabel 'road queue (km)'
set yrange [0:(ymax > 0 ? ymax * 1.08 : 1)]
set y2label sprintf('trucks on the road (%g m each)', truck_m)
set link y2 via y * 1000.0 / truck_m inverse y * truck_m / 1000.0
# tics of the linked trucks axis: a round step giving about six of them
y2top = (ymax > 0 ? ymax * 1.08 : 1) * 1000.0 / truck_m
y2raw = y2top / 6.0
y2mag = 10 ** floor(log10(y2raw))
y2r = y2raw / y2mag
y2step = (y2r < 1.5 ? 1 : (y2r < 3.5 ? 2 : (y2r < 7.5 ? 5 : 10))) * y2mag
set y2tics 0, y2step
if (warm > 0) {
    set object 1 rect from 0, graph 0 to warm, graph 1 behind fc rgb '#eeeeee' fs solid 1.0 noborder
    if (warm / tmax > 0.08) {
        set label 1 'warm-up' at warm / 2.0, graph 0.95 center tc rgb '#888888' font ',9'
    }
}
if (empty) {
    set label 2 'no road queue formed in any replication' at graph 0.5, graph 0.5 center font ',12' tc rgb '#555555'
}
if (unsampled) {
    set label 2 sprintf("a road queue of up to %g trucks formed and cleared between samples\n(max_trucks of summary.json); the samples drawn here missed it", most) at graph 0.5, graph 0.5 center font ',12' tc rgb '#555555'
}
ytop = (ymax > 0 ? ymax * 1.08 : 1)
if (!exists('nobs')) { nobs = 0 }
if (!exists('obs')) { obs = data }  # never read (its loops are empty): a file that exists
# the road whose points carry the legend entry
obsfirst = 0
do for [i = 1:nroad * (nobs > 0)] { if (obsfirst == 0 && value(sprintf('nobr%d', i)) > 0) { obsfirst = i } }
plot for [i = 1:nroad] for [q = 1:(value(sprintf('ncl%d', value(sprintf('rdst%d', i)))) > 0)] \
         closures index (value(sprintf('rdst%d', i)) - 1) u 1:(0):1:2:(0):(ytop) w boxxyerror \
         fc rgb '#9a9a9a' fs transparent pattern 4 noborder t (i == 1 ? 'station closed' : ''), \
     for [q = 1:(nev > 0)] events u 1:(ytop) w impulses dt 3 lw 1 lc rgb '#777777' t 'event', \
     for [i = 1:nroad * shade] data index (i - 1) u 1:3:4 w filledcurves fc rgb col(i) notitle, \
     for [i = 1:nroad * !shade] data index (i - 1) u 1:3 w l lw 0.8 dt 2 lc rgb col(i) notitle, \
     for [i = 1:nroad * !shade] data index (i - 1) u 1:4 w l lw 0.8 dt 2 lc rgb col(i) notitle, \
     for [i = 1:nroad] data index (i - 1) u 1:2 w l lw 1.8 lc rgb col(i) t 'road to '.value(sprintf('rd%d', i)), \
     for [i = 1:nroad * (nsamp <= 60)] data index (i - 1) u 1:2 w p pt 7 ps 0.6 lc rgb col(i) notitle, \
     for [i = 1:nroad * (nobs > 0)] for [q = 1:(value(sprintf('nobr%d', i)) > 0)] obs index (i - 1) u 1:2 w p pt 7 ps 0.9 lc rgb '#000000' t (i == obsfirst ? 'observed' : '')
