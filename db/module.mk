SRCS += db/db.c
GEN_OBJS += $(BUILD)/db/migrations.o
