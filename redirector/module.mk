SRCS += redirector/cmd.c
SRCS += redirector/utm.c
TESTS += tests/test_utm
SRCS += redirector/classify.c
TESTS += tests/test_classify
SRCS += redirector/proxy.c
TESTS += tests/test_proxy
