# parsim — top-level Makefile.
#
#   make            build build/parsim, build/parsim-cc and the programs
#   make check      build and run every test (Check unit suites, ISA
#                   conformance, end-to-end and differential runs)
#   make demo       run the demo program on the simulated machine
#   make bench      simulated MIPS of the benchmark kernels, beside QEMU
#   make asan|ubsan|tsan   the test suite under a sanitizer (own build dir)
#   make fuzz       the libFuzzer targets of tests/fuzz/, FUZZ_SECONDS each
#   make deps       install missing Debian packages (done automatically)
#
# Every target first makes sure the Debian packages are there
# (scripts/install-deps, apt-get with sudo when not root).

CC       ?= gcc
BUILD    ?= build
SANFLAGS ?=
OPT      ?= -O2
PKGS     := libelf libdw check
CFLAGS_BASE := -std=c11 -Wall -Wextra -Werror -g $(OPT) -D_DEFAULT_SOURCE \
               -D_POSIX_C_SOURCE=200809L -I. $(SANFLAGS) -DPARSIM_CONFIG_DIR='"$(CURDIR)/configs"'
PKG_CFLAGS = $(shell pkg-config --cflags libelf libdw inih sdl2 SDL2_ttf SDL2_image 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs libelf libdw inih sdl2 SDL2_ttf SDL2_image 2>/dev/null)
# The tests read JSON (--stats, --trace) with json-c.
CHECK_CFLAGS = $(shell pkg-config --cflags check json-c 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs check json-c 2>/dev/null)
CFLAGS   += $(CFLAGS_BASE) $(PKG_CFLAGS)
LDLIBS   += $(PKG_LIBS) -lm -lpthread
LDFLAGS  += $(SANFLAGS)

VERSION  := 0.1.0

