SRCS += digest/cmd.c
