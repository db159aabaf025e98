# style.gp: the look every tcsim plot shares. Each script sets W and H (the
# picture size in layout units of 1/144 inch, pw() and page_h() of lib.gp
# honour --size) and then loads this file.
# From tcsim: fmt ('png', 'svg' or 'pdf'), out (the file to write), pxk
# (PNG pixels per unit: --dpi / 144).
# One unit is 1/144 in: there a 10 pt font is as large against the picture
# in a PDF as in a PNG of pxk = 1, so one layout serves both, and a PDF of
# the default 16 cm prints its smallest type (9 pt) at 9 pt.
if (!exists('pxk')) { pxk = 1 }
if (fmt eq 'svg') {
    set terminal svg size W,H dynamic font 'Sans,11' background rgb 'white' noenhanced
} else {
    if (fmt eq 'pdf') {
        set terminal pdfcairo size (W/144.0),(H/144.0) font 'Sans,10' noenhanced
    } else {
        set terminal pngcairo size int(W * pxk + 0.5),int(H * pxk + 0.5) font 'Sans,10' \
            fontscale pxk linewidth pxk background rgb 'white' noenhanced
    }
}
set output out
load plotdir.'/lib.gp'
set encoding utf8
set termoption noenhanced

set border 3 lc rgb '#444444'
set tics nomirror out scale 0.6
set grid ytics lt 1 lc rgb '#e4e4e4' lw 1
set grid xtics lt 1 lc rgb '#f0f0f0' lw 1
set key noopaque samplen 2.5 spacing 1.1
set style fill transparent solid 0.22 noborder