# ---- sources ----------------------------------------------------------------
ISA_SRC    := $(wildcard isa/*.c)
SIM_SRC    := $(filter-out sim/main.c sim/sweep_mpi.c,$(wildcard sim/*.c))
MODELS_SRC := $(wildcard models/*.c models/coherence/*.c)
VIS_SRC    := $(wildcard visualizer/*.c)
LIB_SRC    := $(ISA_SRC) $(SIM_SRC) $(MODELS_SRC) $(VIS_SRC)
LIB_OBJ    := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC   := $(wildcard tests/check_*.c)
TEST_UTIL  := $(wildcard tests/testutil*.c)
TEST_OBJ   := $(TEST_SRC:%.c=$(BUILD)/obj/%.o) $(TEST_UTIL:%.c=$(BUILD)/obj/%.o)
SUITES     := $(filter-out main,$(patsubst tests/check_%.c,%,$(TEST_SRC)))

# Programs that run on the simulated machine.
PROG_SRC   := $(wildcard programs/*/*.c)
PROG_ELF   := $(PROG_SRC:programs/%.c=$(BUILD)/programs/%.elf)
TPROG_SRC  := $(wildcard tests/programs/*.c)
TPROG_ELF  := $(TPROG_SRC:tests/programs/%.c=$(BUILD)/tests/programs/%.elf)
# Freestanding assembly programs: no C library, no parsim runtime.
FPROG_SRC  := $(wildcard tests/programs/freestanding/*.S)
FPROG_ELF  := $(FPROG_SRC:tests/programs/freestanding/%.S=$(BUILD)/tests/programs/freestanding/%.elf)
RUNTIME_DEPS := $(wildcard programs/runtime/*)

DEPS_STAMP := $(BUILD)/.deps-ok

.PHONY: all check demo bench deps asan ubsan tsan clean programs screenshots
all: $(BUILD)/parsim $(BUILD)/parsim-cc programs

deps $(DEPS_STAMP): scripts/install-deps
	@scripts/install-deps
	@mkdir -p $(BUILD) && touch $(DEPS_STAMP)

# ---- the emulator -----------------------------------------------------------
$(BUILD)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DPARSIM_VERSION='"$(VERSION)"' -MMD -MP -c $< -o $@

# The F extension runs on the host FPU with the guest's rounding mode
# installed: the compiler must not fold or move FP code across fesetround.
$(BUILD)/obj/isa/fpu.o: CFLAGS += -frounding-math
# The interpreter's loop keeps the clock and the count in registers: the
# SLP vectoriser would pack the two into one vector register (they are
# stored side by side) and move them in and out of it at every
# instruction (callgrind: 7% more host instructions in isa_run).
$(BUILD)/obj/isa/exec.o: CFLAGS += -fno-tree-slp-vectorize

$(BUILD)/parsim: $(LIB_OBJ) $(BUILD)/obj/sim/main.o
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# parsim sweep --mpi's driver: the only program that links Open MPI
# (make NO_MPI=1 leaves it out; parsim sweep --mpi then says so).
ifeq ($(NO_MPI),)
all: $(BUILD)/parsim-sweep-mpi
endif
$(BUILD)/obj/sim/sweep_mpi.o: sim/sweep_mpi.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	OMPI_CC=$(CC) mpicc $(CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/parsim-sweep-mpi: $(LIB_OBJ) $(BUILD)/obj/sim/sweep_mpi.o
	OMPI_CC=$(CC) mpicc $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/parsim-cc: scripts/parsim-cc.in | $(DEPS_STAMP)
	@mkdir -p $(BUILD)
	sed 's|@RUNTIME@|$(CURDIR)/programs/runtime|g' $< > $@
	chmod +x $@

# ---- guest programs ---------------------------------------------------------
# ---- BEGIN guest runtime (programs/runtime; docs/programming.md) -------------
# crt0.o and libparsim.a (every programs/runtime/*.c), which parsim-cc links
# into every guest program; the runtime's sources are not programs.
RT_DIR   := $(BUILD)/runtime
RT_OBJ   := $(patsubst programs/runtime/%.c,$(RT_DIR)/%.o,$(wildcard programs/runtime/*.c))
RT_FILES := $(RT_DIR)/crt0.o $(RT_DIR)/libparsim.a
GUEST_WARN := -Wall -Wextra -Werror
PROG_SRC := $(filter-out programs/runtime/%,$(PROG_SRC))
PROG_ELF := $(PROG_SRC:programs/%.c=$(BUILD)/programs/%.elf)

$(RT_DIR)/%.o: programs/runtime/%.c $(RUNTIME_DEPS) $(BUILD)/parsim-cc
	@mkdir -p $(dir $@)
	$(BUILD)/parsim-cc -O2 -g $(GUEST_WARN) -c $< -o $@
$(RT_DIR)/crt0.o: programs/runtime/crt0.S $(BUILD)/parsim-cc
	@mkdir -p $(dir $@)
	$(BUILD)/parsim-cc -c $< -o $@
$(RT_DIR)/libparsim.a: $(RT_OBJ)
	rm -f $@ && riscv64-unknown-elf-ar rcs $@ $^
$(PROG_ELF) $(TPROG_ELF): $(RT_FILES)
$(PROG_ELF) $(TPROG_ELF): export PARSIM_CFLAGS := $(GUEST_WARN)
# ---- END guest runtime ------------------------------------------------------
programs: $(PROG_ELF)

$(BUILD)/programs/%.elf: programs/%.c $(BUILD)/parsim-cc $(RUNTIME_DEPS)
	@mkdir -p $(dir $@)
	$(BUILD)/parsim-cc -O2 -g $< -o $@

$(BUILD)/tests/programs/%.elf: tests/programs/%.c $(BUILD)/parsim-cc $(RUNTIME_DEPS)
	@mkdir -p $(dir $@)
	$(BUILD)/parsim-cc -O2 -g $< -o $@

$(BUILD)/tests/programs/freestanding/%.elf: tests/programs/freestanding/%.S | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	riscv64-unknown-elf-gcc -march=rv32imac_zicsr -mabi=ilp32 -nostdlib \
	    -nostartfiles -g -Wl,-N -Wl,-Ttext=0x80000000 -Wl,--no-warn-rwx-segments $< -o $@

# ---- tests ------------------------------------------------------------------
$(BUILD)/suites.h: $(TEST_SRC) | $(DEPS_STAMP)
	@mkdir -p $(BUILD)
	@printf '%s\n' $(foreach s,$(SUITES),'SUITE($(s))') > $@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp

$(BUILD)/obj/tests/%.o: tests/%.c $(BUILD)/suites.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CHECK_CFLAGS) -I$(BUILD) -MMD -MP -c $< -o $@

$(BUILD)/check_parsim: $(TEST_OBJ) $(LIB_OBJ)
	$(CC) $(LDFLAGS) $^ $(CHECK_LIBS) $(LDLIBS) -o $@

check: all $(BUILD)/check_parsim $(TPROG_ELF) $(FPROG_ELF)
	scripts/check-deps --self-test && scripts/check-deps
	PARSIM_BUILD=$(BUILD) $(BUILD)/check_parsim

# ---- demo and bench ---------------------------------------------------------
# The demo: eight cores contending for a test-and-set lock.  With a
# display it opens the window past the start-up (cycle 185,000, where the
# harts fight over the lock) at 2,000 cycles a second, a few hand-offs a
# second for a class to follow (space: run/pause, + and -: speed, s:
# step, n: next event, h: all keys); without one it runs headless, prints
# the statistics and writes the window's view at cycle 200,000 to a PNG.
DEMO_RUN := --cores 8 $(BUILD)/programs/threads/counter.elf tas 300
DEMO_GUI := --start-at 185000 --speed 2000
demo: all
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	    echo "$(BUILD)/parsim run --gui $(DEMO_GUI) $(DEMO_RUN)"; \
	    $(BUILD)/parsim run --gui $(DEMO_GUI) $(DEMO_RUN); \
	else \
	    echo "$(BUILD)/parsim run --snapshot 200000:$(BUILD)/demo.png $(DEMO_RUN)"; \
	    $(BUILD)/parsim run --snapshot 200000:$(BUILD)/demo.png $(DEMO_RUN) && \
	    echo "parsim: no display, so the demo ran headless; the window's view at cycle 200,000 is in $(BUILD)/demo.png"; \
	fi

# The pictures in docs/ come from the real program, never by hand.
screenshots: all
	scripts/screenshots $(BUILD) docs/img

bench: all
	scripts/bench $(BUILD)

# ---- sanitizer builds -------------------------------------------------------
asan:
	$(MAKE) check BUILD=build-asan SANFLAGS="-fsanitize=address -fno-omit-frame-pointer" OPT=-O1
ubsan:
	$(MAKE) check BUILD=build-ubsan SANFLAGS="-fsanitize=undefined -fno-sanitize-recover=all" OPT=-O1
tsan:
	$(MAKE) check BUILD=build-tsan SANFLAGS="-fsanitize=thread" OPT=-O1

# ---- fuzzing (tests/fuzz/; docs/testing.md) ------------------------------
# libFuzzer targets built by clang with ASan and UBSan into their own
# directory (objects never mix with $(BUILD)/), then each run for
# FUZZ_SECONDS (0: build only).  A crash, a leak, UB, an input slower
# than 10 s or above 2 GiB fails the run; libFuzzer keeps the input in
# $(FUZZ_BUILD)/crashes/.  Seeds: tests/fuzz/corpus/<target>/ and, made
# here, programs and code ($(FUZZ_BUILD)/seeds/); what a run finds stays
# in $(FUZZ_BUILD)/corpus/<target>/ for the next.  Inputs that once
# crashed live in tests/fuzz/regressions/<target>/ and are replayed first.
#   make fuzz FUZZ_TARGETS=elf FUZZ_SECONDS=3600 FUZZ_OPTS=-seed=1
FUZZ_CC      ?= clang
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 45
FUZZ_ALL     := elf config isa semihost
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_OPTS    ?=
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer
FUZZ_CFLAGS   = $(filter-out -O%,$(CFLAGS_BASE)) -O1 $(FUZZ_SAN) \
                $(shell pkg-config --cflags libelf libdw inih 2>/dev/null)
FUZZ_LIBS     = $(shell pkg-config --libs libelf libdw inih 2>/dev/null)
FUZZ_ISA     := $(ISA_SRC) tests/fuzz/fuzz.c
FUZZ_SRC_elf      := tests/fuzz/fuzz_elf.c sim/elf.c $(FUZZ_ISA)
FUZZ_SRC_config   := tests/fuzz/fuzz_config.c sim/config.c $(FUZZ_ISA)
FUZZ_SRC_isa      := tests/fuzz/fuzz_isa.c $(FUZZ_ISA)
FUZZ_SRC_semihost := tests/fuzz/fuzz_semihost.c sim/semihost.c $(FUZZ_ISA)
FUZZ_MAXLEN_elf   := 65536
FUZZ_MAXLEN_config := 4096
FUZZ_MAXLEN_isa   := 1024
FUZZ_MAXLEN_semihost := 4096
FUZZ_BIN     := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

$(FUZZ_BUILD)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@
$(FUZZ_BUILD)/obj/isa/fpu.o: FUZZ_CFLAGS += -frounding-math
define FUZZ_LINK
$(FUZZ_BUILD)/fuzz_$(1): $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(FUZZ_SRC_$(1)))
	$$(FUZZ_CC) $$(FUZZ_SAN) -fsanitize=fuzzer $$^ $$(FUZZ_LIBS) -lm -o $$@
endef
$(foreach t,$(FUZZ_ALL),$(eval $(call FUZZ_LINK,$(t))))

# Seeds made at build time rather than committed: the seed program in
# six builds (three segments or one, -O0 with a frame pointer, DWARF 4,
# no debug info, stripped), the freestanding test programs, and their
# code as bare instruction words; the machine presets.
FUZZ_SEEDS   := $(FUZZ_BUILD)/seeds
FUZZ_RVCC    := riscv64-unknown-elf-gcc -march=rv32imafc_zicsr_zifencei \
                -mabi=ilp32f -ffreestanding -nostdlib -nostartfiles \
                -Wl,-e,_start -Wl,--no-warn-rwx-segments
FUZZ_ELF_SEEDS := $(addprefix $(FUZZ_SEEDS)/elf/,seed-O2.elf seed-O0.elf \
                  seed-dwarf4.elf seed-nodebug.elf seed-stripped.elf \
                  seed-onesegment.elf smp_sum.elf disasm_all.elf)
FUZZ_PARTS   := -Wl,-Ttext=0x80001000
FUZZ_ONE     := -Wl,-N -Wl,-Ttext=0x80000000
$(FUZZ_SEEDS)/elf/seed-O2.elf: FUZZ_SEEDFLAGS := -O2 -g $(FUZZ_PARTS)
$(FUZZ_SEEDS)/elf/seed-O0.elf: FUZZ_SEEDFLAGS := -O0 -g $(FUZZ_PARTS)
$(FUZZ_SEEDS)/elf/seed-dwarf4.elf: FUZZ_SEEDFLAGS := -Os -gdwarf-4 $(FUZZ_PARTS)
$(FUZZ_SEEDS)/elf/seed-nodebug.elf: FUZZ_SEEDFLAGS := -O2 $(FUZZ_PARTS)
$(FUZZ_SEEDS)/elf/seed-onesegment.elf: FUZZ_SEEDFLAGS := -O2 -g $(FUZZ_ONE)
$(FUZZ_SEEDS)/elf/seed-%.elf: tests/fuzz/seed_prog.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(FUZZ_RVCC) $(FUZZ_SEEDFLAGS) $< -o $@
$(FUZZ_SEEDS)/elf/seed-stripped.elf: $(FUZZ_SEEDS)/elf/seed-O2.elf
	riscv64-unknown-elf-strip $< -o $@
$(FUZZ_SEEDS)/elf/smp_sum.elf: tests/programs/freestanding/smp_sum.S | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(FUZZ_RVCC) -g $(FUZZ_ONE) $< -o $@
$(FUZZ_SEEDS)/elf/disasm_all.elf: tests/programs/disasm_all.S | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(FUZZ_RVCC) -g $(FUZZ_ONE) $< -o $@
# Code in pieces of 256 bytes: the fuzzer mutates short inputs faster.
$(FUZZ_SEEDS)/.isa-%: $(FUZZ_SEEDS)/elf/%.elf
	@mkdir -p $(FUZZ_SEEDS)/isa
	riscv64-unknown-elf-objcopy -O binary -j .text $< $@.bin
	split -b 256 -d $@.bin $(FUZZ_SEEDS)/isa/$*- && rm $@.bin && touch $@
$(FUZZ_SEEDS)/.config-made: $(wildcard configs/*.ini)
	@mkdir -p $(FUZZ_SEEDS)/config
	cp $^ $(FUZZ_SEEDS)/config/ && touch $@
FUZZ_SEED_FILES := $(FUZZ_ELF_SEEDS) $(FUZZ_SEEDS)/.config-made \
                   $(FUZZ_SEEDS)/.isa-disasm_all $(FUZZ_SEEDS)/.isa-seed-O2

# One target's run: its log in $(FUZZ_BUILD)/logs/; on a failure the log
# without libFuzzer's progress lines, which ends with the stack and the
# name of the crash file.
define FUZZ_RUN
	@mkdir -p $(FUZZ_BUILD)/corpus/$(1) $(FUZZ_BUILD)/crashes $(FUZZ_BUILD)/logs
	@echo "fuzz $(1): $(FUZZ_SECONDS) s"
	@if ! UBSAN_OPTIONS=print_stacktrace=1 \
	    $(FUZZ_BUILD)/fuzz_$(1) -max_total_time=$(FUZZ_SECONDS) \
	    -timeout=10 -rss_limit_mb=2048 -max_len=$(FUZZ_MAXLEN_$(1)) \
	    -print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/crashes/$(1)- \
	    $(FUZZ_OPTS) $(FUZZ_BUILD)/corpus/$(1) $(wildcard $(FUZZ_SEEDS)/$(1)) \
	    $(wildcard tests/fuzz/corpus/$(1)) \
	    $(wildcard tests/fuzz/regressions/$(1)) \
	    > $(FUZZ_BUILD)/logs/$(1).log 2>&1; then \
	    grep -Ev '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse|RELOAD)' \
	        $(FUZZ_BUILD)/logs/$(1).log; \
	    echo "parsim: fuzz $(1) failed: the input is in $(FUZZ_BUILD)/crashes/ (docs/testing.md: reproducing a crash)" >&2; \
	    exit 1; \
	fi
	@grep -E '^#[0-9]+[[:space:]]+DONE|^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' \
	    $(FUZZ_BUILD)/logs/$(1).log | sed 's/^/  /'

endef

.PHONY: fuzz
fuzz: $(FUZZ_BIN) $(FUZZ_SEED_FILES)
ifneq ($(FUZZ_SECONDS),0)
	$(foreach t,$(FUZZ_TARGETS),$(call FUZZ_RUN,$(t)))
endif

-include $(shell find $(FUZZ_BUILD)/obj -name '*.d' 2>/dev/null)

clean:
	rm -rf build build-asan build-ubsan build-tsan

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
