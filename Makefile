# Chorus: a plain Makefile.
#
#   make            build ./chorus and build/release/chorus.ini.5
#   make check      install missing packages, build, run every test, then
#                   run them all again under ASan + UBSan
#   make deps       install the Debian packages that are missing
#   make fuzz       build the libFuzzer targets and run each FUZZ_SECONDS
#   make fuzz-replay  run each libFuzzer target once over its corpus
#   make lint       cppcheck and clang-tidy over the whole tree
#   make bench      run the benchmarks in bench/ against their anchors
#   make install    PREFIX=/usr/local DESTDIR= (the binary carries the
#                   templates: `chorus templates export DIR` writes them)
#   make deb        build/deb/chorus_VERSION_ARCH.deb, checked by lintian

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/chorus
MANDIR  ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
UNITDIR ?= $(PREFIX)/lib/systemd/system
DESTDIR ?=

CC      ?= cc
BUILD   ?= build/release
PKGS     = sqlite3 libpq libesmtp-1.0 libmicrohttpd uuid inih libssl \
	   libcrypto

WARN     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	   -Wpointer-arith -Wcast-qual -Wformat=2 -Wvla -Wundef
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CPPFLAGS) $(CFLAGS) -I. \
	   $(SAN_CFLAGS) \
	   $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
TEST_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

ifeq ($(SANITIZE),1)
SAN_CFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	     -fno-omit-frame-pointer
endif

# Sources: every module lists its own files in its module.mk, one per line.
SRCS  =
TESTS =
GEN_OBJS =
include common/module.mk
include db/module.mk
include admin/module.mk
include import/module.mk
include digest/module.mk
include redirector/module.mk
include report/module.mk

OBJS      = $(SRCS:%.c=$(BUILD)/%.o)
TEST_BINS = $(TESTS:%=$(BUILD)/%)
LIB       = $(BUILD)/libchorus.a

# The default build also writes chorus.ini(5), whose settings reference
# comes from the binary.
all: chorus $(BUILD)/chorus.ini.5

chorus: $(BUILD)/chorus
	cp $(BUILD)/chorus $@

$(BUILD)/chorus: $(BUILD)/chorus.o $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) $(LDFLAGS)

