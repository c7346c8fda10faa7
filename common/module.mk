SRCS += common/log.c
SRCS += common/xmalloc.c
SRCS += common/buf.c
SRCS += common/config.c
SRCS += common/validate.c
SRCS += common/random.c
SRCS += common/cli.c
SRCS += common/network.c
