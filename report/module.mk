SRCS += report/cmd.c
SRCS += report/csv.c
SRCS += report/out.c
SRCS += report/html.c
SRCS += report/results.c
TESTS += tests/test_report
TESTS += tests/test_results
