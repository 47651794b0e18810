# DissectKit: build, run, test, benchmark.
#   make run    install what is missing, build release, dissect a bundled mail capture
#   make test   the whole test suite (conformance ratchet when ../shared is present, then swift test)
#   make bench  speed and memory against tshark (not part of the tests)
#   make install PREFIX=/usr/local   dissect, plus `tshark` and `dumpcap` links to it (pyshark, termshark…)
#   make check-clients   termshark (a Debian package) driven in tmux against our `tshark` link

SHELL := /bin/bash
SWIFT ?= swift
SHARED ?= ../shared
CORPUS ?= $(SHARED)/corpus
BIN := .build/release/dissect
DEBS := libpcap-dev zlib1g-dev libwireshark-data libpcre2-dev

.PHONY: all deps build release run test conform conform-full baseline bench dfilter clean check-spark install install-bin check-clients

PREFIX ?= /usr/local

all: release

deps:
	@missing=""; for p in $(DEBS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

run: release
	$(BIN) -r Tests/Fixtures/Mail/smtp_client_to_server.pcapng

# The conformance ratchet: no stored tshark reference may score lower than in the baseline.
conform: release
	@if [ -x $(CORPUS)/tools/conform.py ] || [ -f $(CORPUS)/tools/conform.py ]; then \
	  python3 $(CORPUS)/tools/conform.py --bin $(BIN) --baseline Tests/conformance-baseline.tsv; \
	else echo "conform: $(CORPUS) not found, ratchet skipped (CI has it)"; fi

conform-full: release
	python3 $(CORPUS)/tools/conform.py --bin $(BIN)

baseline: release
	python3 $(CORPUS)/tools/conform.py --bin $(BIN) --write-baseline Tests/conformance-baseline.tsv

dfilter: release
	python3 $(CORPUS)/tools/run_dfilter_suite.py --tshark $(BIN)

test: conform
	$(SWIFT) build
	@mkdir -p .build
	@set -o pipefail; $(SWIFT) test --disable-swift-testing 2>&1 | tee .build/test.log \
	  | grep -vE "^Test Case '.*' (started|passed)"

bench: release
	bash scripts/bench.sh

# Tools that run `tshark` by name (pyshark runs dirname(tshark_path)/tshark, termshark the one on
# PATH) find ours through the link.
# pyshark's LiveCapture also runs dirname(tshark_path)/dumpcap (`-q -i IF -w -`), which dissect does too.
install: release
	@$(MAKE) --no-print-directory install-bin BIN=$(BIN)

# Installs $(BIN) as it is, without building (the client tests install their debug build).
install-bin:
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/dissect
	ln -sf dissect $(DESTDIR)$(PREFIX)/bin/tshark
	ln -sf dissect $(DESTDIR)$(PREFIX)/bin/dumpcap
	install -d $(DESTDIR)$(PREFIX)/share/dissect/Filters
	install -m 644 Filters/dfilter_macros Filters/dfilters Filters/colorfilters $(DESTDIR)$(PREFIX)/share/dissect/Filters/

check-clients: release
	bash scripts/check_termshark.sh

# Scale-out check on Apache Spark (pyspark from PyPI into .build/pyvenv; Java 17+): the split
# pipeline in scale/ must answer as `dissect -T fields` on the whole captures. Not part of `make test`
# (CI runs the same check with a local process pool: DissectCLITests.ScaleOutTests).
check-spark: release
	PY=$$(scripts/pyvenv.sh pyspark) && $$PY scale/test_smtp_job.py --dissect .build/release/dissect --engine spark --python $$PY

clean:
	rm -rf .build
