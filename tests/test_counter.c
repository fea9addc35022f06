// SPDX-License-Identifier: MIT
/* The counter is monotonic and its calibration agrees with CLOCK_MONOTONIC_RAW within 1%. */
#include <math.h>
#include <time.h>

#include "../arch/arch.h"
#include "../harness/controller/clock.h"
#include "helpers.h"

int main(void)
{
	struct pb_counter_info ci;
	uint64_t prev = pb_counter(), now, ns0, ns1, t0, t1;
	struct timespec nap = { 0, 200 * 1000000L };
	double measured_ns, err;
	int back = 0;

	for (int i = 0; i < 1000000; i++) {
		now = pb_counter();
		back += now < prev;
		prev = now;
	}
	T_CHECK(back == 0, "counter went backwards %d times", back);
	T_CHECK(pb_counter_calibrate(&ci, 5, 20) == 0, "calibration");
	T_CHECK(ci.hz > 1e6, "calibrated %g Hz", ci.hz);

	/*
	 * An independent 200 ms interval timed by both. A busy machine can stop
	 * us between the two clocks' reads, which only adds error: the best of
	 * five intervals is the calibration's own.
	 */
	err = INFINITY;
	for (int k = 0; k < 5 && err >= 0.01; k++) {
		ns0 = pb_mono_raw_ns();
		t0 = pb_counter();
		nanosleep(&nap, NULL);
		t1 = pb_counter();
		ns1 = pb_mono_raw_ns();
		measured_ns = pb_ticks_to_ns((double)(t1 - t0), &ci);
		err = fmin(err, fabs(measured_ns - (double)(ns1 - ns0)) / (double)(ns1 - ns0));
	}
	printf("counter %s: %.0f Hz (architectural %.0f), 200 ms interval off by %.4f%%\n",
	       ci.source, ci.hz, ci.hz_hint, err * 100);
	T_CHECK(err < 0.01, "interval error %.4f%%", err * 100);
	if (ci.hz_hint > 0)
		T_CHECK(fabs(ci.hz - ci.hz_hint) / ci.hz_hint < 0.01,
			"calibrated %g vs architectural %g", ci.hz, ci.hz_hint);
	return t_result();
}
