# sweep.gp: a KPI of a sweep against the first varied key, with 95 %
# confidence bars. With one varied key: one line per member (station, class
# or road) in one panel; with more: one panel per member and one line per
# value of the other keys.
# From tcsim: data (one block per (member, series): x, mean, ci95), nm, m1..,
# ns, s1.., stitle (the key of the series), xlab, ylab, scope, xnum, nx,
# xl1..xlN (the values of the first key: tick labels at x = 0..nx-1 when they
# are not numbers), xt0, xtstep (integer x: ticks at the values when few), ymax, ym1.. (tops of the bars), title,
# sub, note (members left out, and why), nover (points of overloaded
# variants: a 4th column of 1 in the data), uw, uh (the page, lib.gp).
# Every series has its own colour, dash and point type (none hides under
# another unseen), and the legend is drawn above the panels, never on data.
panels = (ns > 1) ? nm : 1
# several series: a panel per member and the series in a legend of their own
# (also with one member, whose one panel would otherwise show the first series only)
multi = (ns > 1)
cols = (panels <= 2) ? panels : ((panels <= 4) ? 2 : 3)
rows = int((panels + cols - 1) / cols)
load plotdir.'/lib.gp'
Wd = (cols == 1) ? 1000 : 540 * cols
W = pw(Wd)
# the legend: the series (several keys) or the members (one key), in rows of
# entries that fit the width, then the mark of overloaded variants
nlg = multi ? ns : nm
lgtext(k) = multi ? value(sprintf('s%d', k)) : value(sprintf('m%d', k))
lgw(k) = legend_w(lgtext(k))
ovtext = 'overloaded (offered load >= 1)'
lhead = (multi && strlen(stitle) > 0) ? stitle.':' : ''
lrows = 1
lx = 40 + (strlen(lhead) > 0 ? 6.6 * strlen(lhead) + 20 : 0)
do for [k = 1:nlg + (nover > 0)] {
    wk = (k > nlg) ? legend_w(ovtext) : lgw(k)
    if (lx + wk > W - 20) { lrows = lrows + 1; lx = 40 }
    lx = lx + wk
}
hdr = 105 + 22 * lrows
ph = panel_h(Wd, (panels == 1) ? 440 : 330, hdr, rows)
H = hdr + ph * rows
load plotdir.'/style.gp'
set label 10 title at screen 0.5, screen 1 - 22.0 / H center font ',14'
set label 11 ylab.' against '.xlab at screen 0.5, screen 1 - 46.0 / H center font ',11'
set label 12 sub at screen 0.5, screen 1 - 66.0 / H center font ',10' tc rgb '#444444'
if (strlen(note) > 0) {
    set label 13 note at screen 0.5, screen 1 - 84.0 / H center font ',9' tc rgb '#666666'
}
set xlabel xlab
set ylabel ylab
set autoscale xfix
if (xnum && xtstep > 0) {
    set xtics xt0, xtstep
}
set offsets graph 0.04, graph 0.04, graph 0.08, 0
if (!xnum) {
    set xtics () rotate by 30 right
    do for [i = 1:nx] { set xtics add (value(sprintf('xl%d', i)) i - 1) }
}
# one centred row when it fits, else rows from the left
lw_all = (strlen(lhead) > 0 ? 6.6 * strlen(lhead) + 20 : 0)
do for [k = 1:nlg] { lw_all = lw_all + lgw(k) }
lw_all = lw_all + (nover > 0 ? legend_w(ovtext) : 0)
lx = (lrows == 1) ? (W - lw_all) / 2.0 : 40
ly = 106
if (strlen(lhead) > 0) {
    set label 14 lhead at screen lx * 1.0 / W, screen 1 - ly * 1.0 / H left font ',10'
    lx = lx + 6.6 * strlen(lhead) + 20
}
do for [k = 1:nlg] {
    if (lx + lgw(k) > W - 20) { ly = ly + 22; lx = 40 }
    lg_k = k; lg_x = lx; lg_y = ly; lg_text = lgtext(k); lg_c = col(k)
    lg_lw = 1.6; lg_kind = 'line'; lg_dt = k; lg_pt = ptype(k)
    load plotdir.'/legend.gp'
    lx = lx + lgw(k)
}
if (nover > 0) {
    if (lx + legend_w(ovtext) > W - 20) { ly = ly + 22; lx = 40 }
    lg_k = nlg + 1; lg_x = lx; lg_y = ly; lg_text = ovtext; lg_c = '#000000'
    lg_lw = 1.6; lg_kind = 'point'; lg_dt = 1; lg_pt = 6
    load plotdir.'/legend.gp'
}
set multiplot
do for [p = 1:panels] {
    set lmargin at screen panel_l(p, cols)
    set rmargin at screen panel_r(p, cols)
    set tmargin at screen panel_t(p, cols, hdr, ph)
    set bmargin at screen panel_b(p, cols, hdr, ph) + (xnum ? 0 : 30.0 / H)
    ym = !multi ? ymax : value(sprintf('ym%d', p))
    set yrange [0:(ym > 0 ? ym * 1.1 : 1)]
    unset key
    # overloaded variants: a large open circle around the point
    ovl = (nover > 0) ? 1 : 0
    if (!multi) {
        unset title
        plot for [m = 1:nm] data index (m - 1) u 1:2:3 w yerrorlines pt ptype(m) ps 0.9 lw 1.6 \
                 dt m lc rgb col(m) notitle, \
             for [m = 1:nm * ovl] data index (m - 1) u 1:(column(4) > 0 ? $2 : NaN) w p pt 6 \
                 ps 2.2 lw 1.2 lc rgb '#000000' notitle
    } else {
        set title value(sprintf('m%d', p)) font ',11' offset 0, -0.5
        plot for [s = 1:ns] data index ((p - 1) * ns + s - 1) u 1:2:3 w yerrorlines pt ptype(s) \
                 ps 0.8 lw 1.5 dt s lc rgb col(s) notitle, \
             for [s = 1:ns * ovl] data index ((p - 1) * ns + s - 1) u 1:(column(4) > 0 ? $2 : NaN) \
                 w p pt 6 ps 2.2 lw 1.2 lc rgb '#000000' notitle
    }
    unset label 10
    unset label 11
    unset label 12
    unset label 13
    unset label 14
    do for [k = 1:nlg + 1] {
        unset arrow 100 + k
        unset label 100 + k
        unset label 200 + k
    }
}
unset multiplot
