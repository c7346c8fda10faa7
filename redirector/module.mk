SRCS += redirector/cmd.c
