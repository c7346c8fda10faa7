SRCS += report/cmd.c
SRCS += report/csv.c
SRCS += report/out.c
SRCS += report/html.c
TESTS += tests/test_report
