# stations.gp: trucks present, waiting for a server and blocked at each
# station over time, one panel per station, and a last panel of the total
# stock (present at every station and on every road): the mean across
# replications (thick line) and its 95 % confidence band (thin dashed lines
# of the same colour, per sample: not smoothed, and the legend says so). Lines, not shaded
# areas: overlapping shades would mix colours the legend does not show.
# The warm-up, which the statistics leave out, is shaded grey; the times a
# station is closed are hatched, other scheduled events are dotted lines.
# With few samples (12-hourly, say) every sample is a point: the lines
# between them are not what happened in between.
# From tcsim: data (stations.dat, one block per station: t, then mean, lo, hi
# of present, waiting, blocked; then one block of the total: t, mean, lo,
# hi), nst, st1..stN (names), ymax1..ymaxN, ytot, nroad, nsamp, closures
# (one block per station: from, to), ncl1..nclN, events, nev, warm, tmax,
# tlabel, nxt, xtp1.., xtl1.. (date ticks), title, sub, nrep; nobs (observed
# points drawn, 0 for none) and with them obs (one block per station: t,
# value), nob1..nobN, obst and nobt1 (the total stock's points).
load plotdir.'/lib.gp'
np = nst + 1
# two columns on a wide page; one on a narrow one (a PDF 16 cm wide)
cols = (np <= 3 || (uw > 0 && uw < 1100)) ? 1 : 2
rows = int((np + cols - 1) / cols)
Wd = (cols == 1) ? 1000 : 1300
W = pw(Wd)
array lt[8] = ['present', 'waiting for a server', 'blocked (served, no room downstream)', '95 % band per sample (not smoothed)', 'warm-up (not in the statistics)', 'station closed', 'event', 'observed']
array lc[8] = [col(1), col(2), col(4), '#444444', '#e4e4e4', '#9a9a9a', '#777777', '#000000']
array lw[8] = [3, 1.5, 1.5, 0.8, 1, 1, 1, 1]
array lk[8] = ['line', 'line', 'line', 'line', 'box', 'hatch', 'line', 'point']
array ldt[8] = [1, 1, 1, 2, 1, 1, 3, 1]
# only what is drawn is in the legend
ncl_all = 0
do for [i = 1:nst] { ncl_all = ncl_all + value(sprintf('ncl%d', i)) }
if (!exists('nobs')) { nobs = 0 }
if (!exists('obs')) { obs = data }  # never read (its loops are empty): a file that exists
if (!exists('obst')) { obst = data }
array show[8] = [1, 1, 1, (nrep > 1), (warm > 0), (ncl_all > 0), (nev > 0), (nobs > 0)]
# observed points in panel i (the last: the total stock)
nob(i) = (nobs == 0) ? 0 : ((i <= nst) ? value(sprintf('nob%d', i)) : nobt1)
# the rows of the legend, as drawn below, make the header
lrows = 1
lx = 20
do for [k = 1:8] {
    if (show[k]) {
        if (lx + legend_w(lt[k]) > W - 10) { lrows = lrows + 1; lx = 20 }
        lx = lx + legend_w(lt[k])
    }
}
hdr = 96 + 22 * lrows
ph = panel_h(Wd, (np == 2) ? 290 : 240, hdr, rows)
# tics on the y axis: a round step giving one every 45 units or so
ystep(top) = (top / (ph / 45.0 > 2 ? ph / 45.0 : 2))
ynice(x) = (x / 10 ** floor(log10(x)) < 1.5 ? 1 : (x / 10 ** floor(log10(x)) < 3.5 ? 2 : \
    (x / 10 ** floor(log10(x)) < 7.5 ? 5 : 10))) * 10 ** floor(log10(x))
H = hdr + ph * rows
load plotdir.'/style.gp'

