SRCS += redirector/cmd.c
SRCS += redirector/utm.c
TESTS += tests/test_utm
