# procbench: one build for the controller, the creator, the exec target and
# the tests.
#
#   make                 native build into build/<arch>/
#   make ARCH=aarch64    cross-build (also riscv64) with Debian's cross gcc:
#                        creator, exec target and unit tests (the controller
#                        needs libjson-c for the target; it is host-only)
#   make ARCH=generic    native build on the libc fallback in arch/generic/
#   make check           build and run the tests (tests/run.sh)
#   make WERROR=1        warnings are errors (CI)
#   make V=1             show full commands

HOST_ARCH := $(shell uname -m)
ARCH ?= $(HOST_ARCH)
# SAN=1: a separate build whose controller and tests run under ASan+UBSan
# (the creator and the exec target stay static and uninstrumented).
B := build/$(ARCH)$(if $(filter 1,$(SAN)),-san)

ifeq ($(ARCH),$(HOST_ARCH))
  ARCH_DIR := $(ARCH)
  CROSS := 0
else ifeq ($(ARCH),generic)
  ARCH_DIR := generic
  CROSS := 0
  ARCH_CPPFLAGS := -DPB_FORCE_GENERIC
else
  CC := $(ARCH)-linux-gnu-gcc
  ARCH_DIR := $(ARCH)
  CROSS := 1
endif

# SYSROOT=build/sysroot/ARCH (made by ci/sysroot ARCH): a cross build of everything, the
# controller too, against that arch's Debian packages (libc, json-c, hwloc, numa, liburing),
# for a guest kernel of that arch (ci/kernel-run --arch). Its own build folder: its libc may
# differ from the cross toolchain's that the qemu-user build links.
ifneq ($(SYSROOT),)
  ifneq ($(CROSS),1)
    $(error SYSROOT= is for a cross build (ARCH=aarch64 or riscv64))
  endif
  ifeq ($(wildcard $(SYSROOT)/.procbench-ready),)
    $(error SYSROOT=$(SYSROOT) is not a finished sysroot: run ci/sysroot $(ARCH))
  endif
  # Everything is compiled with --sysroot: the library headers (json-c, hwloc, numa, liburing)
  # are the sysroot's, never the host's /usr/include; gcc still searches the cross toolchain's
  # own libc headers and libraries first. The static programs (creator, exec target, tests)
  # link that libc, as the qemu-user build does (binutils 2.40 crashes linking Debian 13's
  # libc.a); the controller is linked as the guest runs it, dynamically against the sysroot's
  # libc and libraries (riscv64's are Debian 13's, newer than the toolchain's glibc).
  # A relative SYSROOT (as ci/kernel-run gives) keeps a folder with spaces out of the flags.
  SYSROOT_LIB := $(SYSROOT)/usr/lib/$(ARCH)-linux-gnu
  CC := $(ARCH)-linux-gnu-gcc --sysroot=$(SYSROOT)
  CTL_LDFLAGS := -B$(SYSROOT_LIB) -L$(SYSROOT_LIB) -Wl,-rpath-link=$(SYSROOT_LIB)
  ifeq ($(wildcard $(SYSROOT_LIB)/libc.so.6),)
    $(error SYSROOT=$(SYSROOT) has no $(ARCH) libc (usr/lib/$(ARCH)-linux-gnu/libc.so.6): a sysroot of another arch? run ci/sysroot $(ARCH))
  endif
  B := build/$(ARCH)-guest
  CROSS := sysroot
endif

# liburing (native builds only: Debian has no cross liburing): the io_uring methods
# register either way and say why they cannot run without it.
ifneq ($(CROSS),1)
  HAVE_LIBURING := $(shell printf '\043include <liburing.h>\n' | $(CC) -E - >/dev/null 2>&1 && echo 1)
endif
ifeq ($(HAVE_LIBURING),1)
  ARCH_CPPFLAGS += -DPB_HAVE_LIBURING
  URING_LIBS := -luring
endif

# The history store's back ends (harness/history/): SQLite and libpq where their headers are
# (every native build: ci/install-deps installs them); a build without one still has
# `procbench history`, which names the package it needs.
ifneq ($(CROSS),1)
  PQ_INC := $(if $(SYSROOT),$(SYSROOT))/usr/include/postgresql
  HAVE_SQLITE := $(shell printf '\043include <sqlite3.h>\n' | $(CC) -E - >/dev/null 2>&1 && echo 1)
  HAVE_LIBPQ := $(shell printf '\043include <libpq-fe.h>\n' | $(CC) -I$(PQ_INC) -E - >/dev/null 2>&1 && echo 1)
endif
HISTORY_CPPFLAGS := $(if $(filter 1,$(HAVE_SQLITE)),-DPB_HAVE_SQLITE) \
	$(if $(filter 1,$(HAVE_LIBPQ)),-DPB_HAVE_LIBPQ -I$(PQ_INC))
# libpq is loaded at run time by harness/history/pg.c (dlopen), only for a postgresql:// store.
HISTORY_LIBS := $(if $(filter 1,$(HAVE_SQLITE)),-lsqlite3)

# The probes' results are a file: every object and program depends on it, and it is
# rewritten only when a result changes, so installing (or removing) liburing-dev or
# libbenchmark-dev rebuilds what it affects instead of "Nothing to be done".
.DEFAULT_GOAL := all
PROBES := $(B)/probes.mk
PROBE_LINE = HAVE_LIBURING=$(HAVE_LIBURING) HAVE_GBENCH=$(HAVE_GBENCH) HAVE_SQLITE=$(HAVE_SQLITE) \
	HAVE_LIBPQ=$(HAVE_LIBPQ) SAN=$(SAN)
$(PROBES): FORCE
	@mkdir -p $(dir $@)
	@echo '$(PROBE_LINE)' | cmp -s - $@ || echo '$(PROBE_LINE)' >$@

CSTD := -std=gnu11
WARN := -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror)
OPT ?= -O2 -g
CPPFLAGS += $(ARCH_CPPFLAGS) -D_GNU_SOURCE
CFLAGS += $(CSTD) $(OPT) $(WARN) -fno-stack-protector
SAN_FLAGS :=
TEST_LINK := -static
CORE_LIB := $(B)/libpbcore.a
ifeq ($(SAN),1)
  SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
  TEST_LINK := $(SAN_FLAGS)
  CORE_LIB := $(B)/libpbcore-san.a
endif

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GIT_COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
GIT_DIRTY := $(shell git diff --quiet HEAD 2>/dev/null || echo -dirty)

ifeq ($(V),1)
  Q :=
  say :=
else ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
  Q := @
  say :=
else
  Q := @
  say = @printf '  %-6s %s\n' $(1) $(2);
endif

