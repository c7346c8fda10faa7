SRCS += admin/init.c
SRCS += admin/config.c
SRCS += admin/status.c
SRCS += admin/backup.c
SRCS += admin/templates.c
SRCS += admin/migrate.c
