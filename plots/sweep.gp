# Creation cost against the parent's size: median round trip with its 95%
# CI band, log-log, one line per method; solid touched, dashed untouched.
# Fed by plots/report.py: datafile (one block per method/touch series:
# rss_mib median ci_lo ci_hi, in microseconds; touched series first),
# titles (array), nblocks, ntouched, term, subtitle.
# Values arrive in a file of assignments that plots/report.py writes (gnuplot -c FILE VARS):
# strings in double quotes with every byte outside a plain set octal-escaped, lists as arrays,
# so a name is data whatever characters it holds, and no value passes on a command line.
load ARG1
if (term eq "svg") {
    set terminal svg size 1250,650 dynamic font "sans,11" background "white"
} else {
    set terminal pngcairo size 1250,650 font "sans,10"
}
set output  # stdout: report.py writes the file (gnuplot exits 0 after a failed write)
set title sprintf("Creation cost against parent memory (RSS 0 not drawn on the log axis)\n%s", subtitle) noenhanced
set xlabel "parent anonymous memory (MiB, log scale)"
set ylabel "median round trip (microseconds, log scale)"
set logscale xy
set grid xtics ytics mxtics mytics lc rgb "#dddddd"
set key outside right top box noenhanced
set style fill transparent solid 0.2 noborder
# One style per series (an empty plot-for range still runs once in gnuplot 5.4, so two loops,
# touched and untouched, failed when either was empty).
do for [i=1:nblocks] {
    if (i <= ntouched) {
        set style line i lw 2 pt 7 lc i dt 1
    } else {
        set style line i lw 2 pt 6 lc i dt 2
    }
}
plot for [i=0:nblocks-1] datafile index i using 1:3:4 with filledcurves lc i+1 notitle, \
     for [i=0:nblocks-1] datafile index i using 1:2 with linespoints ls i+1 title titles[i+1]
