# Distribution of the round trip (t2-t0) per benchmark: empirical CDF, log x.
# Fed by plots/report.py: datafile (blocks separated by two blank lines, one
# per benchmark, columns: microseconds, cumulative fraction), titles (a
# space-separated list of block titles), nblocks, outfile, term, subtitle.
# Variables arrive as arguments, never as code (gnuplot -c FILE 's:NAME n:NAME ...' VALUE
# VALUE ...; at most 8): file names and titles are data, whatever characters they hold.
do for [i=1:words(ARG1)] { k = word(ARG1, i); if (k[1:2] eq 'n:') { eval(k[3:].' = ARGV['.(i+1).'] + 0') } else { eval(k[3:].' = ARGV['.(i+1).']') } }
if (term eq "svg") {
    set terminal svg size 1250,650 dynamic font "sans,11" background "white"
} else {
    set terminal pngcairo size 1250,650 font "sans,10"
}
set output outfile
set title sprintf("Round-trip latency distribution (create .. reaped)\n%s", subtitle) noenhanced
set xlabel "round trip per creation (microseconds, log scale)"
set ylabel "fraction of samples at or below"
set logscale x
set yrange [0:1]
set grid xtics mxtics ytics lc rgb "#dddddd"
set key outside right top box noenhanced
plot for [i=0:nblocks-1] datafile index i using 1:2 with lines lw 2 title word(titles, i+1)
