# --trace: one benchmark's kernel phases on one time axis, each a segment from the median
# time its first point came after t0, as long as the phase's median; what the parent does in
# the kernel in blue, the child in green, the parent's user space between the stamps in grey. Medians of parts do not add
# up to the median of the whole, so a segment may overlap the next.
# Fed by plots/report.py: datafile (index "phase" start_us length_us lane), nrows, title,
# outfile, term, subtitle.
# Variables arrive as arguments, never as code (gnuplot -c FILE 's:NAME n:NAME ...' VALUE
# VALUE ...; at most 8): file names and titles are data, whatever characters they hold.
do for [i=1:words(ARG1)] { k = word(ARG1, i); if (k[1:2] eq 'n:') { eval(k[3:].' = ARGV['.(i+1).'] + 0') } else { eval(k[3:].' = ARGV['.(i+1).']') } }
h = 160 + 30 * nrows
if (term eq "svg") {
    set terminal svg size 1100,h dynamic font "sans,11" background "white"
} else {
    set terminal pngcairo size 1100,h font "sans,10"
}
set output outfile
set title sprintf("%s: kernel phases of one creation (medians, --trace)\n%s", title, subtitle) noenhanced
set xlabel "time since t0, the parent's stamp before the call (microseconds)"
unset ylabel
set lmargin 22
set yrange [nrows - 0.5:-0.5]
set xrange [0:*]
set offsets 0, graph 0.12, 0, 0
set grid xtics lc rgb "#dddddd"
set ytics noenhanced nomirror
set key below horizontal
set style fill solid 0.8 border -1
lane(l) = l == 0 ? 0x4878A8 : l == 1 ? 0x30A050 : 0x999999
plot datafile using ($3 + $4 / 2):1:($4 / 2):(0.32):(lane($5)):ytic(2) with boxxyerror fc rgb variable notitle, \
     ""       using ($3 + $4):1:(sprintf(" %.2f", $4)) with labels left font ",9" notitle, \
     NaN with boxes fc rgb "#4878A8" title "parent (kernel)", \
     NaN with boxes fc rgb "#30A050" title "child", \
     NaN with boxes fc rgb "#999999" title "parent (user space, between the stamps)"
