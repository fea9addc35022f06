# History: one series' run medians in run order with their 95% CIs, each change point as a
# dashed line before the first run after it, and each segment's typical median between change
# points. Fed by plots/report.py (see compare.gp for how values arrive): datafile (x median lo
# hi, in us), segfile (x typical: two lines a segment, a blank line between), cps (array: x of each change,
# between two runs), xt_pos and xt_lab (arrays: the runs whose kernel or labels differ from the
# run before, and those names), nruns, title, subtitle, unit, term.
load ARG1
if (term eq "svg") {
    set terminal svg size 1250,560 dynamic font "sans,11" background "white"
} else {
    set terminal pngcairo size 1250,560 font "sans,10"
}
set output  # stdout: report.py writes the file
set title sprintf("%s\n%s", title, subtitle) noenhanced
set ylabel sprintf("median per creation, %s", unit) noenhanced
set xlabel "run (in the order added); tics: where the kernel, its commit or the labels change"
set grid ytics lc rgb "#dddddd"
set xrange [0.5:nruns+0.5]
set xtics () rotate by -30 left noenhanced nomirror font ",8"
if (xt_pos[1] > 0) {
    do for [i=1:|xt_pos|] { set xtics add (xt_lab[i] xt_pos[i]) }
}
if (cps[1] > 0) {
    do for [i=1:|cps|] { set arrow i from first cps[i], graph 0 to first cps[i], graph 1 nohead lc rgb "#c03030" dt 2 lw 1.5 }
}
set key below box
plot datafile using 1:2:3:4 with yerrorbars pt 7 ps 0.8 lc rgb "#4878a8" title "run median with 95% CI", \
     segfile using 1:2 with lines lw 2 lc rgb "#c03030" title "typical median between change points (dashed: a change)"
