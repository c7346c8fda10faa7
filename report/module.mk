SRCS += report/cmd.c
