SRCS += digest/cmd.c
SRCS += digest/run.c
SRCS += digest/preview.c
