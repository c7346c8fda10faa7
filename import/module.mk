SRCS += import/import.c
SRCS += import/employees.c
SRCS += import/posts.c