BENCH_SRCS := $(filter-out bench/exec_target.c,$(wildcard bench/*.c))
ARCH_OBJS := $(B)/arch/child.o
EXEC_ENTRY := $(B)/arch/exec_entry.o
# The generic exec target keeps libc's start-up; the others have their own _start.
ifeq ($(ARCH_DIR),generic)
  EXEC_LDFLAGS := -static
else
  EXEC_LDFLAGS := -static -nostdlib -ffreestanding
endif

# harness/ by program (harness/README.md): protocol/ is shared, creator/ is only the static
# specimen, controller/, analysis/, report/ and schema/ are only procbench (and
# procbench-gbench).
# The core archive: what the creator and the C tests link (an archive member comes in only
# when referenced, so the creator gets no statistics or calibration).
CORE_OBJS := $(patsubst %.c,$(B)/%.o,$(BENCH_SRCS)) $(ARCH_OBJS) $(B)/harness/creator/shape.o \
	$(B)/harness/protocol/counters.o \
	$(B)/harness/analysis/stats.o $(B)/harness/analysis/gate.o $(B)/harness/analysis/ktrace.o \
	$(B)/harness/analysis/changepoint.o $(B)/harness/analysis/model.o $(B)/harness/controller/clock.o
CREATOR_OBJS := $(B)/harness/creator/creator.o
CONTROLLER_SRCS := $(filter-out harness/controller/gbench_main.c harness/controller/clock.c, \
	$(wildcard harness/controller/*.c)) $(wildcard harness/report/*.c) \
	$(filter-out harness/analysis/stats.c harness/analysis/gate.c harness/analysis/ktrace.c \
	harness/analysis/changepoint.c harness/analysis/model.c, $(wildcard harness/analysis/*.c)) $(wildcard harness/schema/*.c) \
	$(wildcard harness/history/*.c)
CONTROLLER_OBJS := $(patsubst %.c,$(B)/%.o,$(CONTROLLER_SRCS))
# The history store and its command are procbench's only (not procbench-gbench's).
HISTORY_OBJS := $(patsubst %.c,$(B)/%.o,$(wildcard harness/history/*.c)) \
	$(B)/harness/controller/history_main.o
$(HISTORY_OBJS): CPPFLAGS += $(HISTORY_CPPFLAGS)
# What the controller shares with the creator's core, compiled for the controller (instrumented
# in a SAN build): never a method, arch/'s trampolines or liburing (it learns the methods from
# the creator's hello; tests/test_layers.sh checks with nm).
CTL_SHARED_SRCS := harness/protocol/counters.c harness/analysis/stats.c harness/analysis/gate.c \
	harness/analysis/ktrace.c harness/analysis/changepoint.c harness/analysis/model.c \
	harness/controller/clock.c
CTL_SHARED_OBJS := $(patsubst %.c,$(B)/$(if $(filter 1,$(SAN)),san/)%.o,$(CTL_SHARED_SRCS))

TEST_SRCS := $(filter-out tests/test_bench_c.c,$(wildcard tests/test_*.c))
TEST_BINS := $(patsubst tests/%.c,$(B)/tests/%,$(TEST_SRCS))
# Helpers the shell tests run (not tests themselves: tests/run.sh runs test_* only).
TEST_HELPERS := $(B)/tests/deny-clone3 $(B)/tests/creator-v999 $(B)/tests/kmod-probe

PROGRAMS := $(B)/procbench-creator $(B)/procbench-exec-target $(B)/baseline-loop
ifneq ($(CROSS),1)
  PROGRAMS += $(B)/procbench
endif

# Google Benchmark front end (bench-c): only where libbenchmark-dev is installed, never in
# the creator, not in cross or SAN builds.
CXX ?= g++
HAVE_GBENCH := $(shell printf '\043include <benchmark/benchmark.h>\n' | $(CXX) -x c++ -E - >/dev/null 2>&1 && echo 1)
ifeq ($(CROSS)$(SAN)$(HAVE_GBENCH),01)
  PROGRAMS += $(B)/procbench-gbench $(B)/tests/test_bench_c
endif
GBENCH_LIBS := -lbenchmark -lpthread -lstdc++

all: $(PROGRAMS) $(TEST_BINS) $(TEST_HELPERS)

$(B)/tests/deny-clone3: tests/deny_clone3.c
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $<

# The procbench-kthread module's checks, for tests/test_kmod_guest.sh to run in a guest.
$(B)/tests/kmod-probe: tests/kmod_probe.c harness/controller/trace.c $(B)/libpbcore.a
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -static -o $@ $^ -lm

# A creator speaking protocol 999, for tests/test_protocol.sh to see refused.
$(B)/tests/creator-v999: harness/creator/creator.c $(B)/libpbcore.a
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) -DPB_PROTOCOL_VERSION=999 $(CFLAGS) -static -o $@ $^ $(URING_LIBS)

$(B)/libpbcore.a: $(CORE_OBJS)
	$(call say,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# The same core, instrumented, for the controller and tests of a SAN=1 build.
SAN_CORE_OBJS := $(patsubst $(B)/%,$(B)/san/%,$(filter-out $(ARCH_OBJS),$(CORE_OBJS))) $(ARCH_OBJS)
$(B)/libpbcore-san.a: $(SAN_CORE_OBJS)
	$(call say,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(B)/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN_FLAGS) -MMD -MP -c -o $@ $<

# The creator is the measured specimen: static, no extra libraries.
$(B)/procbench-creator: $(CREATOR_OBJS) $(B)/libpbcore.a
	$(call say,LD,$@)
	$(Q)$(CC) $(CFLAGS) -static -o $@ $^ $(URING_LIBS)

$(B)/procbench-exec-target: $(B)/bench/exec_target.o $(EXEC_ENTRY)
	$(call say,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(EXEC_LDFLAGS) -o $@ $^

$(B)/bench-c/bench_c.o: bench-c/bench_c.cc bench-c/bench_c.h
	@mkdir -p $(dir $@)
	$(call say,CXX,$@)
	$(Q)$(CXX) -std=c++17 $(OPT) $(WARN) -c -o $@ $<

$(B)/procbench-gbench: $(B)/harness/controller/gbench_main.o \
		$(filter-out $(B)/harness/controller/main.o $(B)/harness/controller/model_main.o \
		$(HISTORY_OBJS),$(CONTROLLER_OBJS)) \
		$(B)/bench-c/bench_c.o $(CTL_SHARED_OBJS)
	$(call say,LD,$@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ -ljson-c -lhwloc -lnuma -lm $(GBENCH_LIBS)

$(B)/tests/test_bench_c: tests/test_bench_c.c $(B)/bench-c/bench_c.o
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $(filter %.c %.o,$^) -ljson-c -lm $(GBENCH_LIBS)

$(B)/procbench: $(CONTROLLER_OBJS) $(CTL_SHARED_OBJS)
	$(call say,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) $(CTL_LDFLAGS) -o $@ $^ -ljson-c -lhwloc -lnuma -lm $(HISTORY_LIBS)

# A minimal static fork/vfork loop: bench/overhead's yardstick.
$(B)/baseline-loop: bench/baseline/baseline_loop.c
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -static -o $@ $<

$(B)/tests/%: tests/%.c $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP $(TEST_LINK) -o $@ $< $(CORE_LIB) $(URING_LIBS) -lm

$(B)/bench/exec_target.o: bench/exec_target.c
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(if $(filter generic,$(ARCH_DIR)),,-ffreestanding -fno-builtin) -MMD -MP -c -o $@ $<

$(B)/arch/child.o: $(wildcard arch/$(ARCH_DIR)/child.*)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/arch/exec_entry.o: $(wildcard arch/$(ARCH_DIR)/exec_entry.*)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

# The version and commit compiled into context.o, as a file rewritten only when they change:
# a new commit (or a tree that became dirty) rebuilds it, so results never name a stale one.
VERSION_STAMP := $(B)/version.stamp
$(VERSION_STAMP): FORCE
	@mkdir -p $(dir $@)
	@echo '$(VERSION) $(GIT_COMMIT)$(GIT_DIRTY)' | cmp -s - $@ || echo '$(VERSION) $(GIT_COMMIT)$(GIT_DIRTY)' >$@
$(B)/harness/controller/context.o: $(VERSION_STAMP)
$(B)/harness/controller/context.o: CPPFLAGS += -DPB_VERSION='"$(VERSION)"' \
	-DPB_GIT_COMMIT='"$(GIT_COMMIT)$(GIT_DIRTY)"' -DPB_CFLAGS='"$(CSTD) $(OPT) $(WARN)"'
$(CONTROLLER_OBJS): CFLAGS += $(SAN_FLAGS)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

# Everything compiled sees the probes' results (recipes use $< or list objects
# explicitly, so the extra prerequisite never reaches a command line).
$(CORE_OBJS) $(SAN_CORE_OBJS) $(CREATOR_OBJS) $(CONTROLLER_OBJS) $(EXEC_ENTRY) \
	$(B)/bench/exec_target.o $(B)/harness/controller/gbench_main.o $(B)/bench-c/bench_c.o \
	$(TEST_BINS) $(B)/tests/test_bench_c $(B)/baseline-loop: $(PROBES)

-include $(shell find $(B) -name '*.d' 2>/dev/null)

check: all
	$(Q)ARCH=$(ARCH) B=$(B) SAN=$(SAN) tests/run.sh

# Cross-build both foreign arches and run their tests under qemu-user.
check-cross:
	$(Q)$(MAKE) --no-print-directory ARCH=aarch64 check
	$(Q)$(MAKE) --no-print-directory ARCH=riscv64 check

bench: all
	$(Q)$(B)/procbench

overhead: all
	$(Q)bench/overhead

# make kmod [KDIR=kernel tree or headers | KRELEASE=Debian kernel release]: the
# procbench-kthread module (bench/kmod/) for that kernel, default the running one.
kmod:
	$(Q)ci/kmod-build $(or $(KDIR),$(KRELEASE),$(shell uname -r))

# make report FILES="results/a.json [cmp.json ...]" [OUT=dir]
report: all
	$(Q)$(B)/procbench report $(if $(OUT),--out $(OUT)) $(FILES)

# libFuzzer harnesses (clang, ASan+UBSan) for the results reader, the CLI parser and the
# value parsers; `make fuzz` runs each FUZZ_SECONDS (default 60). See tests/fuzz/.
FUZZ_B := build/fuzz
FUZZ_SECONDS ?= 60
FUZZ_FLAGS := -std=gnu11 -g -O1 -D_GNU_SOURCE -Iharness/controller -Iharness/analysis -Ibench -Iarch \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_BINS := $(FUZZ_B)/fuzz_results $(FUZZ_B)/fuzz_cli $(FUZZ_B)/fuzz_lists

$(FUZZ_B)/fuzz_results: tests/fuzz/fuzz_results.c harness/analysis/results_read.c \
		harness/analysis/samples_read.c harness/analysis/results_read.h harness/schema/schema.c \
		harness/analysis/safe_text.c harness/analysis/safe_text.h harness/analysis/gate.c \
		harness/analysis/model.c harness/analysis/stats.c
	@mkdir -p $(dir $@)
	$(call say,FUZZ,$@)
	$(Q)clang $(FUZZ_FLAGS) -o $@ $(filter %.c,$^) -ljson-c -lm

$(FUZZ_B)/fuzz_%: tests/fuzz/fuzz_%.c harness/controller/cli.c harness/controller/cli_values.c \
		harness/controller/placement.c harness/controller/options.h harness/schema/schema.c \
		harness/report/formats.c tests/fuzz/reporters_stub.c
	@mkdir -p $(dir $@)
	$(call say,FUZZ,$@)
	$(Q)clang $(FUZZ_FLAGS) -o $@ $(filter %.c,$^) -lhwloc -lm

fuzz: $(FUZZ_BINS)
	$(Q)tests/fuzz/run $(FUZZ_SECONDS)

# make install [PREFIX=/usr/local] [DESTDIR=]: the three programs in PREFIX/libexec/procbench
# (the controller finds its creator and exec target beside itself), procbench on PATH, the
# report and perf-stat scripts in PREFIX/share/procbench, and the man page.
PREFIX ?= /usr/local
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/libexec/procbench \
		$(DESTDIR)$(PREFIX)/share/procbench/plots $(DESTDIR)$(PREFIX)/share/procbench/ci \
		$(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(B)/procbench $(B)/procbench-creator $(B)/procbench-exec-target \
		$(DESTDIR)$(PREFIX)/libexec/procbench/
	ln -sf ../libexec/procbench/procbench $(DESTDIR)$(PREFIX)/bin/procbench
	install -m 755 plots/report.py $(DESTDIR)$(PREFIX)/share/procbench/plots/
	install -m 644 plots/*.gp $(DESTDIR)$(PREFIX)/share/procbench/plots/
	install -m 755 ci/perf-stat $(DESTDIR)$(PREFIX)/share/procbench/ci/
	install -m 644 procbench.1 $(DESTDIR)$(PREFIX)/share/man/man1/

clean:
	rm -rf build

.PHONY: all check check-cross bench overhead report clean fuzz install kmod FORCE
FORCE:
