# Distribution of the round trip (t2-t0): empirical CDFs, log x, as small
# multiples, one panel per family of methods (process creation, exec, pidfd,
# threads, io_uring; a family with more than six series takes several
# panels), so no panel has more than six lines and each line has a colour
# and a dash type of its own within its panel.
# Fed by plots/report.py: datafile (blocks separated by two blank lines, one
# per series, columns: microseconds, cumulative fraction, in panel order),
# titles (array: the series' titles), counts (array: series per panel),
# panels (array: panel titles), term, subtitle.
# Values arrive in a file of assignments that plots/report.py writes (gnuplot -c FILE VARS):
# strings in double quotes with every byte outside a plain set octal-escaped, lists as arrays,
# so a name is data whatever characters it holds, and no value passes on a command line.
load ARG1
npanels = |counts|
ncols = npanels > 1 ? 2 : 1
nrows = (npanels + ncols - 1) / ncols
height = 110 + 330 * nrows
if (term eq "svg") {
    set terminal svg size 1250,height dynamic font "sans,11" background "white"
} else {
    set terminal pngcairo size 1250,height font "sans,10"
}
set output  # stdout: report.py writes the file (gnuplot exits 0 after a failed write)
# Six colours a colour-blind reader can tell apart (Okabe-Ito), each with its own dash type.
array colour[6] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
set logscale x
set yrange [0:1]
set grid xtics mxtics ytics lc rgb "#dddddd"
# Bottom right is the one corner a CDF leaves empty.
set key right bottom box opaque noenhanced font ",9"
set ylabel "fraction at or below"
set xlabel "round trip (microseconds, log scale)"
set multiplot layout nrows,ncols title sprintf("Round-trip latency distribution (create .. reaped)\n%s", subtitle) noenhanced
first = 0
do for [p=1:npanels] {
    n = counts[p]
    set title panels[p] noenhanced
    plot for [j=0:n-1] datafile index first+j using 1:2 with lines lw 2 lc rgb colour[j+1] dt j+1 \
        title titles[first+j+1]
    first = first + n
}
unset multiplot
