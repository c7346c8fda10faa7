SRCS += db/db.c
GEN_OBJS += $(BUILD)/db/migrations.o
SRCS += db/employees.c
SRCS += db/posts.c
SRCS += db/admin.c
TESTS += tests/test_db
SRCS += db/ledger.c
