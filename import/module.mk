SRCS += import/import.c
