# lib.gp: the palette and the layout helpers every script shares; no
# output. Loaded by style.gp, or earlier by a script that needs the helpers
# to choose its picture size (they read W and H only when called).
# the page asked for with --size, in layout units (0: the script's own)
if (!exists('uw')) { uw = 0 }
if (!exists('uh')) { uh = 0 }
# pw(wd): the width of a picture whose own is wd; page_h(wd, hd, hdr): its
# height, whose own is hd with hdr units of text on top: the graphs scale
# with the width, the text does not
pw(wd) = (uw > 0) ? uw : wd
page_h(wd, hd, hdr) = (uh > 0) ? uh : hdr + (hd - hdr) * pw(wd) / wd
# panel_h(wd, phd, hdr, rows): the height of a row of panels: what fills the
# height asked for (at least 80), else phd scaled with the width (at least 150)
panel_h(wd, phd, hdr, rows) = (uh > 0) ? ((uh - hdr) / rows > 80 ? (uh - hdr) / rows : 80) : \
    ((phd * pw(wd) / wd > 150) ? phd * pw(wd) / wd : 150)

# colour-blind-safe qualitative palette (Okabe-Ito), cycled
array pal[8] = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#8E7A00', '#000000']
col(i) = pal[(i - 1) % 8 + 1]
# point types beside the colours and dash types: filled circle, square,
# triangle, diamond, inverted triangle, pentagon, then open ones
array pts[8] = [7, 5, 9, 13, 11, 15, 4, 8]
ptype(i) = pts[(i - 1) % 8 + 1]

# panel(i, cols, hdr, ph, pw): place panel i (1-based, row-major) of a grid
# whose rows are ph pixels high under a header of hdr pixels, in a picture
# of W x H pixels; leaves room for a title above and tick labels below.
panel_l(i, cols) = (int(i - 1) % cols) * (1.0 / cols) + 75.0 / W
panel_r(i, cols) = (int(i - 1) % cols + 1) * (1.0 / cols) - 25.0 / W
panel_t(i, cols, hdr, ph) = 1.0 - (hdr + int((i - 1) / cols) * ph + 34.0) / H
panel_b(i, cols, hdr, ph) = 1.0 - (hdr + (int((i - 1) / cols) + 1) * ph - 56.0) / H

# legend_w(text): the width in pixels of a legend entry (legend.gp draws one).
legend_w(text) = 44 + 6.6 * strlen(text) + 26
