# bidui - build, test, demo. Quiet by default: `make V=1` shows commands.
#   make            build build/bidui
#   make test       build and run every test (unit + end-to-end)
#   make demo       install missing packages (as root), build, run the
#                   fixture county, workbooks in out/demo/
#   make bench      benchmarks (bench/), figures for docs/PERFORMANCE.md
#   DEVELOPER=1     -Werror;  SANITIZE=address,undefined  sanitizer build
.DELETE_ON_ERROR:
.SUFFIXES:

CC       ?= cc
PYTHON   ?= python3
PREFIX   ?= /usr/local
DESTDIR  ?=
V        ?= 0
Q        := $(if $(filter 1,$(V)),,@)

PKGS        := openssl zlib minizip expat libgsf-1 libxml-2.0 xlsxwriter inih
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

LIB_SRC  := $(sort $(wildcard src/*.c matchers/*.c))
LIB_SRC  := $(filter-out src/main.c,$(LIB_SRC))
LIB_OBJ  := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC))
MAIN_OBJ := $(BUILD)/obj/src/main.o
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
BIN      := $(BUILD)/bidui

.PHONY: all test unit demo deps bench fixtures clean install check-style preview fuzz
all: $(BIN)

$(BUILD)/obj/%.o: %.c $(wildcard include/bd/*.h)
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

# make preview: a township workbook and the summary as printed pages (PDF, PNG) in
# out/preview/, to look at; runs make demo first if its output is missing.
preview:
	$(Q)[ -d out/demo/out/2026Q4 ] || $(MAKE) --no-print-directory demo
	$(Q)sh tools/preview.sh out/demo/out/2026Q4 out/preview

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/bidui

# Fuzzing with libFuzzer (clang): make fuzz FUZZ_SECONDS=60
FUZZ_SECONDS ?= 30
FUZZ_CFLAGS := -std=c17 -D_GNU_SOURCE -Iinclude -g -O1 -fsanitize=fuzzer,address,undefined \
               $(PKG_CFLAGS) $(LMDB_CFLAGS)
FUZZ_LIBSRC := $(filter-out src/main.c,$(sort $(wildcard src/*.c matchers/*.c)))
fuzz:
	$(Q)mkdir -p build-fuzz
	$(Q)for t in csv sheet xls; do \
		clang $(FUZZ_CFLAGS) -o build-fuzz/fuzz_$$t tests/fuzz/fuzz_$$t.c $(FUZZ_LIBSRC) \
			$(LIBS) || exit 1; \
		mkdir -p build-fuzz/corpus_$$t; \
		./build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) build-fuzz/corpus_$$t tests/data || exit 1; \
	done

check-style:
	$(Q)sh tools/checkstyle.sh

clean:
	rm -rf build build-san build-fuzz out/demo
