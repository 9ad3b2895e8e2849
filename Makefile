# bidui - build, test, demo. Quiet by default: `make V=1` shows commands.
#   make            build build/bidui
#   make test       build and run every test (unit + end-to-end)
#   make demo       install missing packages (as root), build, run two
#                   quarters of the fixture county with a scripted review
#                   between them, workbooks in out/demo/
#   make preview    print make demo's largest township workbook and the
#                   summary to PDF (LibreOffice) and measure them
#   make bench      benchmarks (bench/), figures for docs/PERFORMANCE.md
#   make check-style  whitespace, layout and -Werror over every source
#   DEVELOPER=1     -Werror;  SANITIZE=address,undefined  sanitizer build
.DELETE_ON_ERROR:
.SUFFIXES:

CC       ?= cc
PYTHON   ?= python3
PREFIX   ?= /usr/local
DESTDIR  ?=
V        ?= 0
Q        := $(if $(filter 1,$(V)),,@)

PKGS        := openssl zlib minizip expat libgsf-1 libxml-2.0 xlsxwriter inih jansson
PKG_CFLAGS  := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# Debian's LMDB may ship without a .pc file: fall back to -llmdb.
LMDB_CFLAGS ?= $(shell pkg-config --cflags lmdb 2>/dev/null)
LMDB_LIBS   ?= $(shell pkg-config --libs lmdb 2>/dev/null || echo -llmdb)
CMOCKA_LIBS ?= $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

WARN     := -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wformat=2 \
            -Wstrict-prototypes -Wmissing-prototypes
OPT      ?= -O2 -g
BASE_CFLAGS := -std=c17 -D_GNU_SOURCE -Iinclude $(WARN) $(OPT) \
            $(PKG_CFLAGS) $(LMDB_CFLAGS) -pthread
ifeq ($(DEVELOPER),1)
BASE_CFLAGS += -Werror
endif
ifneq ($(SANITIZE),)
BASE_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDSAN    := -fsanitize=$(SANITIZE)
BUILD    ?= build-san
else
BUILD    ?= build
endif
ALL_CFLAGS = $(BASE_CFLAGS) $(CFLAGS)
LIBS     := $(PKG_LIBS) $(LMDB_LIBS) -pthread -lm

