# --trace: one benchmark's kernel phases on one time axis, each a segment from the median
# time its first point came after t0, as long as the phase's median; what the parent does in
# the kernel in blue, the child in green, the parent's user space between the stamps in grey. Medians of parts do not add
# up to the median of the whole, so a segment may overlap the next.
# Fed by plots/report.py: datafile (index start_us length_us lane), labels (array: the
# phases' names, by index), nrows, title,
# term, subtitle.
# Values arrive in a file of assignments that plots/report.py writes (gnuplot -c FILE VARS):
# strings in double quotes with every byte outside a plain set octal-escaped, lists as arrays,
# so a name is data whatever characters it holds, and no value passes on a command line.
load ARG1
h = 160 + 30 * nrows
if (term eq "svg") {
    set terminal svg size 1100,h dynamic font "sans,11" background "white"
} else {
    set terminal pngcairo size 1100,h font "sans,10"
}
set output  # stdout: report.py writes the file (gnuplot exits 0 after a failed write)
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
plot datafile using ($2 + $3 / 2):1:($3 / 2):(0.32):(lane($4)):ytic(labels[int($1)+1]) with boxxyerror fc rgb variable notitle, \
     ""       using ($2 + $3):1:(sprintf(" %.2f", $3)) with labels left font ",9" notitle, \
     NaN with boxes fc rgb "#4878A8" title "parent (kernel)", \
     NaN with boxes fc rgb "#30A050" title "child", \
     NaN with boxes fc rgb "#999999" title "parent (user space, between the stamps)"