$(LIB): $(OBJS) $(GEN_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# SQL migrations are compiled in, so the binary needs no data files to init.
$(BUILD)/db/migrations.c: db/migrations/*.sql db/sql2c.sh
	@mkdir -p $(dir $@)
	sh db/sql2c.sh db/migrations/*.sql > $@.tmp && mv $@.tmp $@

$(BUILD)/db/migrations.o: $(BUILD)/db/migrations.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# And the PostgreSQL store's, the same versions (db/migrations/pg/).
$(BUILD)/db/pg_migrations.c: db/migrations/pg/*.sql db/sql2c.sh
	@mkdir -p $(dir $@)
	sh db/sql2c.sh -n pg_migrations db/migrations/pg/*.sql > $@.tmp && \
		mv $@.tmp $@

$(BUILD)/db/pg_migrations.o: $(BUILD)/db/pg_migrations.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# So are the shipped templates, every file of templates/: the binary needs
# no file beside it, and chorus.templates overrides them file by file. The
# directory is a prerequisite too, so adding or removing a file rebuilds.
TEMPLATES = $(sort $(wildcard templates/*.*))
$(BUILD)/common/shipped.c: templates $(TEMPLATES) common/tpl2c.sh
	@mkdir -p $(dir $@)
	sh common/tpl2c.sh $(TEMPLATES) > $@.tmp && mv $@.tmp $@

$(BUILD)/common/shipped.o: $(BUILD)/common/shipped.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(TEST_LDFLAGS_$*) $(LIB) $(LIBS) $(TEST_LIBS)

tests: $(BUILD)/chorus $(TEST_BINS)

# Run the suite on this build (BUILD=...); the runner prints "N passed, N failed".
# The end-to-end scripts run once per store of STORES (pg: a private
# PostgreSQL server per script, tests/e2e/lib.sh); the sanitizer build runs
# them on SQLite only.
STORES ?= sqlite pg
test: tests
	CHORUS_TEST_STORES="$(STORES)" sh tests/run.sh $(BUILD) $(TESTS)

check: deps
	$(MAKE) test
	$(MAKE) BUILD=build/asan SANITIZE=1 CFLAGS="-O1 -g" STORES=sqlite test

deps:
	@sh tools/deps.sh build test

# The demo needs only what builds the binary: no test tools.
deps-build:
	@sh tools/deps.sh build

demo: deps-build all
	sh examples/demo.sh

FUZZ_SECONDS ?= 30
fuzz:
	@sh tools/deps.sh fuzz
	$(MAKE) -C fuzz FUZZ_SECONDS=$(FUZZ_SECONDS) run

# Each fuzz target once over its corpus: the crashes found stay fixed.
fuzz-replay:
	@sh tools/deps.sh fuzz
	$(MAKE) -C fuzz replay

# Static analysis of every C file: cppcheck and clang-tidy, with the checks
# chosen in .clang-tidy and tools/lint.sh; any finding fails.
LINT_SRCS = chorus.c $(SRCS) $(TESTS:%=%.c) $(wildcard fuzz/*.c)
lint:
	@sh tools/deps.sh lint
	sh tools/lint.sh $(LINT_SRCS)

bench: all
	@sh tools/deps.sh bench
	sh bench/run.sh

# chorus.ini(5) carries the settings reference generated from the table.
man: $(BUILD)/chorus.ini.5
$(BUILD)/chorus.ini.5: man/chorus.ini.5.in $(BUILD)/chorus
	$(BUILD)/chorus -c /dev/null config --man > $@.settings
	sed -e '/@SETTINGS@/{r $@.settings' -e 'd;}' man/chorus.ini.5.in > $@
	rm -f $@.settings

UNITS = chorus-redirector.service chorus-scheduler.service

$(BUILD)/%.service: dist/systemd/%.service.in
	@mkdir -p $(dir $@)
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		$< > $@

install: $(BUILD)/chorus man $(UNITS:%=$(BUILD)/%)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(UNITDIR)
	install -m 755 $(BUILD)/chorus $(DESTDIR)$(BINDIR)/chorus
	install -m 644 examples/chorus.ini $(DESTDIR)$(DATADIR)/chorus.ini.example
	install -m 644 man/chorus.1 $(DESTDIR)$(MANDIR)/man1/chorus.1
	install -m 644 $(BUILD)/chorus.ini.5 $(DESTDIR)$(MANDIR)/man5/chorus.ini.5
	for u in $(UNITS); do \
		install -m 644 $(BUILD)/$$u $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done

# The Debian package (debian/), built from a copy of the tree under
# DEBDIR, since dpkg-buildpackage writes its files beside the source tree.
# debian/rules installs with `make install`; debian/changelog must carry
# the version the binary reports.
DEBDIR  ?= build/deb
DEBJOBS ?= 2
VERSION  = $(shell sed -n 's/.*define CHORUS_VERSION "\(.*\)"/\1/p' chorus.c)
deb:
	@sh tools/deps.sh build deb
	@v=$$(dpkg-parsechangelog -S Version); [ "$$v" = "$(VERSION)" ] || \
		{ echo "deb: debian/changelog is at $$v, chorus.c at $(VERSION)" >&2; exit 1; }
	rm -rf $(DEBDIR)
	mkdir -p $(DEBDIR)/chorus-$(VERSION)
	tar -cf - --anchored --exclude=./build --exclude=./.git \
		--exclude=./chorus --exclude=./fuzz/build --exclude=./outbox \
		--exclude=./demo --exclude='*.db' . | \
		tar -C $(DEBDIR)/chorus-$(VERSION) -xf -
	cd $(DEBDIR)/chorus-$(VERSION) && \
		dpkg-buildpackage -b -us -uc -j$(DEBJOBS) >../build.log 2>&1 || \
		{ tail -n 40 ../build.log; echo "deb: build failed; log: $(DEBDIR)/build.log" >&2; exit 1; }
	lintian --fail-on error,warning $(DEBDIR)/chorus_$(VERSION)_*.changes
	@echo "deb: $$(ls $(DEBDIR)/chorus_$(VERSION)_*.deb)"

clean:
	rm -rf build chorus fuzz/build

.PHONY: all check test tests deps demo lint fuzz fuzz-replay bench install \
	clean man deb
-include $(OBJS:.o=.d) $(BUILD)/chorus.d $(TESTS:%=$(BUILD)/%.d)

# Keep test objects: they are intermediate files of the test programs.
.SECONDARY:
