# Throughput against concurrency: creations per second (all jobs together)
# against the number of parallel creators, one line per method.
# Fed by plots/report.py: datafile (one block per method: jobs rate),
# titles, nblocks, outfile, term, subtitle.
# Variables arrive as arguments, never as code (gnuplot -c FILE 's:NAME n:NAME ...' VALUE
# VALUE ...; at most 8): file names and titles are data, whatever characters they hold.
do for [i=1:words(ARG1)] { k = word(ARG1, i); if (k[1:2] eq 'n:') { eval(k[3:].' = ARGV['.(i+1).'] + 0') } else { eval(k[3:].' = ARGV['.(i+1).']') } }
if (term eq "svg") {
    set terminal svg size 1250,650 dynamic font "sans,11" background "white"
} else {
    set terminal pngcairo size 1250,650 font "sans,10"
}
set output outfile
set title sprintf("Scaling: creations per second against parallel creators (--jobs)\n%s", subtitle) noenhanced
set xlabel "parallel creators (jobs)"
set ylabel "creations per second, all jobs together"
set yrange [0:*]
set grid xtics ytics lc rgb "#dddddd"
set xtics 1
set key outside right top box noenhanced
plot for [i=0:nblocks-1] datafile index i using 1:2 with linespoints lw 2 pt 7 title word(titles, i+1)
