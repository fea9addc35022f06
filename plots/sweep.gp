# Creation cost against the parent's size: median round trip with its 95%
# CI band, log-log, one line per method; solid touched, dashed untouched.
# Fed by plots/report.py: datafile (one block per method/touch series:
# rss_mib median ci_lo ci_hi, in microseconds; touched series first),
# titles, nblocks, ntouched, outfile, term, subtitle.
# Variables arrive as arguments, never as code (gnuplot -c FILE 's:NAME n:NAME ...' VALUE
# VALUE ...; at most 8): file names and titles are data, whatever characters they hold.
do for [i=1:words(ARG1)] { k = word(ARG1, i); if (k[1:2] eq 'n:') { eval(k[3:].' = ARGV['.(i+1).'] + 0') } else { eval(k[3:].' = ARGV['.(i+1).']') } }
if (term eq "svg") {
    set terminal svg size 1250,650 dynamic font "sans,11" background "white"
} else {
    set terminal pngcairo size 1250,650 font "sans,10"
}
set output outfile
set title sprintf("Creation cost against parent memory (RSS 0 not drawn on the log axis)\n%s", subtitle) noenhanced
set xlabel "parent anonymous memory (MiB, log scale)"
set ylabel "median round trip (microseconds, log scale)"
set logscale xy
set grid xtics ytics mxtics mytics lc rgb "#dddddd"
set key outside right top box noenhanced
set style fill transparent solid 0.2 noborder
plot for [i=0:nblocks-1] datafile index i using 1:3:4 with filledcurves lc i+1 notitle, \
     for [i=0:ntouched-1] datafile index i using 1:2 with linespoints lw 2 pt 7 lc i+1 dt 1 title word(titles, i+1), \
     for [i=ntouched:nblocks-1] datafile index i using 1:2 with linespoints lw 2 pt 6 lc i+1 dt 2 title word(titles, i+1)