# Sources: one folder per pipeline stage under src/ (docs/ARCHITECTURE.md),
# objects mirror them under $(BUILD)/obj/, so equal names cannot collide.
LIB_SRC  := $(sort $(wildcard src/*/*.c matchers/*.c))
LIB_SRC  := $(filter-out src/cmd/main.c,$(LIB_SRC))
LIB_OBJ  := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC))
MAIN_OBJ := $(BUILD)/obj/src/cmd/main.o
HDRS     := $(wildcard include/bd/*.h src/*/*.h matchers/*.h)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
BIN      := $(BUILD)/bidui

.PHONY: all test unit demo deps bench fixtures clean install check-style preview fuzz fuzz-build
all: $(BIN)

$(BUILD)/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -DTESTING -c -o $@ $<

$(BUILD)/libbidui.a: $(LIB_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(MAIN_OBJ) $(BUILD)/libbidui.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDSAN) $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h $(BUILD)/libbidui.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -DTESTING -Wno-missing-prototypes -Itests/unit \
		-o $@ $< $(BUILD)/libbidui.a $(LDSAN) $(LIBS) $(CMOCKA_LIBS)

deps:
	$(Q)sh tools/deps.sh

# The fixture county: generated from the committed division subset.
FIXTURE_DIR := $(BUILD)/fixtures/county
fixtures: $(FIXTURE_DIR)/RUN.ini
$(FIXTURE_DIR)/RUN.ini: fixtures/gen_county.py $(wildcard fixtures/divisions/*.csv)
	@$(if $(Q),echo "  GEN     $(FIXTURE_DIR)")
	$(Q)rm -rf $(FIXTURE_DIR) && $(PYTHON) fixtures/gen_county.py --out $(FIXTURE_DIR)

unit: $(UNIT_BIN) $(BIN)

FIXTURES_IF := $(if $(wildcard fixtures/gen_county.py),fixtures)
test: deps
	$(Q)$(MAKE) --no-print-directory unit $(FIXTURES_IF)
	$(Q)BUILD=$(BUILD) sh tests/run.sh $(UNIT_BIN)

demo: deps
	$(Q)$(MAKE) --no-print-directory $(BIN)
	$(Q)PYTHON=$(PYTHON) sh tools/demo.sh $(BIN) out/demo

bench: $(BIN)
	$(Q)sh bench/ingest.sh $(BIN)
	$(Q)sh bench/match.sh $(BIN)
	$(Q)sh bench/report.sh $(BIN)
	$(Q)sh bench/cold.sh $(BIN)
	$(Q)sh bench/scale.sh $(BIN)

# make preview: a township workbook and the summary as printed pages (PDF, PNG) in
# out/preview/, with the printed text size and write-in boxes measured
# (tools/print_measure.py; fails under 9 pt); runs make demo first if its
# output is missing.
preview:
	$(Q)[ -d out/demo/out/2026Q4 ] || $(MAKE) --no-print-directory demo
	$(Q)sh tools/preview.sh out/demo/out/2026Q4 out/preview

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/bidui

# Fuzzing with libFuzzer (clang): make fuzz FUZZ_SECONDS=60 runs each
# target that long, new inputs kept in build-fuzz/corpus_T (seeds:
# tests/fuzz/seeds/T, and tests/data for the readers); FUZZ_REPLAY=xls
# runs the targets named only over their seeds, without mutating.
# make fuzz-build only builds. A crash stops the pass, its input in
# build-fuzz/; keep reproducers in tests/fuzz/crashes/. FUZZ_OPTS adds
# libFuzzer flags. Suppressed: bugs inside libraries we do not build
# (tests/fuzz/asan.supp, lsan.supp).
FUZZ_SECONDS ?= 30
FUZZ_REPLAY ?=
FUZZ_OPTS   ?= -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=20
FUZZ_TARGETS := csv sheet xls ini
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -std=c17 -D_GNU_SOURCE -Iinclude -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN) \
               $(PKG_CFLAGS) $(LMDB_CFLAGS) -pthread
FUZZ_OBJ    := $(patsubst %.c,build-fuzz/obj/%.o,$(LIB_SRC))
FUZZ_BIN    := $(patsubst %,build-fuzz/fuzz_%,$(FUZZ_TARGETS))
FUZZ_ENV    := ASAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/asan.supp \
               LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/lsan.supp \
               UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
build-fuzz/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $< (fuzz)")
	$(Q)clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<
build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h $(FUZZ_OBJ)
	@$(if $(Q),echo "  LD      $@")
	$(Q)clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(LIBS)
.SECONDARY: $(FUZZ_OBJ)
fuzz-build: $(FUZZ_BIN)
fuzz: fuzz-build
	$(Q)for t in $(FUZZ_TARGETS); do \
		mkdir -p build-fuzz/corpus_$$t; \
		seeds=../tests/fuzz/seeds/$$t; [ $$t = ini ] || seeds="$$seeds ../tests/data"; \
		opts="-max_total_time=$(FUZZ_SECONDS)"; what="$(FUZZ_SECONDS) s"; \
		case " $(FUZZ_REPLAY) " in *" $$t "*) opts=-runs=0; what="seeds only";; esac; \
		[ ! -f tests/fuzz/$$t.dict ] || opts="$$opts -dict=../tests/fuzz/$$t.dict"; \
		echo "  FUZZ    $$t ($$what)"; \
		(cd build-fuzz && $(FUZZ_ENV) ./fuzz_$$t $(FUZZ_OPTS) $$opts -print_final_stats=1 \
			corpus_$$t $$seeds >fuzz_$$t.log 2>&1) || { tail -n 60 build-fuzz/fuzz_$$t.log; exit 1; }; \
		sed -n 's/^stat::\(number_of_executed_units\|peak_rss_mb\): */  \1 /p' build-fuzz/fuzz_$$t.log; \
	done

# make check-style: whitespace and indentation, every source in a stage
# folder of src/, and every source compiled with the warning flags and
# -Werror (-fsyntax-only); tools/checkstyle.sh says what it checks.
check-style:
	$(Q)CC="$(CC)" STYLE_CFLAGS="$(BASE_CFLAGS) -DTESTING" sh tools/checkstyle.sh

clean:
	rm -rf build build-san build-fuzz out/demo
