# hlproxy: build the binary from the amalgamated hlproxy.c.
#   make                 ./hlproxy against the system's Lua 5.3 and mbedTLS
#   make WERROR=1        warnings are errors (CI)
#   make asan            ./hlproxy-asan with AddressSanitizer + UBSan
#   make amalgamate      regenerate hlproxy.c and hlproxy.h from src/
#   make check-amalgamation   fail if the committed files differ from src/
#   make size            ./hlproxy-size built for size, stripped
#   make hlproxy-mbedtls3   ./hlproxy-mbedtls3 against the pinned mbedTLS 3.6
#                        (mbedtls/fetch.sh + build.sh into build/host/mbedtls)
CC      ?= cc
PKG_CONFIG ?= pkg-config
LUA_PC  := $(shell for p in lua5.3 lua-5.3 lua53; do $(PKG_CONFIG) --exists $$p 2>/dev/null && { echo $$p; break; }; done)
ifneq ($(LUA_PC),)
LUA_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags $(LUA_PC))
LUA_LIBS   ?= $(shell $(PKG_CONFIG) --libs $(LUA_PC))
else
LUA_CFLAGS ?= -I/usr/include/lua5.3
LUA_LIBS   ?= -llua5.3
endif
TLS_LIBS ?= -lmbedtls -lmbedx509 -lmbedcrypto

WARN    = -Wall -Wextra -Wshadow -Wundef -Wstrict-prototypes -Wmissing-prototypes -fno-common
ifeq ($(WERROR),1)
WARN   += -Werror
endif
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c99 $(WARN) $(LUA_CFLAGS) $(CFLAGS)
LIBS    = $(LUA_LIBS) $(TLS_LIBS) -lm
SAN     = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

SRC     = $(wildcard src/*.c src/*.h)

# the pinned mbedTLS 3.6 built with mbedtls/hlp_config.h (see mbedtls/README.md)
MBEDTLS3_DIR ?= build/host/mbedtls
MBEDTLS3_CFLAGS = -isystem $(MBEDTLS3_DIR)/include -DMBEDTLS_CONFIG_FILE='"hlp_config.h"'
MBEDTLS3_LIBS = $(MBEDTLS3_DIR)/lib/libmbedtls.a $(MBEDTLS3_DIR)/lib/libmbedx509.a $(MBEDTLS3_DIR)/lib/libmbedcrypto.a

.PHONY: all asan amalgamate check-amalgamation size clean test unit embed hlproxy-clang-check

all: hlproxy

hlproxy: hlproxy.c hlproxy.h
	$(CC) $(ALL_CFLAGS) -o $@ hlproxy.c $(LDFLAGS) $(LIBS)

hlproxy-asan: hlproxy.c hlproxy.h
	$(CC) -std=c99 $(WARN) $(LUA_CFLAGS) -O1 -g $(SAN) -o $@ hlproxy.c $(LDFLAGS) $(LIBS)

asan: hlproxy-asan

hlproxy-size: hlproxy.c hlproxy.h
	$(CC) -std=c99 $(WARN) $(LUA_CFLAGS) -Os -ffunction-sections -fdata-sections \
		-Wl,--gc-sections -s -o $@ hlproxy.c $(LDFLAGS) $(LIBS)

size: hlproxy-size
	@ls -l hlproxy-size | awk '{print "stripped size: " $$5 " bytes"}'

$(MBEDTLS3_DIR)/lib/libmbedtls.a: mbedtls/hlp_config.h mbedtls/VERSIONS
	src=$$(mbedtls/fetch.sh) && mbedtls/build.sh "$$src" $(MBEDTLS3_DIR)

hlproxy-mbedtls3: hlproxy.c hlproxy.h $(MBEDTLS3_DIR)/lib/libmbedtls.a
	$(CC) $(ALL_CFLAGS) $(MBEDTLS3_CFLAGS) -o $@ hlproxy.c $(LDFLAGS) $(LUA_LIBS) $(MBEDTLS3_LIBS) -lm

# compile only, to check that clang accepts the code without warnings
hlproxy-clang-check: hlproxy.c hlproxy.h
	$(CC) $(ALL_CFLAGS) -c -o /dev/null hlproxy.c

# the library object for embedding: no main(), only hlp_* exported
hlproxy.o: hlproxy.c hlproxy.h
	$(CC) $(ALL_CFLAGS) -DHLP_NO_MAIN -c -o $@ hlproxy.c

embed: examples/embed/embed
examples/embed/embed: examples/embed/embed.c hlproxy.o
	$(CC) $(ALL_CFLAGS) -I. -o $@ examples/embed/embed.c hlproxy.o $(LDFLAGS) $(LIBS)

# a unit test: UNIT=tests/unit_x.c UNIT_BIN=path; it includes hlproxy.c
ifeq ($(SANITIZE),1)
UNIT_FLAGS = -O1 -g $(SAN)
else
UNIT_FLAGS = -O1 -g
endif
unit: hlproxy.c hlproxy.h
	$(CC) -std=c99 $(WARN) $(LUA_CFLAGS) $(UNIT_FLAGS) -I. -DHLP_NO_MAIN -o $(UNIT_BIN) $(UNIT) $(LDFLAGS) $(LIBS)

# hlproxy.c is committed; rebuild it only when asked, or when src/ is newer
hlproxy.c hlproxy.h: $(SRC) tools/amalgamate.sh
	sh tools/amalgamate.sh

amalgamate:
	sh tools/amalgamate.sh

check-amalgamation:
	@d=$$(mktemp -d) && sh tools/amalgamate.sh $$d && \
	if cmp -s $$d/hlproxy.c hlproxy.c && cmp -s $$d/hlproxy.h hlproxy.h; then \
		rm -rf $$d; echo "amalgamation up to date"; \
	else rm -rf $$d; echo "hlproxy.c/hlproxy.h differ from src/: run 'make amalgamate'" >&2; exit 1; fi

test:
	./test.sh

clean:
	rm -f hlproxy hlproxy-asan hlproxy-size hlproxy-mbedtls3 *.o examples/embed/embed
	rm -rf build
