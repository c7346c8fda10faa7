SRCS += digest/cmd.c
SRCS += digest/run.c
SRCS += digest/preview.c
SRCS += digest/select.c
TESTS += tests/test_select
SRCS += digest/mime.c
TESTS += tests/test_mime
TESTS += tests/test_mime_email