set multiplot
set label 10 title at screen 0.5, screen 1 - 22.0 / H center font ',14'
set label 11 sub.(nrep > 1 ? ': mean across replications' : ': one replication, so no confidence band') at screen 0.5, screen 1 - 46.0 / H center font ',10' tc rgb '#444444'
lx = W / 2.0
do for [k = 1:8] { if (show[k]) { lx = lx - legend_w(lt[k]) / 2.0 } }
lrow = 72
if (lrows > 1) { lx = 20 }
do for [k = 1:8] {
    if (show[k]) {
        if (lx + legend_w(lt[k]) > W - 10) { lrow = lrow + 22; lx = 20 }
        lg_k = k; lg_x = lx; lg_y = lrow; lg_text = lt[k]; lg_c = lc[k]; lg_lw = lw[k]
        lg_kind = lk[k]; lg_dt = ldt[k]; lg_pt = (k == 8) ? 7 : 0
        load plotdir.'/legend.gp'
        lx = lx + legend_w(lt[k])
    }
}
unset key
set xrange [0:tmax]
if (nxt > 0) {
    set xtics () font ',9'
    do for [k = 1:nxt] { set xtics add (value(sprintf('xtl%d', k)) value(sprintf('xtp%d', k))) }
}
set xlabel tlabel offset 0, 0.5 font ',9'
set ylabel 'trucks' offset 1, 0 font ',9'
# few samples: a point at each (the line between two is no measurement)
pts = (nsamp <= 60) ? 1 : 0
set style fill solid 1.0 noborder
do for [i = 1:np] {
    set lmargin at screen panel_l(i, cols)
    set rmargin at screen panel_r(i, cols)
    set tmargin at screen panel_t(i, cols, hdr, ph)
    set bmargin at screen panel_b(i, cols, hdr, ph)
    ym = (i <= nst) ? value(sprintf('ymax%d', i)) : ytot
    ytop = (ym > 0 ? ym * 1.08 : 1)
    set yrange [0:ytop]
    set ytics 0, ynice(ystep(ytop))
    unset object 1
    if (warm > 0) {
        set object 1 rect from 0, graph 0 to warm, graph 1 behind fc rgb '#e4e4e4' fs solid 1.0 noborder
    }
    nc = (i <= nst) ? value(sprintf('ncl%d', i)) : 0
    ne = nev
    if (i <= nst) {
        set title value(sprintf('st%d', i)) offset 0, -0.6 font ',11'
        plot for [q = 1:(nc > 0)] closures index (i - 1) u 1:(0):1:2:(0):(ytop) w boxxyerror \
                 fc rgb '#9a9a9a' fs transparent pattern 4 noborder notitle, \
             for [q = 1:(ne > 0)] events u 1:(ytop) w impulses dt 3 lw 1 lc rgb '#777777' notitle, \
             data index (i - 1) u 1:3 w l lw 0.8 dt 2 lc rgb col(1) notitle, \
             '' index (i - 1) u 1:4 w l lw 0.8 dt 2 lc rgb col(1) notitle, \
             '' index (i - 1) u 1:6 w l lw 0.8 dt 2 lc rgb col(2) notitle, \
             '' index (i - 1) u 1:7 w l lw 0.8 dt 2 lc rgb col(2) notitle, \
             '' index (i - 1) u 1:9 w l lw 0.8 dt 2 lc rgb col(4) notitle, \
             '' index (i - 1) u 1:10 w l lw 0.8 dt 2 lc rgb col(4) notitle, \
             '' index (i - 1) u 1:2 w l lw 3 lc rgb col(1) notitle, \
             '' index (i - 1) u 1:5 w l lw 1.5 lc rgb col(2) notitle, \
             '' index (i - 1) u 1:8 w l lw 1.5 lc rgb col(4) notitle, \
             for [q = 1:pts] '' index (i - 1) u 1:2 w p pt 7 ps 0.6 lc rgb col(1) notitle, \
             for [q = 1:pts] '' index (i - 1) u 1:5 w p pt 7 ps 0.5 lc rgb col(2) notitle, \
             for [q = 1:pts] '' index (i - 1) u 1:8 w p pt 7 ps 0.5 lc rgb col(4) notitle, \
             for [q = 1:(nob(i) > 0)] obs index (i - 1) u 1:2 w p pt 7 ps 0.9 lc rgb '#000000' notitle
    } else {
        set title (nroad > 0 ? 'total stock: present at all stations and on all roads' : 'total stock: present at all stations') offset 0, -0.6 font ',11'
        plot for [q = 1:(ne > 0)] events u 1:(ytop) w impulses dt 3 lw 1 lc rgb '#777777' notitle, \
             data index nst u 1:3 w l lw 0.8 dt 2 lc rgb col(1) notitle, \
             '' index nst u 1:4 w l lw 0.8 dt 2 lc rgb col(1) notitle, \
             '' index nst u 1:2 w l lw 3 lc rgb col(1) notitle, \
             for [q = 1:pts] '' index nst u 1:2 w p pt 7 ps 0.6 lc rgb col(1) notitle, \
             for [q = 1:(nob(i) > 0)] obst index 0 u 1:2 w p pt 7 ps 0.9 lc rgb '#000000' notitle
    }
    unset label 10
    unset label 11
    do for [k = 1:8] {
        unset arrow 100 + k
        unset label 100 + k
        unset label 200 + k
        unset object 100 + k
    }
}
unset multiplot
