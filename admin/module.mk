SRCS += admin/init.c
SRCS += admin/config.c
